"""Summons: schedule, reschedule (keeping the old one), cancel, record attendance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.auth.rules import ActingUser
from perp_track.cases.access import record_event, scoped_case
from perp_track.cases.rules import EventKind
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid, RecordError
from perp_track.evaluations import services as evaluations
from perp_track.interpreters import bookings
from perp_track.measures.rules import MeasureEvent, MeasureStatus
from perp_track.measures.services import apply_transition
from perp_track.measures.tables import Measure
from perp_track.notify.rules import Notice
from perp_track.notify.tasks import ATTENDANCE_TASKS, close_tasks
from perp_track.risk import loop as risk
from perp_track.risk.rules import Trigger
from perp_track.summons import rules
from perp_track.summons.errors import SummonsError
from perp_track.summons.rules import Outcome, SummonsStatus
from perp_track.summons.schemas import (
    AttendanceIn,
    SummonsCancel,
    SummonsCreate,
    SummonsRead,
    SummonsReschedule,
)
from perp_track.summons.tables import Attendance, Summons
from perp_track.summons.views import read_summons, scoped_summons


def _payload(row: dict[str, Any]) -> dict[str, Any]:
    """What the perpetrator's message needs: when, how, where. Nothing about the victim."""
    return {
        "scheduled_at": row["scheduled_at"].isoformat(),
        "modality": row["modality"],
        "place": row["place"] or "",
    }


def _check_version(row: dict[str, Any], expected: int | None) -> None:
    if expected is not None and expected != row["version"]:
        raise Conflict(
            RecordError.CHANGED_SINCE_READ,
            record="summons",
            version=expected,
            current_version=row["version"],
        )


async def schedule_summons(
    *, actor: ActingUser, case_id: int, data: SummonsCreate, clock: Clock
) -> SummonsRead:
    now = clock.now()
    rules.check_future(data.scheduled_at, now, SummonsError.NOT_IN_FUTURE)
    async with db.transaction():
        case = await scoped_case(actor, case_id)
        if case["status"] != "open":
            raise Conflict(SummonsError.CASE_NOT_OPEN)
        measure = None
        if data.measure_id is not None:
            measure = (
                await Measure.select()
                .where((Measure.id == data.measure_id) & (Measure.case == case_id))
                .first()
            )
            if measure is None:
                raise Invalid(SummonsError.MEASURE_ELSEWHERE, measure_id=data.measure_id)
        summons = Summons(
            case=case_id,
            measure=data.measure_id,
            scheduled_at=data.scheduled_at,
            duration_minutes=data.duration_minutes,
            modality=data.modality,
            place=data.place,
            language=data.language or case["language"],
            interpreter_language=data.interpreter_language or case["interpreter_language"],
            purpose=data.purpose,
            created_by=actor.id,
            created_at=now,
            updated_at=now,
        )
        await summons.save()
        row = await Summons.select().where(Summons.id == summons.id).first()
        assert row is not None
        interpreter = None
        if data.interpreter_id is not None:
            interpreter = await bookings.choose(
                house_id=case["justice_house"],
                interpreter_id=data.interpreter_id,
                language=await bookings.language_needed(case, data.interpreter_language),
            )
        await record_event(
            case=case,
            kind=EventKind.SUMMONS_SCHEDULED,
            actor=actor,
            now=now,
            data=_payload(row),
            measure_id=data.measure_id,
            summons_id=int(summons.id),
            notices=[(Notice.SUMMONS_SCHEDULED, _payload(row))],
            not_after=row["scheduled_at"],
        )
        if interpreter is not None:
            await bookings.book(
                actor=actor, case=case, summons=row, interpreter=interpreter, now=now
            )
        if measure and measure["status"] == MeasureStatus.ASSIGNED:
            await apply_transition(
                actor=None,
                measure=measure,
                case=case,
                event=MeasureEvent.SCHEDULE_INTAKE,
                reason="First summons scheduled",
                now=now,
            )
        # A reminder evaluation running in the house puts the person in an arm now, once.
        await evaluations.assign_at_summons(
            actor=actor, case=case, summons_id=int(summons.id), now=now
        )
    return await read_summons(actor=actor, summons_id=int(summons.id))


