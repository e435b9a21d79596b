"""Facts of a running case changed from its page: the perpetrator's phone (queued SMS follow the
new number), the justice assistant (a supervisor's call; the new one is told), the referring
officer (the new one is told), a condition added to a running measure, a measure ended early
with its reason. Each wrong input names its field and changes nothing."""

from __future__ import annotations

import re
from typing import Any

from perp_track.auth.rules import Role
from perp_track.auth.services import create_user
from perp_track.cases.tables import Case, CaseEvent, Person
from perp_track.measures.tables import Condition, Measure
from perp_track.notify.dispatch.batch import dispatch_once
from perp_track.notify.tables import Notification
from perp_track.summons import services as summons_services
from perp_track.summons.schemas import SummonsCreate
from tests.fakes.fixtures import *  # noqa: F403
from tests.notify_helpers import outbox
from tests.pages.conftest import Browser
from tests.world import PASSWORD, World

OLD = "+32470111222"  # the test world's perpetrator
NEW = "+447700900321"
VICTIM = "+32470333444"


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "the form carries the version it read"
    return found.group(1)


async def _snapshot(case_id: int) -> dict[str, Any]:
    """What a refused change must leave as it was."""
    case = await Case.select().where(Case.id == case_id).first()
    assert case is not None
    person = await Person.select().where(Person.id == case["perpetrator"]).first()
    return {
        "case": case,
        "person": person,
        "events": await CaseEvent.count().where(CaseEvent.case == case_id),
        "outbox": await Notification.count(),
        "conditions": await Condition.count(),
        "measures": await Measure.select(Measure.id, Measure.status, Measure.version),
    }


async def test_the_perpetrators_phone_changes_and_queued_sms_go_to_the_new_number(
    browser: Browser, world: World, twilio, notify_settings, channels
):
    case = await world.open_case()
    await summons_services.schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(9)),
        clock=world.clock,
    )
    queued = await outbox(audience="perpetrator", state="queued")
    assert queued, "the summons' SMS waits in the outbox"
    await browser.login(world.ja.email)
    page = (await browser.get(f"/cases/{case.id}")).text
    assert f'href="/cases/{case.id}/perpetrator/phone"' in page
    form = await browser.get(f"/cases/{case.id}/perpetrator/phone")
    assert form.status_code == 200 and OLD in form.text
    version = _version(form.text)
    url = f"/cases/{case.id}/perpetrator/phone"
    before = await _snapshot(case.id)
    # Malformed, a victim's number, his own number again, nothing: each on the phone field.
    for wrong in ("0470 12", VICTIM, OLD, ""):
        r = await browser.post(url, {"phone": wrong, "version": version})
        assert r.status_code == 422, (wrong, r.status_code)
        assert 'id="f-phone-error"' in r.text
        assert 'href="#f-phone"' in r.text  # the summary links to the field
    # Another fact posted to this page never rides along.
    r = await browser.post(url, {"phone": "0470 12", "address": "Rue X 1", "version": version})
    assert r.status_code == 422
    assert await _snapshot(case.id) == before

    r = await browser.post(url, {"phone": "+44 7700 900321", "version": version})
    assert r.status_code == 303, r.text
    person = await Person.select(Person.phone).where(Person.id == case.perpetrator.id).first()
    assert person["phone"] == NEW
    row = await Case.select(Case.version).where(Case.id == case.id).first()
    assert row["version"] == int(version) + 1
    event = (
        await CaseEvent.select()
        .where((CaseEvent.case == case.id) & (CaseEvent.kind == "perpetrator_contact_changed"))
        .first()
    )
    assert event is not None and event["actor"] == world.ja.id
    assert NEW not in str(event["data"]), "the number stays off the timeline"
    # Nobody is told of a phone change (DOMAIN §4 has no such row).
    assert len(await Notification.select().where(Notification.event == event["id"])) == 0
    # An old tab: the version moved on.
    r = await browser.post(url, {"phone": "+447700900322", "version": version})
    assert r.status_code == 409

    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    to = [m["to"] for m in twilio.messages.values()]
    assert NEW in to
    assert OLD not in to


async def test_a_language_change_carries_onto_his_queued_messages(browser: Browser, world: World):
    case = await world.open_case()
    await summons_services.schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(9)),
        clock=world.clock,
    )
    await browser.login(world.ja.email)
    form = await browser.get(f"/cases/{case.id}/perpetrator/language")
    r = await browser.post(
        f"/cases/{case.id}/perpetrator/language", {"language": "nl", "version": _version(form.text)}
    )
    assert r.status_code == 303
    queued = await outbox(audience="perpetrator", state="queued")
    assert queued and {q["language"] for q in queued} == {"nl"}


