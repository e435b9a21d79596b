"""A session's roll-call: saved in one go, corrected by new records; what an outcome sets off
(a programme completed, absences reported, the risk response)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.auth.rules import ActingUser
from perp_track.cases.access import record_event
from perp_track.cases.rules import EventKind
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid
from perp_track.measures.condition_rules import ConditionEvent
from perp_track.measures.conditions import apply_condition_event
from perp_track.measures.facts import ATTENDED
from perp_track.measures.rules import IN_FORCE_STATUSES, ConditionStatus
from perp_track.measures.services import check_version
from perp_track.measures.tables import Condition, Measure
from perp_track.notify.rules import Notice
from perp_track.risk import loop as risk
from perp_track.risk import observations
from perp_track.risk.rules import Trigger, check_concern
from perp_track.summons.errors import SummonsError
from perp_track.summons.programme.errors import ProgrammeError
from perp_track.summons.programme.schemas import (
    AttendanceCorrectionIn,
    RollCallIn,
    SessionRead,
)
from perp_track.summons.programme.services import bump_session, cases_of
from perp_track.summons.programme.views import (
    attendance_counts,
    read_session,
    referrals_of,
    scoped_session,
)
from perp_track.summons.rules import NEEDS_REASON, Outcome, SessionStatus
from perp_track.summons.tables import Attendance, ProgrammeSession, SessionParticipant


async def save_roll_call(
    *,
    actor: ActingUser,
    session_id: int,
    data: RollCallIn,
    clock: Clock,
    absence_threshold: int = 2,
) -> SessionRead:
    """Every participant's outcome in one save; never before the session has begun."""
    now = clock.now()
    async with db.transaction():
        session = await scoped_session(actor, session_id)
        check_version("session", session, data.version)
        if session["status"] == SessionStatus.CANCELLED:
            raise Conflict(ProgrammeError.SESSION_CANCELLED)
        if session["roll_call_at"] is not None:
            raise Conflict(ProgrammeError.ROLL_CALL_SAVED, allowed=["corrections"])
        if session["starts_at"] > now:
            raise Invalid(ProgrammeError.ROLL_CALL_NOT_STARTED)
        expected = {
            lk["condition"]
            for lk in await SessionParticipant.select(SessionParticipant.condition).where(
                SessionParticipant.session == session_id
            )
        }
        # A seat on a restricted case the actor is not named on is not theirs to call: a named
        # colleague records it (a correction).
        expected &= {
            r["id"] for r in await referrals_of(session["provider"], sorted(expected), actor)
        }
        given = [e.condition_id for e in data.entries]
        if len(set(given)) != len(given):
            raise Invalid(ProgrammeError.PARTICIPANT_TWICE)
        if unknown := sorted(set(given) - expected):
            raise Invalid(ProgrammeError.NOT_PARTICIPANTS, unknown=unknown)
        if missing := sorted(expected - set(given)):
            raise Invalid(ProgrammeError.ROLL_CALL_INCOMPLETE, missing=missing)
        for entry in data.entries:
            if entry.outcome in NEEDS_REASON and not (entry.reason or "").strip():
                raise Invalid(SummonsError.REASON_REQUIRED, outcome=entry.outcome)
            check_concern(entry.concern, entry.concern_description)
        referrals = {r["id"]: r for r in await referrals_of(session["provider"], given)}
        cases = await cases_of({r["case_id"] for r in referrals.values()})
        await Attendance.insert(
            *[
                Attendance(
                    case=referrals[e.condition_id]["case_id"],
                    session=session_id,
                    condition=e.condition_id,
                    outcome=e.outcome,
                    reason=e.reason,
                    recorded_by=actor.id,
                    recorded_at=now,
                )
                for e in data.entries
            ]
        )
        await bump_session(
            session,
            {ProgrammeSession.status: SessionStatus.HELD, ProgrammeSession.roll_call_at: now},
        )
        for e in data.entries:
            r = referrals[e.condition_id]
            await _after_outcome(
                actor,
                session,
                r,
                cases[r["case_id"]],
                e.outcome,
                e.reason,
                now,
                absence_threshold=absence_threshold,
            )
            await observations.record_observation(
                actor=actor,
                case=cases[r["case_id"]],
                session=session,
                condition_id=e.condition_id,
                conduct=e.conduct,
                note=e.behaviour_note,
                concern=e.concern,
                description=e.concern_description,
                now=now,
            )
    return await read_session(actor=actor, session_id=session_id)