async def reschedule_summons(
    *, actor: ActingUser, summons_id: int, data: SummonsReschedule, clock: Clock
) -> SummonsRead:
    now = clock.now()
    rules.check_future(data.scheduled_at, now, SummonsError.NEW_TIME_NOT_IN_FUTURE)
    async with db.transaction():
        old, case = await scoped_summons(actor, summons_id)
        rules.check_open(SummonsStatus(old["status"]), "reschedule")
        _check_version(old, data.version)
        if data.scheduled_at == old["scheduled_at"]:
            raise Invalid(SummonsError.SAME_TIME)
        updated = (
            await Summons.update(
                {
                    Summons.status: SummonsStatus.RESCHEDULED,
                    Summons.reschedule_reason: data.reason,
                    Summons.reschedule_requested_by: data.requested_by,
                    Summons.updated_at: now,
                    Summons.version: old["version"] + 1,
                }
            )
            .where((Summons.id == summons_id) & (Summons.version == old["version"]))
            .returning(Summons.id)
        )
        if not updated:
            raise Conflict(RecordError.CHANGED_MEANWHILE, record="summons")
        new = Summons(
            case=old["case"],
            measure=old["measure"],
            scheduled_at=data.scheduled_at,
            duration_minutes=old["duration_minutes"],
            modality=data.modality or old["modality"],
            place=data.place if data.place is not None else old["place"],
            language=old["language"],
            interpreter_language=old["interpreter_language"],
            purpose=old["purpose"],
            rescheduled_from=summons_id,
            reschedule_reason=data.reason,
            reschedule_requested_by=data.requested_by,
            created_by=actor.id,
            created_at=now,
            updated_at=now,
        )
        await new.save()
        row = await Summons.select().where(Summons.id == new.id).first()
        assert row is not None
        event_id = await record_event(
            case=case,
            kind=EventKind.SUMMONS_RESCHEDULED,
            actor=actor,
            now=now,
            data={
                **_payload(row),
                "previous_summons_id": summons_id,
                "previous_scheduled_at": old["scheduled_at"].isoformat(),
                "reason": data.reason,
                "requested_by": data.requested_by,
            },
            measure_id=old["measure"],
            summons_id=int(new.id),
            notices=[(Notice.SUMMONS_RESCHEDULED, _payload(row))],
            not_after=row["scheduled_at"],
        )
        await bookings.move(actor=actor, case=case, old=old, new=row, event_id=event_id, now=now)
    return await read_summons(actor=actor, summons_id=int(new.id))


async def cancel_summons(
    *, actor: ActingUser, summons_id: int, data: SummonsCancel, clock: Clock
) -> SummonsRead:
    now = clock.now()
    async with db.transaction():
        row, case = await scoped_summons(actor, summons_id)
        rules.check_open(SummonsStatus(row["status"]), "cancel")
        _check_version(row, data.version)
        if row["scheduled_at"] <= now:
            raise Conflict(SummonsError.ALREADY_BEGUN)
        updated = (
            await Summons.update(
                {
                    Summons.status: SummonsStatus.CANCELLED,
                    Summons.cancel_reason: data.reason,
                    Summons.updated_at: now,
                    Summons.version: row["version"] + 1,
                }
            )
            .where((Summons.id == summons_id) & (Summons.version == row["version"]))
            .returning(Summons.id)
        )
        if not updated:
            raise Conflict(RecordError.CHANGED_MEANWHILE, record="summons")
        event_id = await record_event(
            case=case,
            kind=EventKind.SUMMONS_CANCELLED,
            actor=actor,
            now=now,
            data={**_payload(row), "reason": data.reason},
            measure_id=row["measure"],
            summons_id=summons_id,
            notices=[(Notice.SUMMONS_CANCELLED, _payload(row))],
            not_after=row["scheduled_at"],
        )
        await bookings.cancel(actor=actor, case=case, summons=row, event_id=event_id, now=now)
    return await read_summons(actor=actor, summons_id=summons_id)


async def record_attendance(
    *,
    actor: ActingUser,
    summons_id: int,
    data: AttendanceIn,
    clock: Clock,
    missed_threshold: int = 2,
) -> SummonsRead:
    now = clock.now()
    async with db.transaction():
        row, case = await scoped_summons(actor, summons_id)
        status = SummonsStatus(row["status"])
        if status not in rules.OPEN_SUMMONS:
            if status in {SummonsStatus.CANCELLED, SummonsStatus.RESCHEDULED}:
                raise Conflict(SummonsError.NO_ATTENDANCE, status=status)
            raise Conflict(SummonsError.ATTENDANCE_RECORDED, allowed=["correct"])
        _check_version(row, data.version)
        rules.check_attendance(
            starts_at=row["scheduled_at"], now=now, outcome=data.outcome, reason=data.reason
        )
        await _write_attendance(actor, row, case, data.outcome, data.reason, now, None)
        await _after_outcome(actor, row, case, data.outcome, now, missed_threshold)
        await close_tasks(
            case_id=case["id"], notices=ATTENDANCE_TASKS, now=now, summons_id=summons_id
        )
    return await read_summons(actor=actor, summons_id=summons_id)