async def test_an_address_change_tells_the_referring_officer_only(browser: Browser, world: World):
    case = await world.open_case()
    await browser.login(world.ja.email)
    form = await browser.get(f"/cases/{case.id}/perpetrator/address")
    url = f"/cases/{case.id}/perpetrator/address"
    before = await _snapshot(case.id)
    r = await browser.post(url, {"address": "Rue", "version": _version(form.text)})
    assert r.status_code == 422 and 'id="f-address-error"' in r.text
    assert await _snapshot(case.id) == before
    r = await browser.post(
        url, {"address": "Rue Neuve 3, 4000 Liège", "version": _version(form.text)}
    )
    assert r.status_code == 303
    told = await outbox(template="perpetrator_address_changed")
    assert told and {t["audience"] for t in told} == {"referring_officer"}


async def test_a_supervisor_reassigns_and_the_new_justice_assistant_is_told(
    browser: Browser, other_browser: Browser, world: World
):
    case = await world.open_case()
    # A justice assistant has no Change link and may not reassign.
    await other_browser.login(world.ja.email)
    page = (await other_browser.get(f"/cases/{case.id}")).text
    assert f"/cases/{case.id}/assignment" not in page
    r = await other_browser.get(f"/cases/{case.id}/assignment")
    assert r.status_code in (403, 404)

    await browser.login(world.supervisor.email)
    page = (await browser.get(f"/cases/{case.id}")).text
    assert f'href="/cases/{case.id}/assignment"' in page
    form = await browser.get(f"/cases/{case.id}/assignment")
    version = _version(form.text)
    url = f"/cases/{case.id}/assignment"
    before = await _snapshot(case.id)
    wrong: list[tuple[dict[str, str], str]] = [
        ({"assigned_ja_id": "", "reason": "Caseload rebalanced"}, "assigned_ja_id"),
        ({"assigned_ja_id": str(world.ja2.id), "reason": ""}, "reason"),
        ({"assigned_ja_id": str(world.ja.id), "reason": "Caseload rebalanced"}, "assigned_ja_id"),
        (
            {"assigned_ja_id": str(world.other_house_ja.id), "reason": "Caseload rebalanced"},
            "assigned_ja_id",
        ),
    ]
    for body, field in wrong:
        r = await browser.post(url, {**body, "version": version})
        assert r.status_code == 422, (body, r.status_code)
        assert f'id="f-{field}-error"' in r.text, body
    assert await _snapshot(case.id) == before

    r = await browser.post(
        url,
        {"assigned_ja_id": str(world.ja2.id), "reason": "Caseload rebalanced", "version": version},
    )
    assert r.status_code == 303, r.text
    row = await Case.select(Case.assigned_ja).where(Case.id == case.id).first()
    assert row["assigned_ja"] == world.ja2.id
    told = await outbox(template="case_assigned")
    assert told and {t["recipient_user"] for t in told} == {world.ja2.id}
    assert {t["language"] for t in told} == {"nl"}


async def test_another_referring_officer_is_recorded_and_told(browser: Browser, world: World):
    case = await world.open_case()
    other = await create_user(
        email="els.officer@test.example",
        full_name="Els Peeters",
        role=Role.POLICE_OFFICER,
        organisation_id=world.orgs["police"],
        password=PASSWORD,
        clock=world.clock,
    )
    await browser.login(world.ja.email)
    form = await browser.get(f"/cases/{case.id}/referring-officer")
    assert "ZP Liège" in form.text, "each officer is offered with their zone"
    version = _version(form.text)
    url = f"/cases/{case.id}/referring-officer"
    before = await _snapshot(case.id)
    for body, field in (
        (
            {"referring_officer_id": str(world.sapv.id), "reason": "Moved zone"},
            "referring_officer_id",
        ),
        (
            {"referring_officer_id": str(world.officer.id), "reason": "Moved zone"},
            "referring_officer_id",
        ),
        ({"referring_officer_id": "x", "reason": "Moved zone"}, "referring_officer_id"),
        ({"referring_officer_id": str(other.id), "reason": ""}, "reason"),
    ):
        r = await browser.post(url, {**body, "version": version})
        assert r.status_code == 422, body
        assert f'id="f-{field}-error"' in r.text, body
    assert await _snapshot(case.id) == before
    r = await browser.post(
        url, {"referring_officer_id": str(other.id), "reason": "Moved zone", "version": version}
    )
    assert r.status_code == 303
    told = await outbox(template="referral_transferred")
    assert told and {t["recipient_user"] for t in told} == {other.id}


