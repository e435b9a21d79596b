"""The interpreter register and the bookings of summons: an interpreter is booked and told with
the summons, by e-mail through the local SMTP fake, on book, move and cancel; and told nothing
of the case."""

from __future__ import annotations

from datetime import timedelta
from email.message import Message

import pytest
from icalendar import Calendar

from perp_track.audit.tables import AuditEntry
from perp_track.auth.rules import ActingUser
from perp_track.cases.tables import CaseEvent
from perp_track.config import load_settings
from perp_track.documents.letter import summons_ics, summons_letter_html
from perp_track.errors import Conflict, Forbidden, Invalid, NotFound
from perp_track.interpreters import services as register
from perp_track.interpreters.schemas import (
    BookingIn,
    BookingRelease,
    InterpreterActive,
    InterpreterCreate,
    InterpreterUpdate,
)
from perp_track.interpreters.tables import Interpreter, InterpreterBooking
from perp_track.notify.dispatch.batch import dispatch_once
from perp_track.summons import interpreter as summons_interpreter
from perp_track.summons.schemas import SummonsCancel, SummonsCreate, SummonsReschedule
from perp_track.summons.services import cancel_summons, reschedule_summons, schedule_summons
from perp_track.summons.tables import Summons
from tests.fakes.fixtures import *  # noqa: F403
from tests.world import World

SAMIRA = "samira.haddou@example.org"


async def _add(world: World, actor: ActingUser | None = None, **given):
    data = {
        "full_name": "Samira Haddou",
        "language": "Arabic",
        "sworn": True,
        "email": SAMIRA,
        "phone": "+44 7700 900123",
        "organisation": "Interprètes associés (fictional)",
        "message_language": "nl",
        **given,
    }
    return await register.add_interpreter(
        actor=actor or world.supervisor, data=InterpreterCreate(**data), clock=world.clock
    )


def _text(message: Message) -> str:
    parts = [message["Subject"] or ""]
    for part in message.walk():
        if part.get_content_type() in {"text/plain", "text/html"}:
            parts.append(part.get_payload(decode=True).decode())
    return "\n".join(parts)


def _to(smtp, address: str) -> list[str]:
    return [_text(m) for m in smtp.messages if m["To"] == address]


async def test_an_interpreter_is_booked_and_told_with_the_summons(
    world: World, notify_settings, channels, smtp
):
    case = await world.open_case(interpreter_language="arabic")
    samira = await _add(world)
    assert samira.language == "arabic"  # kept as cases write it

    async def send() -> None:
        await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)

    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(
            scheduled_at=world.soon(7, 10),
            place="Rue de Campine 1, 4000 Liège",
            interpreter_id=samira.id,
        ),
        clock=world.clock,
    )
    assert summons.interpreter is not None and summons.interpreter.interpreter_id == samira.id
    reference = summons.interpreter.reference
    assert reference.startswith("ITP-") and reference != case.reference
    await send()
    [booked] = _to(smtp, SAMIRA)
    # In the interpreter's language (Dutch), with the time, place, language and reference.
    assert "Reservering tolk" in booked and reference in booked
    assert "Rue de Campine 1" in booked and "arabic" in booked
    assert world.soon(7, 10).astimezone(notify_settings.tz).strftime("%d/%m/%Y %H:%M") in booked

    moved = await reschedule_summons(
        actor=world.ja,
        summons_id=summons.id,
        data=SummonsReschedule(
            scheduled_at=world.soon(9, 14),
            reason="The lawyer is in court",
            requested_by="lawyer",
            version=summons.version,
        ),
        clock=world.clock,
    )
    assert moved.interpreter is not None and moved.interpreter.reference == reference
    await send()
    assert len(_to(smtp, SAMIRA)) == 2
    assert "verplaatst" in _to(smtp, SAMIRA)[1]

    await cancel_summons(
        actor=world.ja,
        summons_id=moved.id,
        data=SummonsCancel(reason="Measure lifted", version=moved.version),
        clock=world.clock,
    )
    await send()
    mails = _to(smtp, SAMIRA)
    assert len(mails) == 3
    assert "geannuleerd" in mails[2]
    for mail in mails:
        for secret in ("Marc", "Dubois", "Julie", case.reference, "LI.26.12.345"):
            assert secret not in mail, (secret, mail)
        for offence in ("violence", "geweld", "verbod", "interdiction", "probation", "victim"):
            assert offence not in mail.lower()
    statuses = {
        r["summons"]: r["status"]
        for r in await InterpreterBooking.select().order_by(InterpreterBooking.id)
    }
    assert statuses == {summons.id: "moved", moved.id: "cancelled"}


async def test_without_a_booking_nobody_new_is_told(world: World, notify_settings, channels, smtp):
    case = await world.open_case(interpreter_language="arabic")
    await _add(world)
    await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon()),
        clock=world.clock,
    )
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    assert _to(smtp, SAMIRA) == []


