"""Programme sessions for programme staff (Praxis and other providers): schedule a group,
see its participants, save the roll-call in one go, correct it by new records, report an
interruption. Staff reach only the referrals made to their own organisation."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from perp_track import db
from perp_track.auth.rules import ActingUser
from perp_track.cases.access import record_event
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid, RecordError
from perp_track.measures.condition_rules import ConditionEvent
from perp_track.measures.conditions import apply_condition_event, interrupt_programme
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
    InterruptionIn,
    ReferralRead,
    RollCallIn,
    SessionCancelIn,
    SessionCreate,
    SessionRead,
    SessionSeriesCreate,
)
from perp_track.summons.programme.views import (
    attendance_counts,
    list_referrals,
    read_session,
    referrals_of,
    scoped_session,
    staff,
)
from perp_track.summons.rules import NEEDS_REASON, Outcome, SessionStatus
from perp_track.summons.tables import Attendance, ProgrammeSession, SessionParticipant

RUNNING = {ConditionStatus.PENDING.value, ConditionStatus.IN_PROGRESS.value}


async def schedule_session(*, actor: ActingUser, data: SessionCreate, clock: Clock) -> SessionRead:
    provider = staff(actor)
    now = clock.now()
    if data.starts_at <= now:
        raise Invalid(ProgrammeError.NOT_IN_FUTURE)
    async with db.transaction():
        referrals = await running_referrals(provider, data.participants)
        session_id = await insert_session(
            actor=actor,
            provider=provider,
            data=data,
            starts_at=data.starts_at,
            referrals=referrals,
            cases=await cases_of({r["case_id"] for r in referrals.values()}),
            now=now,
        )
    return await read_session(actor=actor, session_id=session_id)


async def running_referrals(provider: int, participants: list[int]) -> dict[int, dict[str, Any]]:
    """The referrals expected at a session, each checked: ours, and its programme running."""
    referrals = {r["id"]: r for r in await referrals_of(provider, participants)}
    for condition_id in participants:
        r = referrals.get(condition_id)
        if r is None:
            raise Invalid(ProgrammeError.NOT_YOUR_REFERRAL, condition_id=condition_id)
        if r["status"] not in RUNNING or r["measure_status"] not in IN_FORCE_STATUSES:
            raise Invalid(
                ProgrammeError.LEFT_PROGRAMME,
                name=f"{r['first_name']} {r['last_name']}",
                status=r["status"],
            )
    return referrals


async def insert_session(
    *,
    actor: ActingUser,
    provider: int,
    data: SessionCreate | SessionSeriesCreate,
    starts_at: datetime,
    referrals: dict[int, dict[str, Any]],
    cases: dict[int, dict[str, Any]],
    now: datetime,
) -> int:
    """One session with its participants, on each participant's case timeline. Call inside the
    transaction."""
    session = ProgrammeSession(
        provider=provider,
        kind=data.kind,
        title=data.title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=data.duration_minutes),
        place=data.place,
        created_by=actor.id,
        created_at=now,
    )
    await session.save()
    await SessionParticipant.insert(
        *[
            SessionParticipant(session=session.id, condition=cid, added_at=now)
            for cid in data.participants
        ]
    )
    for cid in data.participants:
        r = referrals[cid]
        await record_event(
            case=cases[r["case_id"]],
            kind=EventKind.SESSION_SCHEDULED,
            actor=actor,
            summary=f"Programme session scheduled ({data.kind})",
            now=now,
            data={
                "session_id": session.id,
                "condition_id": cid,
                "starts_at": starts_at.isoformat(),
                "session_kind": data.kind,
            },
            measure_id=r["measure"],
        )
    return int(session.id)


async def cases_of(ids: set[int]) -> dict[int, dict[str, Any]]:
    return {c["id"]: c for c in await Case.select().where(Case.id.is_in(list(ids) or [-1]))}


async def cancel_session(
    *, actor: ActingUser, session_id: int, data: SessionCancelIn, clock: Clock
) -> SessionRead:
    now = clock.now()
    async with db.transaction():
        session = await scoped_session(actor, session_id)
        check_version("session", session, data.version)
        if session["status"] != SessionStatus.SCHEDULED or session["starts_at"] <= now:
            raise Conflict(ProgrammeError.CANCEL_STARTED)
        await _bump_session(session, {ProgrammeSession.status: SessionStatus.CANCELLED})
        # The reason goes on each participant's case timeline (and so the audit trail).
        expected = [
            lk["condition"]
            for lk in await SessionParticipant.select(SessionParticipant.condition).where(
                SessionParticipant.session == session_id
            )
        ]
        referrals = await referrals_of(session["provider"], expected)
        cases = await cases_of({r["case_id"] for r in referrals})
        for r in referrals:
            await record_event(
                case=cases[r["case_id"]],
                kind=EventKind.SESSION_CANCELLED,
                actor=actor,
                summary=f"Programme session cancelled ({session['kind']}): {data.reason}",
                now=now,
                data={
                    "session_id": session_id,
                    "condition_id": r["id"],
                    "starts_at": session["starts_at"].isoformat(),
                    "session_kind": session["kind"],
                    "reason": data.reason,
                },
                measure_id=r["measure"],
            )
    return await read_session(actor=actor, session_id=session_id)


async def _bump_session(session: dict[str, Any], values: dict[Any, Any]) -> None:
    updated = (
        await ProgrammeSession.update({**values, ProgrammeSession.version: session["version"] + 1})
        .where(
            (ProgrammeSession.id == session["id"])
            & (ProgrammeSession.version == session["version"])
        )
        .returning(ProgrammeSession.id)
    )
    if not updated:
        raise Conflict(RecordError.CHANGED_MEANWHILE, record="session")


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
        await _bump_session(
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
        await _bump_session(session, {})
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
        summary=("Programme attendance corrected: " if correction else "Programme session: ")
        + outcome.replace("_", " ")
        + (f" ({reason})" if reason else ""),
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
            summary=f"{unexcused} programme sessions missed without a valid reason",
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


async def report_interruption(
    *, actor: ActingUser, condition_id: int, data: InterruptionIn, clock: Clock
) -> ReferralRead:
    staff(actor)
    await interrupt_programme(
        actor=actor,
        condition_id=condition_id,
        interruption=data.interruption,
        reason=data.reason,
        version=data.version,
        clock=clock,
    )
    return next(r for r in await list_referrals(actor=actor) if r.condition_id == condition_id)