async def test_a_condition_is_added_to_a_running_measure(browser: Browser, world: World):
    case = await world.open_case()
    measure = await world.add_measure(case.id)
    await browser.login(world.ja.email)
    page = (await browser.get(f"/cases/{case.id}")).text
    assert f'href="/measures/{measure.id}/conditions/new"' in page
    form = await browser.get(f"/measures/{measure.id}/conditions/new")
    version = _version(form.text)
    url = f"/measures/{measure.id}/conditions/new"
    before = await _snapshot(case.id)
    for body, field in (
        ({}, "condition.kind"),
        ({"condition.kind": "community_service"}, "condition.hours_due"),
        (
            {"condition.kind": "community_service", "condition.hours_due": "-3"},
            "condition.hours_due",
        ),
    ):
        r = await browser.post(url, {**body, "version": version})
        assert r.status_code == 422, (body, r.text[:300])
        assert f'id="f-{field.replace(".", "-")}-error"' in r.text, body
    assert await _snapshot(case.id) == before
    r = await browser.post(
        url,
        {"condition.kind": "community_service", "condition.hours_due": "40", "version": version},
    )
    assert r.status_code == 303
    assert await Condition.exists().where(
        (Condition.measure == measure.id) & (Condition.kind == "community_service")
    )


async def test_a_measure_is_ended_early_with_its_reason(browser: Browser, world: World):
    case = await world.open_case()
    measure = await world.add_measure(case.id)
    await browser.login(world.ja.email)
    # Only a running measure can be completed: start it first through its status page.
    form = await browser.get(f"/measures/{measure.id}/transition")
    for confirm in ("", "yes"):
        await browser.post(
            f"/measures/{measure.id}/transition",
            {"event": "start", "reason": "Intake held", "version": _version(form.text)}
            | ({"confirm": confirm} if confirm else {}),
        )
    page = (await browser.get(f"/cases/{case.id}")).text
    assert f'href="/measures/{measure.id}/close"' in page
    form = await browser.get(f"/measures/{measure.id}/close")
    version = _version(form.text)
    url = f"/measures/{measure.id}/close"
    before = await _snapshot(case.id)
    for body, field in (
        ({"reason": "The prosecutor withdrew it"}, "event"),
        ({"event": "lift", "reason": ""}, "reason"),
        ({"event": "suspend", "reason": "The prosecutor withdrew it"}, "event"),
    ):
        r = await browser.post(url, {**body, "version": version})
        assert r.status_code == 422, body
        assert f'id="f-{field}-error"' in r.text, body
    # The first step only shows what will happen.
    r = await browser.post(
        url, {"event": "lift", "reason": "The prosecutor withdrew it", "version": version}
    )
    assert r.status_code == 200 and 'name="confirm" value="yes"' in r.text
    assert await _snapshot(case.id) == before
    # "Change" on the check step: the form again, as it was filled in.
    r = await browser.post(
        url, {"event": "lift", "reason": "The prosecutor withdrew it", "edit": "yes"}
    )
    assert r.status_code == 200 and 'name="confirm"' not in r.text
    assert "The prosecutor withdrew it</textarea>" in r.text
    assert 'value="lift" aria-describedby="hint-lift" checked' in r.text
    assert await _snapshot(case.id) == before
    r = await browser.post(
        url,
        {
            "event": "lift",
            "reason": "The prosecutor withdrew it",
            "version": version,
            "confirm": "yes",
        },
    )
    assert r.status_code == 303
    row = await Measure.select(Measure.status).where(Measure.id == measure.id).first()
    assert row["status"] == "lifted"
    told = await outbox(template="measure_closed")
    assert {t["audience"] for t in told} >= {"referring_officer", "sapv_contact"}


async def test_the_police_find_a_case_by_its_pv_number(browser: Browser, world: World):
    found = await world.open_case(
        police_report_number="LI.55.L3.004113/2026", police_reference="ZP5277/2026/0301"
    )
    await world.open_case(police_report_number="LI.55.L3.009999/2026")
    await browser.login(world.officer.email)
    page = (await browser.get("/referred")).text
    assert 'action="/referred"' in page
    r = await browser.post("/referred", {"search": "L3 004113/2026"})
    assert r.status_code == 200
    assert found.reference in r.text
    assert r.text.count('class="card" aria-labelledby="case-') == 1
    r = await browser.post("/referred", {"search": "zp5277 2026 0301"})
    assert found.reference in r.text
    r = await browser.post("/referred", {"search": "nothing-like-it"})
    assert found.reference not in r.text
