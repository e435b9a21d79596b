"""Booking an interpreter for a summons already scheduled, or releasing the one booked.

Either is a new state of the summons: its version (and its calendar file's SEQUENCE) goes up.
"""

from __future__ import annotations

from typing import Any

from perp_track import db
from perp_track.auth.rules import ActingUser
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid, RecordError
from perp_track.interpreters import bookings
from perp_track.interpreters.errors import InterpreterError
from perp_track.interpreters.rules import BookingStatus
from perp_track.interpreters.schemas import BookingIn, BookingRelease
from perp_track.summons.rules import SummonsStatus
from perp_track.summons.schemas import SummonsRead
from perp_track.summons.tables import Summons
from perp_track.summons.views import read_summons, scoped_summons


async def _open_summons(actor: ActingUser, summons_id: int, version: int, now: Any) -> tuple:
    row, case = await scoped_summons(actor, summons_id)
    if row["status"] != SummonsStatus.SCHEDULED or row["scheduled_at"] <= now:
        raise Conflict(InterpreterError.SUMMONS_NOT_OPEN)
    if version != row["version"]:
        raise Conflict(
            RecordError.CHANGED_SINCE_READ,
            record="summons",
            version=version,
            current_version=row["version"],
        )
    return row, case


async def _bump(row: dict[str, Any], now: Any) -> None:
    updated = (
        await Summons.update(
            {Summons.version: row["version"] + 1, Summons.updated_at: now},
        )
        .where((Summons.id == row["id"]) & (Summons.version == row["version"]))
        .returning(Summons.id)
    )
    if not updated:
        raise Conflict(RecordError.CHANGED_MEANWHILE, record="summons")


async def book_interpreter(
    *, actor: ActingUser, summons_id: int, data: BookingIn, clock: Clock
) -> SummonsRead:
    """Book this interpreter; one booked before is released and told."""
    now = clock.now()
    async with db.transaction():
        row, case = await _open_summons(actor, summons_id, data.version, now)
        interpreter = await bookings.choose(
            house_id=case["justice_house"],
            interpreter_id=data.interpreter_id,
            language=await bookings.language_needed(case, row["interpreter_language"]),
        )
        current = await bookings.current_booking(summons_id)
        if current is not None and current["interpreter"] == data.interpreter_id:
            raise Invalid(InterpreterError.ALREADY_BOOKED, field="interpreter_id")
        await _bump(row, now)
        if current is not None:
            await bookings.cancel(
                actor=actor,
                case=case,
                summons=row,
                event_id=None,
                now=now,
                status=BookingStatus.RELEASED,
            )
        await bookings.book(actor=actor, case=case, summons=row, interpreter=interpreter, now=now)
    return await read_summons(actor=actor, summons_id=summons_id)


async def release_interpreter(
    *, actor: ActingUser, summons_id: int, data: BookingRelease, clock: Clock
) -> SummonsRead:
    """No interpreter needed any more: the one booked is told."""
    now = clock.now()
    async with db.transaction():
        row, case = await _open_summons(actor, summons_id, data.version, now)
        if await bookings.current_booking(summons_id) is None:
            raise Conflict(InterpreterError.NOTHING_BOOKED)
        await _bump(row, now)
        await bookings.cancel(
            actor=actor,
            case=case,
            summons=row,
            event_id=None,
            now=now,
            status=BookingStatus.RELEASED,
        )
    return await read_summons(actor=actor, summons_id=summons_id)
