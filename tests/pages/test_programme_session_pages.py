"""Programme staff schedule a group session and cancel one from the pages, through the same
services as the API; a cancellation asks for its reason and a confirmation first."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from perp_track.cases.tables import CaseEvent
from perp_track.i18n.events import describe
from perp_track.summons.programme import services as programme
from perp_track.summons.programme.schemas import SessionCreate
from perp_track.summons.tables import ProgrammeSession, SessionParticipant
from tests.pages.conftest import Browser
from tests.pages.test_role_pages import referral
from tests.world import World

BRUSSELS = ZoneInfo("Europe/Brussels")


def _local(when) -> str:  # type: ignore[no-untyped-def]
    return when.astimezone(BRUSSELS).strftime("%Y-%m-%dT%H:%M")


async def test_programme_staff_schedule_a_session_for_a_group(browser: Browser, world: World):
    a = await referral(world, "Alpha")
    b = await referral(world, "Beta")
    await browser.login(world.praxis.email)
    assert 'href="/sessions/new"' in (await browser.get("/sessions")).text
    form = (await browser.get("/sessions/new")).text
    assert "<h1>Planifier une séance</h1>" in form
    assert 'value="Séance de groupe"' in form  # the title, in the reader's language
    assert f'value="{a}"' in form and f'value="{b}"' in form
    assert "Marc Alpha" in form and "Julie" not in form  # never a victim field

    # Nobody chosen and no date: the form says what is missing, nothing is scheduled.
    r = await browser.post("/sessions/new", {"kind": "group", "title": "Groupe du mardi"})
    assert r.status_code == 422
    assert 'id="f-starts_at-error"' in r.text and 'id="f-participants-error"' in r.text
    assert 'value="Groupe du mardi"' in r.text  # what was typed is kept
    # In the past: the service refuses, in French.
    past = {
        "kind": "group",
        "title": "Groupe du mardi",
        "starts_at": _local(world.clock.now() - timedelta(days=1)),
        "participants.0": str(a),
    }
    r = await browser.post("/sessions/new", past)
    assert r.status_code == 422
    assert "Une séance doit être planifiée dans le futur." in r.text
    assert await ProgrammeSession.count() == 0

    when = world.soon(3, 18)
    r = await browser.post(
        "/sessions/new",
        {
            "kind": "group",
            "title": "Groupe du mardi",
            "starts_at": _local(when),
            "duration_minutes": "90",
            "place": "Rue Saint-Léonard 10, Liège",
            "participants.0": str(a),
            "participants.1": str(b),
        },
    )
    assert r.status_code == 303, r.text
    [session] = await ProgrammeSession.select()
    assert r.headers["location"] == f"/sessions/{session['id']}"
    assert session["starts_at"] == when
    assert session["ends_at"] == when + timedelta(minutes=90)
    assert session["title"] == "Groupe du mardi"
    participants = await SessionParticipant.select(SessionParticipant.condition)
    assert {p["condition"] for p in participants} == {a, b}
    page = (await browser.get(r.headers["location"])).text
    assert "Séance planifiée." in page  # the flash
    assert "Marc Alpha" in page and "Marc Beta" in page
    assert f'href="/sessions/{session["id"]}/cancel"' in page


async def test_cancelling_a_session_asks_for_a_reason_and_a_confirmation(
    browser: Browser, world: World
):
    a = await referral(world, "Alpha")
    session = await programme.schedule_session(
        actor=world.praxis,
        data=SessionCreate(starts_at=world.soon(2, 18), participants=[a]),
        clock=world.clock,
    )
    await browser.login(world.praxis.email)
    listing = (await browser.get("/sessions")).text
    coming = listing.split('id="coming-title"')[1].split("</section>")[0]
    url = f"/sessions/{session.id}/cancel"
    assert f'href="{url}?return=/sessions"' in coming  # the way back to the list
    confirm = (await browser.get(url)).text
    assert "<h1>Annuler cette séance ?</h1>" in confirm
    assert "Marc Alpha" in confirm and 'name="reason"' in confirm
    assert (await ProgrammeSession.select().first())["status"] == "scheduled"

    r = await browser.post(url, {"version": str(session.version)})
    assert r.status_code == 422
    assert 'id="f-reason-error"' in r.text
    assert (await ProgrammeSession.select().first())["status"] == "scheduled"

    r = await browser.post(url, {"version": str(session.version), "reason": "Trainer ill"})
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/sessions"
    assert "Séance annulée." in (await browser.get("/sessions")).text
    assert (await ProgrammeSession.select().first())["status"] == "cancelled"
    [event] = (
        await CaseEvent.select().where(CaseEvent.kind == "session_cancelled").output(load_json=True)
    )
    assert "Trainer ill" in describe(event, "en")

    # The same form sent again from another tab: refused, in the reader's language.
    r = await browser.post(url, {"version": str(session.version), "reason": "Trainer ill"})
    assert r.status_code == 409
    assert "Quelqu&#39;un a modifié cet enregistrement" in r.text
    assert 'name="reason"' not in r.text  # the page shows it cancelled, with no form
    # The justice assistant reads the reason on the case.
    await browser.post("/logout", {})
    await browser.login(world.ja.email)
    case_id = (await CaseEvent.select(CaseEvent.case).where(CaseEvent.id == event["id"]))[0]
    page = (await browser.get(f"/cases/{case_id['case']}")).text
    assert "Séance de programme annulée" in page and "Trainer ill" in page


async def test_a_session_that_has_begun_cannot_be_cancelled(browser: Browser, world: World):
    a = await referral(world, "Alpha")
    session = await programme.schedule_session(
        actor=world.praxis,
        data=SessionCreate(starts_at=world.soon(1, 18), participants=[a]),
        clock=world.clock,
    )
    world.clock.advance(timedelta(days=2))
    await browser.login(world.praxis.email)
    url = f"/sessions/{session.id}/cancel"
    page = (await browser.get(url)).text
    assert "ne peut plus être annulée" in page and 'name="reason"' not in page
    r = await browser.post(url, {"version": "1", "reason": "Too late now"})
    assert r.status_code == 409
    assert "Seule une séance qui n&#39;a pas encore commencé peut être annulée." in r.text
    assert (await ProgrammeSession.select().first())["status"] == "scheduled"


async def test_only_programme_staff_schedule_or_cancel_sessions(browser: Browser, world: World):
    a = await referral(world, "Alpha")
    session = await programme.schedule_session(
        actor=world.praxis,
        data=SessionCreate(starts_at=world.soon(2, 18), participants=[a]),
        clock=world.clock,
    )
    await browser.login(world.ja.email)
    assert (await browser.get("/sessions/new")).status_code == 403
    assert (await browser.get(f"/sessions/{session.id}/cancel")).status_code == 403
    r = await browser.post(f"/sessions/{session.id}/cancel", {"version": "1", "reason": "No"})
    assert r.status_code == 403
    assert (await ProgrammeSession.select().first())["status"] == "scheduled"