async def correct_attendance(
    *,
    actor: ActingUser,
    summons_id: int,
    data: AttendanceIn,
    clock: Clock,
    missed_threshold: int = 2,
) -> SummonsRead:
    """A correction is a new record pointing at the one it corrects; nothing is overwritten."""
    now = clock.now()
    if not (data.reason or "").strip():
        raise Invalid(SummonsError.CORRECTION_NEEDS_REASON)
    async with db.transaction():
        row, case = await scoped_summons(actor, summons_id)
        _check_version(row, data.version)
        previous = (
            await Attendance.select()
            .where(Attendance.summons == summons_id)
            .order_by(Attendance.id, ascending=False)
            .first()
        )
        if previous is None:
            raise Conflict(SummonsError.NOTHING_TO_CORRECT)
        if previous["outcome"] == data.outcome:
            raise Invalid(SummonsError.SAME_ATTENDANCE, outcome=data.outcome)
        rules.check_attendance(
            starts_at=row["scheduled_at"], now=now, outcome=data.outcome, reason=data.reason
        )
        await _write_attendance(
            actor, row, case, data.outcome, data.reason, now, previous["id"], correction=True
        )
        await _after_outcome(actor, row, case, data.outcome, now, missed_threshold)
    return await read_summons(actor=actor, summons_id=summons_id)


async def _write_attendance(
    actor: ActingUser,
    row: dict[str, Any],
    case: dict[str, Any],
    outcome: Outcome,
    reason: str | None,
    now: datetime,
    corrects: int | None,
    *,
    correction: bool = False,
) -> None:
    await Attendance.insert(
        Attendance(
            case=row["case"],
            summons=row["id"],
            outcome=outcome,
            reason=reason,
            recorded_by=actor.id,
            recorded_at=now,
            corrects=corrects,
        )
    )
    updated = (
        await Summons.update(
            {
                Summons.status: SummonsStatus(outcome.value),
                Summons.updated_at: now,
                Summons.version: row["version"] + 1,
            }
        )
        .where((Summons.id == row["id"]) & (Summons.version == row["version"]))
        .returning(Summons.id)
    )
    if not updated:
        raise Conflict(RecordError.CHANGED_MEANWHILE, record="summons")
    await record_event(
        case=case,
        kind=EventKind.ATTENDANCE_CORRECTED if correction else EventKind.ATTENDANCE_RECORDED,
        actor=actor,
        now=now,
        data={
            "outcome": outcome,
            "reason": reason,
            "scheduled_at": row["scheduled_at"].isoformat(),
        },
        measure_id=row["measure"],
        summons_id=row["id"],
    )


async def _after_outcome(
    actor: ActingUser,
    row: dict[str, Any],
    case: dict[str, Any],
    outcome: Outcome,
    now: datetime,
    missed_threshold: int,
) -> None:
    """What an outcome sets in motion: an intake starts the measure; repeated absences are told."""
    if outcome in {Outcome.ATTENDED, Outcome.LATE} and row["measure"] is not None:
        measure = await Measure.select().where(Measure.id == row["measure"]).first()
        if measure and measure["status"] == MeasureStatus.INTAKE_SCHEDULED:
            await apply_transition(
                actor=None,
                measure=measure,
                case=case,
                event=MeasureEvent.START,
                reason="Attended the intake summons",
                now=now,
            )
    if rules.is_unexcused_absence(outcome):
        # In a case at or above the loop's tier: the zone's alert and the SAPV safety check.
        await risk.raise_loop(
            case=case,
            trigger=Trigger.MISSED_SUMMONS,
            trigger_key=f"summons:{row['id']}",
            now=now,
            actor=actor,
        )
        missed = await Summons.count().where(
            (Summons.case == row["case"]) & (Summons.status == SummonsStatus.ABSENT_NO_VALID_REASON)
        )
        # The first missed summons tells nobody (DOMAIN §4); the threshold-th one tells the police.
        if missed == missed_threshold:
            await record_event(
                case=case,
                kind=EventKind.REPEATED_MISSED_SUMMONS,
                actor=None,
                now=now,
                data={"missed": missed},
                summons_id=row["id"],
                notices=[(Notice.REPEATED_MISSED_SUMMONS, {"missed": missed})],
            )