async def _counts() -> tuple[int, int, int, int]:
    return (
        await Summons.count(),
        await InterpreterBooking.count(),
        await CaseEvent.count(),
        await AuditEntry.count(),
    )


async def test_a_wrong_booking_is_refused_by_field_and_changes_nothing(world: World):
    case = await world.open_case(interpreter_language="arabic")
    samira = await _add(world)
    dari = await _add(world, full_name="Ahmad Karimi", language="dari", email="ak@example.org")
    gone = await _add(world, full_name="Old Name", email="old@example.org")
    await register.set_active(
        actor=world.supervisor,
        interpreter_id=gone.id,
        data=InterpreterActive(active=False, version=gone.version),
        clock=world.clock,
    )
    # Another house's interpreter of the right language is not this house's to book.
    elsewhere = Interpreter(
        justice_house=world.orgs["jh2"],
        full_name="Jan Arabist",
        language="arabic",
        email="jan@example.org",
        message_language="nl",
        created_by=world.other_house_ja.id,
        created_at=world.clock.now(),
        updated_at=world.clock.now(),
    )
    await elsewhere.save()
    before = await _counts()
    cases = [
        ({"interpreter_id": elsewhere.id}, "interpreter.not_found", "interpreter_id"),
        ({"interpreter_id": dari.id}, "interpreter.wrong_language", "interpreter_id"),
        ({"interpreter_id": gone.id}, "interpreter.inactive", "interpreter_id"),
        ({"interpreter_id": 99999}, "interpreter.not_found", "interpreter_id"),
    ]
    for given, code, field in cases:
        with pytest.raises(Invalid) as caught:
            await schedule_summons(
                actor=world.ja,
                case_id=case.id,
                data=SummonsCreate(scheduled_at=world.soon(), **given),
                clock=world.clock,
            )
        assert caught.value.code == code and caught.value.params["field"] == field
    # A case in the house's own language with no interpreter language: nothing to book for.
    plain = await world.open_case()
    with pytest.raises(Invalid) as caught:
        await schedule_summons(
            actor=world.ja,
            case_id=plain.id,
            data=SummonsCreate(scheduled_at=world.soon(), interpreter_id=samira.id),
            clock=world.clock,
        )
    assert caught.value.params["field"] == "interpreter_language"
    after = await _counts()
    assert after[0] == before[0] and after[1] == before[1]
    assert after[2] == before[2] + 1  # only the second case's opening


async def test_a_dutch_speaker_of_a_french_house_needs_a_dutch_interpreter(world: World):
    case = await world.open_case(language="nl")
    dutch = await _add(world, full_name="Lies Claes", language="Dutch", email="lc@example.org")
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(), interpreter_id=dutch.id),
        clock=world.clock,
    )
    assert summons.interpreter is not None and summons.interpreter.language == "dutch"


async def test_the_register_is_kept_by_supervisors_of_the_house(world: World):
    with pytest.raises(Forbidden):
        await _add(world, world.ja)
    samira = await _add(world)
    with pytest.raises(Invalid) as caught:
        await _add(world, email=SAMIRA.upper())
    assert caught.value.params["field"] == "email"
    # The same person for another language is another entry.
    await _add(world, language="berber")
    # Justice assistants read it; another house does not see it.
    listed = await register.list_interpreters(actor=world.ja, language="ARABIC ")
    assert [i.id for i in listed] == [samira.id]
    with pytest.raises(NotFound):
        await register.read_interpreter(actor=world.other_house_ja, interpreter_id=samira.id)
    assert await register.list_interpreters(actor=world.other_house_ja) == []

    changed = await register.update_interpreter(
        actor=world.supervisor,
        interpreter_id=samira.id,
        data=InterpreterUpdate(version=samira.version, phone="+44 7700 900456"),
        clock=world.clock,
    )
    assert changed.version == samira.version + 1 and changed.phone == "+447700900456"
    with pytest.raises(Conflict):  # a stale version changes nothing
        await register.update_interpreter(
            actor=world.supervisor,
            interpreter_id=samira.id,
            data=InterpreterUpdate(version=samira.version, full_name="Someone else"),
            clock=world.clock,
        )
    row = await Interpreter.select().where(Interpreter.id == samira.id).first()
    assert row is not None and row["full_name"] == "Samira Haddou"
    trail = await (
        AuditEntry.select(AuditEntry.detail, AuditEntry.fields)
        .where((AuditEntry.record_type == "interpreter") & (AuditEntry.record_id == samira.id))
        .order_by(AuditEntry.id)
        .output(load_json=True)
    )
    assert [t["detail"] for t in trail] == [
        "interpreter added to the register",
        "interpreter changed",
    ]
    assert trail[1]["fields"] == ["phone"]


