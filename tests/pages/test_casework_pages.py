"""The justice assistant's dashboard from the caseload services, the case page's compliance,
deadlines and notifications, and the printable documents behind their links."""

from __future__ import annotations

from datetime import timedelta

from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from tests.notify_helpers import open_ban
from tests.pages.conftest import Browser
from tests.world import World


async def test_dashboard_lists_bans_ending_and_overdue_with_their_reasons(
    browser: Browser, world: World
):
    case = await world.open_case()
    await world.add_measure(
        case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN, ends_on=world.today() + timedelta(days=3)
    )
    await browser.login(world.ja.email)
    page = (await browser.get("/")).text
    bans = page.split('id="bans-title"')[1].split("</section>")[0]
    assert case.reference in bans and "(1)" in bans.split("</h2>")[0]
    assert "Interdiction bientôt terminée" in bans
    assert 'id="overdue-title"' in page and 'id="decisions-title"' in page
    # Another justice assistant does not see it.
    await browser.post("/logout", {})
    await browser.login(world.ja2.email)
    page = (await browser.get("/")).text
    assert case.reference not in page.split('id="bans-title"')[1].split("</section>")[0]


async def test_case_page_shows_compliance_deadlines_and_notifications(
    browser: Browser, world: World
):
    case = await world.open_case()
    await open_ban(world, case.id)
    await world.add_measure(
        case.id,
        MeasureKind.MEDIATION_216TER,
        conditions=[
            ConditionCreate(
                kind=ConditionKind.PROGRAMME, provider_id=world.orgs["praxis"], required_sessions=2
            )
        ],
    )
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(days=2)),
        clock=world.clock,
    )
    await browser.login(world.ja.email)
    page = (await browser.get(f"/cases/{case.id}")).text
    notifications = page.split('id="notifications-title"')[1].split("</section>")[0]
    # The ban told the referring officer and the SAPV contact; queued until the worker runs.
    assert "Policier à l&#39;origine du signalement" in notifications
    assert "En attente d&#39;envoi" in notifications
    deadlines = page.split('id="deadlines-title"')[1].split("</section>")[0]
    assert "fin de l&#39;interdiction" in deadlines
    measures = page.split('id="measures-title"')[1].split("</section>")[0]
    assert '<th scope="col">Respect des conditions</th>' in measures
    assert f"/summons/{summons.id}/letter" in page
    assert f"/summons/{summons.id}/calendar.ics" in page

    letter = await browser.get(f"/summons/{summons.id}/letter")
    assert letter.status_code == 200 and "text/html" in letter.headers["content-type"]
    assert "Marc" in letter.text
    ics = await browser.get(f"/summons/{summons.id}/calendar.ics")
    assert ics.status_code == 200 and "BEGIN:VCALENDAR" in ics.text
    today = world.today()
    report = await browser.get(
        f"/cases/{case.id}/report",
        params={"period_from": today.replace(day=1).isoformat(), "period_to": today.isoformat()},
    )
    assert report.status_code == 200 and case.reference in report.text
    # A period that ends before it starts is refused with a message, not a crash.
    bad = await browser.get(
        f"/cases/{case.id}/report",
        params={"period_from": today.isoformat(), "period_to": "2020-01-01"},
    )
    assert 400 <= bad.status_code < 500

    # Not the case of a justice assistant of another house, nor for other roles.
    await browser.post("/logout", {})
    await browser.login(world.other_house_ja.email)
    assert (await browser.get(f"/summons/{summons.id}/letter")).status_code == 404
    await browser.post("/logout", {})
    await browser.login(world.officer.email)
    assert (await browser.get(f"/summons/{summons.id}/calendar.ics")).status_code == 403