async def correct_attendance(
    *,
    actor: ActingUser,
    session_id: int,
    data: AttendanceCorrectionIn,
    clock: Clock,
    absence_threshold: int = 2,
) -> SessionRead:
    """A correction is a new record pointing at the one it corrects; nothing is overwritten."""
    now = clock.now()
    async with db.transaction():
        session = await scoped_session(actor, session_id)
        if session["roll_call_at"] is None:
            raise Conflict(ProgrammeError.NO_ROLL_CALL)
        previous = (
            await Attendance.select()
            .where((Attendance.session == session_id) & (Attendance.condition == data.condition_id))
            .order_by(Attendance.id, ascending=False)
            .first()
        )
        if previous is None:
            raise Invalid(ProgrammeError.NOT_PARTICIPANT, condition_id=data.condition_id)
        if previous["outcome"] == data.outcome:
            raise Invalid(SummonsError.SAME_ATTENDANCE, outcome=data.outcome)
        referral = (await referrals_of(session["provider"], [data.condition_id]))[0]
        case = (await cases_of({referral["case_id"]}))[referral["case_id"]]
        await Attendance.insert(
            Attendance(
                case=referral["case_id"],
                session=session_id,
                condition=data.condition_id,
                outcome=data.outcome,
                reason=data.reason,
                recorded_by=actor.id,
                recorded_at=now,
                corrects=previous["id"],
            )
        )
        await bump_session(session, {})
        await _after_outcome(
            actor,
            session,
            referral,
            case,
            data.outcome,
            data.reason,
            now,
            correction=True,
            absence_threshold=absence_threshold,
        )
    return await read_session(actor=actor, session_id=session_id)


async def _after_outcome(
    actor: ActingUser,
    session: dict[str, Any],
    referral: dict[str, Any],
    case: dict[str, Any],
    outcome: Outcome,
    reason: str | None,
    now: datetime,
    *,
    correction: bool = False,
    absence_threshold: int = 2,
) -> None:
    """Timeline entry; the first attendance starts the referral; the last required one meets it;
    the threshold-th absence without a valid reason tells the referring officer, as missed
    summons do."""
    await record_event(
        case=case,
        kind=EventKind.PROGRAMME_ATTENDANCE_CORRECTED
        if correction
        else EventKind.PROGRAMME_ATTENDANCE,
        actor=actor,
        now=now,
        data={
            "session_id": session["id"],
            "condition_id": referral["id"],
            "outcome": outcome,
            "reason": reason,
            "starts_at": session["starts_at"].isoformat(),
        },
        measure_id=referral["measure"],
    )
    if outcome == Outcome.ABSENT_NO_VALID_REASON:
        await risk.raise_loop(
            case=case,
            trigger=Trigger.PROGRAMME_ABSENCE,
            trigger_key=f"session:{session['id']}:condition:{referral['id']}",
            now=now,
            actor=actor,
        )
    counts = (await attendance_counts([referral["id"]])).get(referral["id"], Counter())
    unexcused = counts[Outcome.ABSENT_NO_VALID_REASON]
    if outcome == Outcome.ABSENT_NO_VALID_REASON and unexcused == absence_threshold:
        await record_event(
            case=case,
            kind=EventKind.REPEATED_PROGRAMME_ABSENCES,
            actor=None,
            now=now,
            data={"missed": unexcused, "condition_id": referral["id"]},
            measure_id=referral["measure"],
            notices=[(Notice.REPEATED_PROGRAMME_ABSENCES, {"missed": unexcused})],
        )
    condition = await Condition.select().where(Condition.id == referral["id"]).first()
    assert condition is not None
    measure = await Measure.select(Measure.status).where(Measure.id == condition["measure"]).first()
    if measure is None or measure["status"] not in IN_FORCE_STATUSES:
        return
    if outcome.value in ATTENDED and condition["status"] == ConditionStatus.PENDING:
        await apply_condition_event(
            actor=None,
            condition=condition,
            case=case,
            event=ConditionEvent.START,
            reason="First programme session attended",
            now=now,
        )
        condition = await Condition.select().where(Condition.id == referral["id"]).first()
        assert condition is not None
    required = condition["required_sessions"] or 0
    counts = (await attendance_counts([condition["id"]])).get(condition["id"], Counter())
    attended = sum(counts[o] for o in ATTENDED)
    if required and attended >= required and condition["status"] == ConditionStatus.IN_PROGRESS:
        await apply_condition_event(
            actor=None,
            condition=condition,
            case=case,
            event=ConditionEvent.MEET,
            reason=f"All {required} required sessions attended",
            now=now,
        )
