"""An interpreter booked for a summons: booked with it or later, moved with it, cancelled with it.

Called inside the summons' transaction: the booking, its timeline entry and the e-mail to the
interpreter land together, or nothing does. What the interpreter is told is the date, time,
place, language, the house's contact and a booking reference: never the people's names, the
offence, or the case reference.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.auth.rules import ActingUser
from perp_track.cases.access import record_event
from perp_track.cases.rules import EventKind
from perp_track.errors import Conflict, Invalid, RecordError
from perp_track.interpreters.errors import InterpreterError
from perp_track.interpreters.rules import BookingStatus, booking_reference, needed_language
from perp_track.interpreters.schemas import BookingRead
from perp_track.interpreters.tables import Interpreter, InterpreterBooking
from perp_track.notify.rules import SystemNotice
from perp_track.notify.services import queue_to_interpreter
from perp_track.orgs.tables import Organisation


async def bookings_of(summons_ids: list[int]) -> dict[int, BookingRead]:
    """The latest booking of each summons (booked, or what became of it), in one query."""
    if not summons_ids:
        return {}
    rows = (
        await InterpreterBooking.select(
            *InterpreterBooking.all_columns(),
            InterpreterBooking.interpreter.full_name,
            InterpreterBooking.interpreter.sworn,
        )
        .where(InterpreterBooking.summons.is_in(summons_ids))
        .order_by(InterpreterBooking.id)
    )
    found: dict[int, BookingRead] = {}
    for r in rows:
        found[r["summons"]] = BookingRead(
            id=r["id"],
            reference=r["reference"],
            interpreter_id=r["interpreter"],
            interpreter_name=r["interpreter.full_name"],
            sworn=r["interpreter.sworn"],
            language=r["language"],
            status=r["status"],
        )
    # A released booking with nothing after it: no interpreter on this summons any more.
    return {k: v for k, v in found.items() if v.status != BookingStatus.RELEASED}


async def current_booking(summons_id: int) -> dict[str, Any] | None:
    return (
        await InterpreterBooking.select()
        .where(
            (InterpreterBooking.summons == summons_id)
            & (InterpreterBooking.status == BookingStatus.BOOKED)
        )
        .first()
    )


async def language_needed(case: dict[str, Any], requested: str | None) -> str | None:
    """The language a summons of this case needs an interpreter for, if any."""
    house = (
        await Organisation.select(Organisation.language)
        .where(Organisation.id == case["justice_house"])
        .first()
    )
    return needed_language(
        requested=requested,
        case_interpreter_language=case["interpreter_language"],
        case_language=case["language"],
        house_language=house["language"] if house else case["language"],
    )


async def choose(*, house_id: int, interpreter_id: int, language: str | None) -> dict[str, Any]:
    """The interpreter to book, checked: of this house, in service, of the language needed."""
    if language is None:
        raise Invalid(InterpreterError.NO_LANGUAGE, field="interpreter_language")
    row = (
        await Interpreter.select()
        .where((Interpreter.id == interpreter_id) & (Interpreter.justice_house == house_id))
        .first()
    )
    if row is None:
        raise Invalid(
            InterpreterError.NOT_FOUND, interpreter_id=interpreter_id, field="interpreter_id"
        )
    if not row["active"]:
        raise Invalid(InterpreterError.INACTIVE, field="interpreter_id")
    if row["language"] != language:
        raise Invalid(InterpreterError.WRONG_LANGUAGE, language=language, field="interpreter_id")
    return row


async def _house(house_id: int) -> dict[str, Any]:
    house = (
        await Organisation.select(Organisation.name, Organisation.phone, Organisation.email)
        .where(Organisation.id == house_id)
        .first()
    )
    return house or {"name": "", "phone": None, "email": None}


async def _payload(
    summons: dict[str, Any], booking: dict[str, Any], case: dict[str, Any]
) -> dict[str, Any]:
    """All the interpreter is told. Deliberately built field by field: nothing of the case."""
    house = await _house(case["justice_house"])
    return {
        "booking_reference": booking["reference"],
        "scheduled_at": summons["scheduled_at"].isoformat(),
        "duration_minutes": summons["duration_minutes"],
        "modality": summons["modality"],
        "place": summons["place"] or "",
        "language": booking["language"],
        "house_name": house["name"],
        "house_phone": house["phone"] or "",
        "house_email": house["email"] or "",
    }


async def _interpreter(interpreter_id: int) -> dict[str, Any]:
    row = await Interpreter.select().where(Interpreter.id == interpreter_id).first()
    assert row is not None  # restricted: a booked interpreter is never deleted
    return row


def _event_data(summons: dict[str, Any], booking: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "scheduled_at": summons["scheduled_at"].isoformat(),
        "interpreter_id": booking["interpreter"],
        "interpreter_name": name,
        "language": booking["language"],
        "booking_reference": booking["reference"],
    }


async def book(
    *,
    actor: ActingUser,
    case: dict[str, Any],
    summons: dict[str, Any],
    interpreter: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    booking = InterpreterBooking(
        summons=summons["id"],
        interpreter=interpreter["id"],
        reference=booking_reference(),
        language=interpreter["language"],
        status=BookingStatus.BOOKED,
        booked_by=actor.id,
        booked_at=now,
        updated_at=now,
    )
    await booking.save()
    row = await InterpreterBooking.select().where(InterpreterBooking.id == booking.id).first()
    assert row is not None
    event_id = await record_event(
        case=case,
        kind=EventKind.INTERPRETER_BOOKED,
        actor=actor,
        now=now,
        data=_event_data(summons, row, interpreter["full_name"]),
        measure_id=summons["measure"],
        summons_id=summons["id"],
    )
    await queue_to_interpreter(
        notice=SystemNotice.INTERPRETER_BOOKED,
        interpreter=interpreter,
        case_id=case["id"],
        event_id=event_id,
        payload=await _payload(summons, row, case),
        now=now,
        not_after=summons["scheduled_at"],
    )
    return row


async def _set_status(
    actor: ActingUser | None, booking: dict[str, Any], status: BookingStatus, now: datetime
) -> None:
    updated = (
        await InterpreterBooking.update(
            {
                InterpreterBooking.status: status,
                InterpreterBooking.updated_at: now,
                InterpreterBooking.version: booking["version"] + 1,
            }
        )
        .where(
            (InterpreterBooking.id == booking["id"])
            & (InterpreterBooking.version == booking["version"])
        )
        .returning(InterpreterBooking.id)
    )
    if not updated:
        raise Conflict(RecordError.CHANGED_MEANWHILE, record="interpreter booking")
    await audit.append(
        actor=actor,
        action=Action.WRITE,
        record_type="interpreter_booking",
        record_id=booking["id"],
        fields=["status"],
        now=now,
        detail=f"booking {booking['reference']} {status}",
    )


async def move(
    *,
    actor: ActingUser,
    case: dict[str, Any],
    old: dict[str, Any],
    new: dict[str, Any],
    event_id: int,
    now: datetime,
) -> None:
    """The summons moved: the booking follows it, same interpreter and reference; told."""
    booking = await current_booking(old["id"])
    if booking is None:
        return
    await _set_status(actor, booking, BookingStatus.MOVED, now)
    moved = InterpreterBooking(
        summons=new["id"],
        interpreter=booking["interpreter"],
        reference=booking["reference"],
        language=booking["language"],
        status=BookingStatus.BOOKED,
        booked_by=actor.id,
        booked_at=now,
        updated_at=now,
    )
    await moved.save()
    await audit.append(
        actor=actor,
        action=Action.WRITE,
        record_type="interpreter_booking",
        record_id=int(moved.id),
        case_id=case["id"],
        fields=["summons"],
        now=now,
        detail=f"booking {booking['reference']} moved with its summons",
    )
    payload = await _payload(new, booking, case)
    payload["previous_scheduled_at"] = old["scheduled_at"].isoformat()
    await queue_to_interpreter(
        notice=SystemNotice.INTERPRETER_MOVED,
        interpreter=await _interpreter(booking["interpreter"]),
        case_id=case["id"],
        event_id=event_id,
        payload=payload,
        now=now,
        not_after=new["scheduled_at"],
    )


async def cancel(
    *,
    actor: ActingUser,
    case: dict[str, Any],
    summons: dict[str, Any],
    event_id: int | None,
    now: datetime,
    status: BookingStatus = BookingStatus.CANCELLED,
) -> dict[str, Any] | None:
    """The summons is cancelled, or the interpreter no longer wanted: they are told."""
    booking = await current_booking(summons["id"])
    if booking is None:
        return None
    await _set_status(actor, booking, status, now)
    interpreter = await _interpreter(booking["interpreter"])
    if event_id is None:
        event_id = await record_event(
            case=case,
            kind=EventKind.INTERPRETER_RELEASED,
            actor=actor,
            now=now,
            data=_event_data(summons, booking, interpreter["full_name"]),
            measure_id=summons["measure"],
            summons_id=summons["id"],
        )
    await queue_to_interpreter(
        notice=SystemNotice.INTERPRETER_CANCELLED,
        interpreter=interpreter,
        case_id=case["id"],
        event_id=event_id,
        payload=await _payload(summons, booking, case),
        now=now,
        not_after=summons["scheduled_at"],
    )
    return booking
