"""Programme staff, SAPV contacts and everyone's inbox: the pages do the role's job through the
same services as the API, and show each role only what it may see."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.notify.dispatch.batch import dispatch_once
from perp_track.notify.tables import Notification, SafeContactProfile
from perp_track.summons.programme import services as programme
from perp_track.summons.programme import views as programme_views
from perp_track.summons.programme.schemas import SessionCreate
from perp_track.summons.tables import Attendance
from tests.fakes.fixtures import *  # noqa: F403
from tests.notify_helpers import consenting_case, open_ban
from tests.pages.conftest import Browser
from tests.world import World


async def referral(world: World, last_name: str) -> int:
    case = await world.open_case(
        perpetrator=world.case_data().perpetrator.model_copy(update={"last_name": last_name})
    )
    measure = await world.add_measure(
        case.id,
        MeasureKind.MEDIATION_216TER,
        conditions=[
            ConditionCreate(
                kind=ConditionKind.PROGRAMME, provider_id=world.orgs["praxis"], required_sessions=2
            )
        ],
    )
    return next(c.id for c in measure.conditions if c.kind is ConditionKind.PROGRAMME)


async def test_roll_call_of_a_group_in_one_save(browser: Browser, world: World):
    a = await referral(world, "Alpha")
    b = await referral(world, "Beta")
    session = await programme.schedule_session(
        actor=world.praxis,
        data=SessionCreate(starts_at=world.soon(1, 18), participants=[a, b]),
        clock=world.clock,
    )
    await browser.login(world.praxis.email)
    # Before the session: the list shows it as coming, the page has no roll-call form.
    listing = (await browser.get("/sessions")).text
    coming = listing.split('id="coming-title"')[1].split("</section>")[0]
    assert f"/sessions/{session.id}" in coming
    before = (await browser.get(f"/sessions/{session.id}")).text
    assert 'name="entries.0.outcome"' not in before
    assert "Marc Alpha" in before

    world.clock.advance(timedelta(days=1, hours=10))
    await browser.login(world.praxis.email)  # the idle session ended meanwhile
    listing = (await browser.get("/sessions")).text
    to_record = listing.split('id="to-record-title"')[1].split("</section>")[0]
    assert f"/sessions/{session.id}" in to_record
    form = (await browser.get(f"/sessions/{session.id}")).text
    assert 'name="entries.1.outcome"' in form
    # Never a victim field on the programme's pages.
    assert "Julie" not in form and "victim" not in form.lower()

    url = f"/sessions/{session.id}"
    version = str(session.version)
    # One participant left unmarked: nothing is saved, the form says who.
    r = await browser.post(
        url,
        {
            "version": version,
            "entries.0.condition_id": str(a),
            "entries.0.outcome": "attended",
            "entries.1.condition_id": str(b),
        },
    )
    assert r.status_code == 422
    assert 'id="f-entries-1-outcome"' in r.text and "error-summary" in r.text
    assert 'value="attended" checked' in r.text  # what was typed is kept
    # An absence with a valid reason needs the reason.
    r = await browser.post(
        url,
        {
            "version": version,
            "entries.0.condition_id": str(a),
            "entries.0.outcome": "attended",
            "entries.1.condition_id": str(b),
            "entries.1.outcome": "absent_valid_reason",
        },
    )
    assert r.status_code == 422
    assert 'id="f-entries-1-reason-error"' in r.text and "Marc Beta" in r.text
    assert await Attendance.count() == 0

    full = {
        "version": version,
        "entries.0.condition_id": str(a),
        "entries.0.outcome": "late",
        "entries.1.condition_id": str(b),
        "entries.1.outcome": "absent_valid_reason",
        "entries.1.reason": "Hospital appointment",
    }
    r = await browser.post(url, full)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == url
    saved = (await browser.get(url)).text
    assert "Hospital appointment" in saved and 'name="entries.0.outcome"' not in saved
    rows = await Attendance.select(Attendance.condition, Attendance.outcome)
    assert {(r["condition"], r["outcome"]) for r in rows} == {
        (a, "late"),
        (b, "absent_valid_reason"),
    }
    # The same form sent again (an old tab): refused, nothing overwritten.
    r = await browser.post(url, full)
    assert r.status_code == 409
    assert await Attendance.count() == 2


async def test_participants_progress_and_a_confirmed_drop_out(browser: Browser, world: World):
    a = await referral(world, "Alpha")
    await browser.login(world.praxis.email)
    listing = (await browser.get("/participants")).text
    assert "Marc Alpha" in listing and "0 of 2 sessions" not in listing  # French by profile
    assert "0 sur 2 séances" in listing
    assert "Julie" not in listing

    url = f"/participants/{a}/interruption"
    form = (await browser.get(url)).text
    [referral_row] = await programme_views.list_referrals(actor=world.praxis)
    data = {
        "version": str(referral_row.version),
        "interruption": "dropped_out",
        "reason": "Stopped coming after the intake",
    }
    assert 'name="confirm"' in form
    # Without the confirmation box ticked: nothing happens.
    r = await browser.post(url, data)
    assert r.status_code == 422
    [still] = await programme_views.list_referrals(actor=world.praxis)
    assert still.interruption is None
    r = await browser.post(url, {**data, "confirm": "yes"})
    assert r.status_code == 303, r.text
    [after] = await programme_views.list_referrals(actor=world.praxis)
    assert after.interruption == "dropped_out"
    listing = (await browser.get("/participants")).text
    assert url not in listing  # no second report of the same interruption


async def test_each_role_reaches_only_its_own_pages(browser: Browser, world: World):
    await browser.login(world.praxis.email)
    for url in ("/victims", "/cases"):
        assert (await browser.get(url)).status_code == 403, url
    assert (await browser.get("/inbox")).status_code == 200
    await browser.post("/logout", {})
    await browser.login(world.sapv.email)
    for url in ("/sessions", "/participants", "/cases"):
        assert (await browser.get(url)).status_code == 403, url
    await browser.post("/logout", {})
    await browser.login(world.officer.email)
    for url in ("/sessions", "/victims"):
        assert (await browser.get(url)).status_code == 403, url


async def test_sapv_contact_records_the_profile_and_consent(browser: Browser, world: World):
    case = await world.open_case()
    victim = case.victim.id
    await browser.login(world.sapv.email)
    listing = (await browser.get("/victims")).text
    assert f"/victims/{victim}" in listing and "Julie Dubois" in listing
    page = (await browser.get(f"/victims/{victim}")).text
    # The safety explanation sits next to each choice.
    for hint in ("f-sms_allowed-hint", "f-detail_level-hint", "f-show_sender-hint"):
        assert f'id="{hint}"' in page
    # The perpetrator's address never appears on her page.
    assert "Rue Saint-Gilles" not in page

    profile_url = f"/victims/{victim}/profile"
    r = await browser.post(
        profile_url,
        {
            "version": "1",
            "sms_allowed": "yes",
            "safe_from": "25:00",
            "detail_level": "neutral",
            "language": "nl",
            "show_sender": "no",
        },
    )
    assert r.status_code == 422 and 'id="f-safe_from-error"' in r.text
    r = await browser.post(
        profile_url,
        {
            "version": "1",
            "sms_allowed": "yes",
            "safe_from": "09:00",
            "safe_until": "19:30",
            "detail_level": "status",
            "language": "nl",
            "show_sender": "no",
            "code_word": "tulpen",
        },
    )
    assert r.status_code == 303, r.text
    stored = await SafeContactProfile.select().first()
    assert stored["sms_allowed"] and stored["language"] == "nl"
    assert (stored["safe_from"], stored["safe_until"]) == ("09:00", "19:30")
    assert stored["code_word_hash"] and "tulpen" not in str(stored["code_word_hash"])
    # A form read before that save is refused, not merged.
    r = await browser.post(profile_url, {"version": "1", "sms_allowed": "no"})
    assert r.status_code == 409

    consent_url = f"/victims/{victim}/consent"
    r = await browser.post(consent_url, {"action": "record", "note": "Agreed at the office"})
    assert r.status_code == 422
    assert (await SafeContactProfile.select().first())["consent_given_at"] is None
    r = await browser.post(consent_url, {"action": "record", "confirm": "yes"})
    assert r.status_code == 303
    page = (await browser.get(f"/victims/{victim}")).text
    assert "Révoquer son consentement" in page
    assert (await SafeContactProfile.select().first())["consent_given_at"] is not None

    r = await browser.post(consent_url, {"action": "revoke", "confirm": "yes"})
    assert r.status_code == 303
    assert (await SafeContactProfile.select().first())["consent_revoked_at"] is not None


@pytest.fixture
async def notify_browser(notify_app) -> AsyncIterator[Browser]:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=notify_app), base_url="https://testserver"
    ) as client:
        yield Browser(client)


async def test_police_officer_acknowledges_feedback_from_the_inbox(
    notify_browser: Browser, world: World, notify_settings, channels
):
    case = await world.open_case()
    await open_ban(world, case.id)
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    browser = notify_browser
    await browser.login(world.officer.email)
    home = (await browser.get("/")).text
    assert 'class="nav-count">1<' in home
    inbox = (await browser.get("/inbox")).text
    assert "Ce qui s&#39;est passé" in inbox
    [item] = await Notification.select().where(
        (Notification.recipient_user == world.officer.id) & (Notification.channel == "in_app")
    )
    assert f"/inbox/{item['id']}/acknowledge" in inbox
    r = await browser.post(f"/inbox/{item['id']}/acknowledge", {})
    assert r.status_code == 303
    stored = await Notification.select().where(Notification.id == item["id"]).first()
    assert stored["acknowledged_at"] is not None and stored["read_at"] is not None
    inbox = (await browser.get("/inbox")).text
    assert f"/inbox/{item['id']}/acknowledge" not in inbox
    assert 'class="nav-count"' not in inbox
    # Someone else's message does not exist for them.
    await browser.post("/logout", {})
    await browser.login(world.ja.email)
    r = await browser.post(f"/inbox/{item['id']}/read", {})
    assert r.status_code == 404


async def test_sapv_contact_sees_each_message_to_her_and_urgent_alerts(
    notify_browser: Browser, world: World, notify_settings, channels
):
    case = await consenting_case(world)
    await open_ban(world, case.id)
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    browser = notify_browser
    await browser.login(world.sapv.email)
    page = (await browser.get(f"/victims/{case.victim.id}")).text
    history = page.split('id="history-title"')[1].split("</section>")[0]
    sms = await Notification.select().where(Notification.recipient_person == case.victim.id)
    assert sms, "the ban should have written to her"
    assert "SMS" in history
    # Her copy of each message sits in the SAPV contact's inbox, and is counted here.
    assert "<td>1</td>" in history
    listing = (await browser.get("/victims")).text
    assert 'id="alerts-title"' in listing