async def test_an_interpreter_with_bookings_to_come_stays_in_service(world: World):
    case = await world.open_case(interpreter_language="arabic")
    samira = await _add(world)
    await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(), interpreter_id=samira.id),
        clock=world.clock,
    )
    with pytest.raises(Conflict) as caught:
        await register.set_active(
            actor=world.supervisor,
            interpreter_id=samira.id,
            data=InterpreterActive(active=False, version=samira.version),
            clock=world.clock,
        )
    assert caught.value.params == {"count": 1}
    # Once the summons is past, the interpreter may leave the register's active list.
    world.clock.advance(timedelta(days=8))
    left = await register.set_active(
        actor=world.supervisor,
        interpreter_id=samira.id,
        data=InterpreterActive(active=False, version=samira.version),
        clock=world.clock,
    )
    assert left.active is False and left.version == samira.version + 1


async def test_booking_from_the_summons_replaces_and_tells_both(
    world: World, notify_settings, channels, smtp
):
    case = await world.open_case(interpreter_language="arabic")
    samira = await _add(world)
    other = await _add(world, full_name="Youssef Amrani", email="ya@example.org", sworn=False)
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(), place="MJ Liège"),
        clock=world.clock,
    )
    booked = await summons_interpreter.book_interpreter(
        actor=world.ja,
        summons_id=summons.id,
        data=BookingIn(interpreter_id=samira.id, version=summons.version),
        clock=world.clock,
    )
    assert booked.version == summons.version + 1
    with pytest.raises(Conflict):  # the version read before the booking is stale now
        await summons_interpreter.book_interpreter(
            actor=world.ja,
            summons_id=summons.id,
            data=BookingIn(interpreter_id=other.id, version=summons.version),
            clock=world.clock,
        )
    with pytest.raises(Invalid):
        await summons_interpreter.book_interpreter(
            actor=world.ja,
            summons_id=summons.id,
            data=BookingIn(interpreter_id=samira.id, version=booked.version),
            clock=world.clock,
        )
    replaced = await summons_interpreter.book_interpreter(
        actor=world.ja,
        summons_id=summons.id,
        data=BookingIn(interpreter_id=other.id, version=booked.version),
        clock=world.clock,
    )
    assert replaced.interpreter is not None and replaced.interpreter.interpreter_id == other.id
    released = await summons_interpreter.release_interpreter(
        actor=world.ja,
        summons_id=summons.id,
        data=BookingRelease(version=replaced.version),
        clock=world.clock,
    )
    assert released.interpreter is None
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    assert len(_to(smtp, SAMIRA)) == 2  # booked, then released
    assert len(_to(smtp, "ya@example.org")) == 2
    kinds = [
        e["kind"]
        for e in await CaseEvent.select(CaseEvent.kind)
        .where(CaseEvent.summons_id == summons.id)
        .order_by(CaseEvent.id)
    ]
    assert kinds == [
        "summons_scheduled",
        "interpreter_booked",
        "interpreter_released",
        "interpreter_booked",
        "interpreter_released",
    ]


async def test_letter_and_calendar_show_the_booking_and_a_move_keeps_the_uid(world: World):
    settings = load_settings(env="test", public_base_url="https://perp-track.test")
    case = await world.open_case(interpreter_language="arabic")
    samira = await _add(world)
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(), interpreter_id=samira.id),
        clock=world.clock,
    )
    for lang, words in (("fr", "Interprète réservé"), ("nl", "Tolk gereserveerd")):
        letter = await summons_letter_html(
            actor=world.ja,
            summons_id=summons.id,
            language=lang,
            clock=world.clock,
            settings=settings,
        )
        assert words in letter and "Samira Haddou" in letter, lang

    def event(ics: str):
        cal = Calendar.from_ical(ics)
        [vevent] = cal.walk("VEVENT")
        return cal, vevent

    _, first = event(
        await summons_ics(
            actor=world.ja, summons_id=summons.id, clock=world.clock, settings=settings
        )
    )
    assert first["UID"] == f"summons-{summons.id}@perp-track.test"
    assert str(first["ATTENDEE"]) == f"mailto:{SAMIRA}"
    assert "Samira Haddou" in str(first["DESCRIPTION"])
    moved = await reschedule_summons(
        actor=world.ja,
        summons_id=summons.id,
        data=SummonsReschedule(
            scheduled_at=world.soon(9),
            reason="Asked by him",
            requested_by="perpetrator",
            version=summons.version,
        ),
        clock=world.clock,
    )
    old_cal, old = event(
        await summons_ics(
            actor=world.ja, summons_id=summons.id, clock=world.clock, settings=settings
        )
    )
    new_cal, new = event(
        await summons_ics(actor=world.ja, summons_id=moved.id, clock=world.clock, settings=settings)
    )
    assert old["UID"] == new["UID"] == first["UID"]
    assert old_cal["METHOD"] == "CANCEL" and new_cal["METHOD"] == "PUBLISH"
    assert first["SEQUENCE"] < old["SEQUENCE"] < new["SEQUENCE"]
