"""The interpreter register's pages and booking from a summons: refusals named by field, in the
reader's language, changing nothing."""

from __future__ import annotations

from perp_track.interpreters.schemas import InterpreterCreate
from perp_track.interpreters.services import add_interpreter
from perp_track.interpreters.tables import Interpreter, InterpreterBooking
from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from perp_track.summons.tables import Summons
from tests.pages.conftest import Browser
from tests.world import World

FORM = {
    "full_name": "Samira Haddou",
    "language": "arabic",
    "sworn": "yes",
    "email": "samira.haddou@example.org",
    "message_language": "fr",
}


def _summary(html: str) -> str:
    return html.split('class="error-summary"')[1].split("</div>")[0]


async def test_a_supervisor_adds_changes_and_takes_out_of_service(browser: Browser, world: World):
    await browser.login(world.supervisor.email)
    assert (await browser.post("/interpreters/new", FORM)).status_code == 303
    twice = await browser.post("/interpreters/new", {**FORM, "email": "SAMIRA.haddou@example.org"})
    assert twice.status_code == 422
    summary = _summary(twice.text)
    assert 'href="#f-email"' in summary and "déjà inscrit au registre" in summary
    assert 'id="f-email-error"' in twice.text
    bad = await browser.post("/interpreters/new", {**FORM, "email": "nope"})
    assert bad.status_code == 422 and 'href="#f-email"' in _summary(bad.text)
    assert await Interpreter.count() == 1
    row = await Interpreter.select().first()
    assert row is not None and row["sworn"] is True
    # Unticking "sworn" and emptying the phone are changes too.
    changed = await browser.post(
        f"/interpreters/{row['id']}",
        {**FORM, "sworn": "", "phone": "", "version": str(row["version"])},
    )
    assert changed.status_code == 303
    after = await Interpreter.select().first()
    assert after is not None and after["sworn"] is False and after["version"] == 2
    stale = await browser.post(
        f"/interpreters/{row['id']}", {**FORM, "full_name": "X", "version": "1"}
    )
    assert stale.status_code == 422 and "error-summary" in stale.text
    kept = await Interpreter.select(Interpreter.full_name).first()
    assert kept is not None and kept["full_name"] == "Samira Haddou"
    page = (await browser.get("/interpreters")).text
    assert "Samira Haddou" in page and "Retirer du service" in page


async def test_a_booked_interpreter_cannot_leave_the_register(browser: Browser, world: World):
    case = await world.open_case(interpreter_language="arabic")
    samira = await add_interpreter(
        actor=world.supervisor, data=InterpreterCreate(**{**FORM, "sworn": True}), clock=world.clock
    )
    await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(), interpreter_id=samira.id),
        clock=world.clock,
    )
    await browser.login(world.supervisor.email)
    r = await browser.post(
        f"/interpreters/{samira.id}/active", {"active": "false", "version": str(samira.version)}
    )
    assert r.status_code == 422
    assert "réservé pour 1 convocation" in _summary(r.text)
    row = await Interpreter.select(Interpreter.active).first()
    assert row is not None and row["active"] is True


async def test_the_schedule_form_names_the_interpreter_field_in_dutch(
    browser: Browser, world: World
):
    case = await world.open_case(interpreter_language="arabic")
    dari = await add_interpreter(
        actor=world.supervisor,
        data=InterpreterCreate(**{**FORM, "language": "dari", "sworn": False}),
        clock=world.clock,
    )
    await browser.login(world.ja2.email)  # Dutch
    form = (await browser.get(f"/cases/{case.id}/summons/new")).text
    assert "Heeft een tolk nodig" in form
    assert "De persoon spreekt arabic" in form
    when = world.soon().strftime("%Y-%m-%dT%H:%M")
    r = await browser.post(
        f"/cases/{case.id}/summons/new", {"scheduled_at": when, "interpreter_needed": "yes"}
    )
    assert r.status_code == 422
    assert 'href="#f-interpreter_id"' in _summary(r.text) and "Tolk" in _summary(r.text)
    # Another language's interpreter sent by hand: refused on the field, nothing scheduled.
    r = await browser.post(
        f"/cases/{case.id}/summons/new",
        {"scheduled_at": when, "interpreter_needed": "yes", "interpreter_id": str(dari.id)},
    )
    assert r.status_code == 422
    assert 'href="#f-interpreter_id"' in _summary(r.text)
    assert "tolkt geen arabic" in _summary(r.text)
    assert await Summons.count() == 0 and await InterpreterBooking.count() == 0
    # Without the box ticked, the choice is ignored: a summons without an interpreter.
    r = await browser.post(
        f"/cases/{case.id}/summons/new", {"scheduled_at": when, "interpreter_id": str(dari.id)}
    )
    assert r.status_code == 303 and await InterpreterBooking.count() == 0


async def test_booking_from_the_summons_page(browser: Browser, world: World):
    case = await world.open_case(interpreter_language="arabic")
    samira = await add_interpreter(
        actor=world.supervisor, data=InterpreterCreate(**{**FORM, "sworn": True}), clock=world.clock
    )
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon()),
        clock=world.clock,
    )
    await browser.login(world.ja.email)
    page = (await browser.get(f"/cases/{case.id}")).text
    assert f'href="/summons/{summons.id}/interpreter"' in page
    assert "Interprète (arabic) : pas réservé" in page
    form = (await browser.get(f"/summons/{summons.id}/interpreter")).text
    assert "Samira Haddou (juré)" in form
    r = await browser.post(
        f"/summons/{summons.id}/interpreter",
        {"interpreter_id": str(samira.id), "version": str(summons.version)},
    )
    assert r.status_code == 303
    page = (await browser.get(f"/cases/{case.id}")).text
    assert "Interprète (arabic) : Samira Haddou" in page and "Changer d'interprète" in page
    assert "Interprète informé" not in page  # the booking e-mail is queued, not yet told
    assert "Interprète réservé" in page  # the outbox row, by its label
