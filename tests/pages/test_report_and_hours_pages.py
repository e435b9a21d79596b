"""The report to the mandating authority and community-service hours, recorded from the pages:
the deadline clears, the inbox task closes, and a wrong entry is refused naming its field."""

from __future__ import annotations

from datetime import timedelta

from perp_track.measures.jobs import report_deadline_alerts
from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.measures.tables import AuthorityReport, Condition, Measure
from perp_track.notify.dispatch.batch import dispatch_once
from perp_track.notify.tables import Notification
from tests.fakes.fixtures import *  # noqa: F403
from tests.pages.conftest import Browser
from tests.world import World


async def _unread_tasks(world: World) -> int:
    return await Notification.count().where(
        (Notification.recipient_user == world.ja.id)
        & (Notification.channel == "in_app")
        & Notification.template.is_in(["report_due", "report_overdue"])
        & Notification.read_at.is_null()
    )


async def test_recording_the_report_clears_the_overdue_deadline_and_the_inbox_task(
    browser: Browser, world: World, settings, notify_settings, channels
):
    case = await world.open_case()
    probation = await world.add_measure(
        case.id, MeasureKind.PROBATION, ends_on=world.today() + timedelta(days=2 * 365)
    )
    assert probation.next_report_due is not None
    # A day past the intake report's due date: overdue, and the justice assistant is told.
    world.clock.set(world.clock.now() + (probation.next_report_due - world.today()) + timedelta(1))
    await report_deadline_alerts(world.clock, settings)
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    assert await _unread_tasks(world) == 1

    await browser.login(world.ja.email)
    case_page = (await browser.get(f"/cases/{case.id}")).text
    assert f'href="/measures/{probation.id}/report"' in case_page
    assert "En retard" in case_page or "en retard" in case_page
    form = await browser.get(f"/measures/{probation.id}/report")
    assert form.status_code == 200
    # The period runs from the measure's start to today by default; the intake is offered.
    assert f'value="{probation.starts_on.isoformat()}"' in form.text
    assert f'value="{world.today().isoformat()}"' in form.text
    assert 'value="intake"' in form.text

    fields = {
        "kind": "intake",
        "period_from": probation.starts_on.isoformat(),
        "period_to": world.today().isoformat(),
        "assessment": "Intake held; he attends.",
        "language": "fr",
        "version": str(probation.version),
    }
    # A period reaching into tomorrow: refused on that field, nothing recorded.
    tomorrow = (world.today() + timedelta(days=1)).isoformat()
    r = await browser.post(f"/measures/{probation.id}/report", {**fields, "period_to": tomorrow})
    assert r.status_code == 422
    assert 'id="f-period_to-error"' in r.text
    # No assessment: refused on that field.
    r = await browser.post(f"/measures/{probation.id}/report", {**fields, "assessment": ""})
    assert r.status_code == 422
    assert 'id="f-assessment-error"' in r.text
    assert await AuthorityReport.count() == 0

    r = await browser.post(f"/measures/{probation.id}/report", fields)
    assert r.status_code == 303, r.text
    assert await AuthorityReport.count() == 1
    measure = await Measure.select().where(Measure.id == probation.id).first()
    assert measure["next_report_due"] > world.today()
    assert await _unread_tasks(world) == 0
    case_page = (await browser.get(f"/cases/{case.id}")).text
    assert "report_overdue" not in case_page
    deadlines = case_page.split('id="deadlines"')[1].split("</section>")[0]
    assert "En retard" not in deadlines and "en retard" not in deadlines
    # The same form again (an old tab): the version moved on, nothing recorded twice.
    r = await browser.post(f"/measures/{probation.id}/report", fields)
    assert r.status_code in {409, 422}
    assert await AuthorityReport.count() == 1
    # The next report's form starts the day after the recorded period.
    form = await browser.get(f"/measures/{probation.id}/report")
    assert 'value="intake"' not in form.text


async def test_community_service_hours_are_recorded_from_the_case_page(
    browser: Browser, world: World
):
    case = await world.open_case()
    measure = await world.add_measure(
        case.id,
        conditions=[ConditionCreate(kind=ConditionKind.COMMUNITY_SERVICE, hours_due=60)],
    )
    [service] = [c for c in measure.conditions if c.kind is ConditionKind.COMMUNITY_SERVICE]
    await browser.login(world.ja.email)
    case_page = (await browser.get(f"/cases/{case.id}")).text
    url = f"/conditions/{service.id}/hours"
    assert f'href="{url}"' in case_page
    assert (await browser.get(url)).status_code == 200
    fields = {"hours": "20", "reason": "Attestation of the Régie des quartiers", "version": "1"}
    # More hours than due: refused on the hours field, nothing changes.
    r = await browser.post(url, {**fields, "hours": "61"})
    assert r.status_code == 422
    assert 'id="f-hours-error"' in r.text
    r = await browser.post(url, {**fields, "hours": "deux"})
    assert r.status_code == 422 and 'id="f-hours-error"' in r.text
    r = await browser.post(url, {**fields, "reason": ""})
    assert r.status_code == 422 and 'id="f-reason-error"' in r.text
    row = await Condition.select().where(Condition.id == service.id).first()
    assert row["hours_done"] == 0

    r = await browser.post(url, {**fields, "version": str(row["version"])})
    assert r.status_code == 303, r.text
    row = await Condition.select().where(Condition.id == service.id).first()
    assert (row["hours_done"], row["status"]) == (20, "in_progress")
    r = await browser.post(url, {**fields, "hours": "40", "version": str(row["version"])})
    assert r.status_code == 303
    row = await Condition.select().where(Condition.id == service.id).first()
    assert (row["hours_done"], row["status"]) == (60, "met")
    # Met: the page takes no more hours, and the case page no longer offers it.
    assert f'href="{url}"' not in (await browser.get(f"/cases/{case.id}")).text
    r = await browser.post(url, {**fields, "hours": "1", "version": str(row["version"])})
    assert r.status_code == 409


async def test_other_roles_do_not_reach_the_report_and_hours_pages(browser: Browser, world: World):
    case = await world.open_case()
    measure = await world.add_measure(
        case.id,
        conditions=[ConditionCreate(kind=ConditionKind.COMMUNITY_SERVICE, hours_due=10)],
    )
    [service] = [c for c in measure.conditions if c.kind is ConditionKind.COMMUNITY_SERVICE]
    await browser.login(world.officer.email)
    assert (await browser.get(f"/measures/{measure.id}/report")).status_code == 403
    assert (await browser.get(f"/conditions/{service.id}/hours")).status_code == 403
    await browser.post("/logout", {})
    await browser.login(world.other_house_ja.email)
    assert (await browser.get(f"/measures/{measure.id}/report")).status_code == 404
    assert (await browser.get(f"/conditions/{service.id}/hours")).status_code == 404
