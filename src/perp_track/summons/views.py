"""Reading summonses: a case's, one within the actor's reach, with their attendance and
interpreter."""

from __future__ import annotations

from typing import Any

from perp_track.auth.rules import ActingUser
from perp_track.cases.access import scoped_case
from perp_track.errors import NotFound
from perp_track.interpreters import bookings
from perp_track.summons.errors import SummonsError
from perp_track.summons.schemas import (
    AttendanceRead,
    SummonsRead,
)
from perp_track.summons.tables import Attendance, Summons


async def summons_of_case(*, case_id: int) -> list[SummonsRead]:
    rows = await Summons.select().where(Summons.case == case_id).order_by(Summons.scheduled_at)
    attendance = (
        await Attendance.select()
        .where(Attendance.summons.is_in([r["id"] for r in rows]))
        .order_by(Attendance.recorded_at)
        .order_by(Attendance.id)
        if rows
        else []
    )
    by_summons: dict[int, list[AttendanceRead]] = {}
    for a in attendance:
        by_summons.setdefault(a["summons"], []).append(AttendanceRead.model_validate(a))
    booked = await bookings.bookings_of([r["id"] for r in rows])
    return [_read(r, by_summons.get(r["id"], []), booked.get(r["id"])) for r in rows]


def _read(
    row: dict[str, Any], attendance: list[AttendanceRead], interpreter: Any = None
) -> SummonsRead:
    return SummonsRead.model_validate(
        {
            **row,
            "case_id": row["case"],
            "measure_id": row["measure"],
            "attendance": attendance,
            "interpreter": interpreter,
        }
    )


async def scoped_summons(actor: ActingUser, summons_id: int) -> tuple[dict, dict]:
    row = await Summons.select().where(Summons.id == summons_id).first()
    if row is None:
        raise NotFound(SummonsError.NOT_FOUND, summons_id=summons_id)
    try:
        case = await scoped_case(actor, row["case"])
    except NotFound:
        raise NotFound(SummonsError.NOT_FOUND, summons_id=summons_id) from None
    return row, case


async def read_summons(*, actor: ActingUser, summons_id: int) -> SummonsRead:
    row, _ = await scoped_summons(actor, summons_id)
    attendance = (
        await Attendance.select()
        .where(Attendance.summons == summons_id)
        .order_by(Attendance.recorded_at)
        .order_by(Attendance.id)
    )
    booked = await bookings.bookings_of([summons_id])
    return _read(
        row, [AttendanceRead.model_validate(a) for a in attendance], booked.get(summons_id)
    )
