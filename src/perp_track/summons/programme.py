"""Programme sessions for programme staff (Praxis and other providers): schedule a group,
see its participants, save the roll-call in one go, correct it by new records, report an
interruption. Staff reach only the referrals made to their own organisation."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from piccolo.columns.combination import Combinable

from perp_track import db
from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.rules import EventKind
from perp_track.cases.services import record_event
from perp_track.cases.tables import Case
from perp_track.clock import Clock
from perp_track.errors import Conflict, Forbidden, Invalid, NotFound
from perp_track.measures.condition_rules import ConditionEvent
from perp_track.measures.conditions import apply_condition_event, interrupt_programme
from perp_track.measures.facts import ATTENDED, latest_programme_outcomes, programme_counts
from perp_track.measures.rules import IN_FORCE_STATUSES, ConditionKind, ConditionStatus
from perp_track.measures.services import check_version
from perp_track.measures.tables import Condition, Measure
from perp_track.summons.programme_schemas import (
    AttendanceCorrectionIn,
    InterruptionIn,
    ParticipantRead,
    ReferralRead,
    RollCallIn,
    SessionCancelIn,
    SessionCreate,
    SessionRead,
)
from perp_track.summons.rules import NEEDS_REASON, Outcome, SessionStatus
from perp_track.summons.tables import Attendance, ProgrammeSession, SessionParticipant

# The perpetrator, reached through the referral's measure and case (a join, not a victim field).
PERPETRATOR: Any = Condition.measure.case.perpetrator  # type: ignore[union-attr]
RUNNING = {ConditionStatus.PENDING.value, ConditionStatus.IN_PROGRESS.value}


def _staff(actor: ActingUser) -> int:
    if actor.role is not Role.PROGRAMME_STAFF:
        raise Forbidden("programme sessions are run by programme staff")
    return actor.organisation_id


async def _referrals(provider_id: int, condition_ids: list[int] | None = None) -> list[dict]:
    """Programme conditions referred to this provider, with the person's name and language."""
    where: Combinable = (Condition.provider == provider_id) & (
        Condition.kind == ConditionKind.PROGRAMME
    )
    if condition_ids is not None:
        where = where & Condition.id.is_in(condition_ids or [-1])
    return await Condition.select(
        Condition.id,
        Condition.status,
        Condition.version,
        Condition.measure,
        Condition.required_sessions,
        Condition.interruption,
        Condition.ends_on,
        Condition.measure.status.as_alias("measure_status"),
        Condition.measure.ends_on.as_alias("measure_ends_on"),
        Condition.measure.case.as_alias("case_id"),
        PERPETRATOR.first_name.as_alias("first_name"),
        PERPETRATOR.last_name.as_alias("last_name"),
        PERPETRATOR.language.as_alias("language"),
        PERPETRATOR.interpreter_language.as_alias("interpreter"),
    ).where(where)


async def _counts(condition_ids: list[int]) -> dict[int, Counter[str]]:
    if not condition_ids:
        return {}
    rows = await Attendance.select(
        Attendance.id, Attendance.condition, Attendance.session, Attendance.outcome
    ).where(Attendance.condition.is_in(condition_ids) & Attendance.session.is_not_null())
    return programme_counts(latest_programme_outcomes(rows))


async def list_referrals(*, actor: ActingUser) -> list[ReferralRead]:
    provider = _staff(actor)
    rows = await _referrals(provider)
    counts = await _counts([r["id"] for r in rows])
    out = []
    for r in sorted(rows, key=lambda r: (r["last_name"], r["first_name"], r["id"])):
        c = counts.get(r["id"], Counter())
        out.append(
            ReferralRead(
                condition_id=r["id"],
                name=f"{r['first_name']} {r['last_name']}",
                language=r["language"],
                interpreter_language=r["interpreter"],
                status=r["status"],
                interruption=r["interruption"],
                required_sessions=r["required_sessions"],
                sessions_attended=sum(c[o] for o in ATTENDED),
                sessions_missed_unexcused=c[Outcome.ABSENT_NO_VALID_REASON.value],
                completion_due=r["ends_on"] or r["measure_ends_on"],
                version=r["version"],
            )
        )
    return out


async def _scoped_session(actor: ActingUser, session_id: int) -> dict[str, Any]:
    provider = _staff(actor)
    row = await ProgrammeSession.select().where(ProgrammeSession.id == session_id).first()
    if row is None or row["provider"] != provider:
        raise NotFound(f"programme session {session_id} not found")
    return row


async def read_session(*, actor: ActingUser, session_id: int) -> SessionRead:
    session = await _scoped_session(actor, session_id)
    return (await _session_reads([session]))[0]


async def list_sessions(
    *, actor: ActingUser, starts_from: datetime | None, starts_before: datetime | None
) -> list[SessionRead]:
    provider = _staff(actor)
    where: Combinable = ProgrammeSession.provider == provider
    if starts_from is not None:
        where = where & (ProgrammeSession.starts_at >= starts_from)
    if starts_before is not None:
        where = where & (ProgrammeSession.starts_at < starts_before)
    rows = (
        await ProgrammeSession.select().where(where).order_by(ProgrammeSession.starts_at).limit(200)
    )
    return await _session_reads(rows)


async def _session_reads(sessions: list[dict[str, Any]]) -> list[SessionRead]:
    if not sessions:
        return []
    ids = [s["id"] for s in sessions]
    links = await SessionParticipant.select().where(SessionParticipant.session.is_in(ids))
    people = {
        r["id"]: r
        for r in await _referrals(sessions[0]["provider"], [lk["condition"] for lk in links])
    }
    attendance = await Attendance.select(
        Attendance.id,
        Attendance.session,
        Attendance.condition,
        Attendance.outcome,
        Attendance.reason,
    ).where(Attendance.session.is_in(ids))
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    for a in attendance:
        key = (a["session"], a["condition"])
        if key not in latest or a["id"] > latest[key]["id"]:
            latest[key] = a
    by_session: dict[int, list[ParticipantRead]] = {}
    for lk in sorted(links, key=lambda x: x["id"]):
        person = people.get(lk["condition"])
        if person is None:
            continue
        outcome = latest.get((lk["session"], lk["condition"]))
        by_session.setdefault(lk["session"], []).append(
            ParticipantRead(
                condition_id=lk["condition"],
                name=f"{person['first_name']} {person['last_name']}",
                language=person["language"],
                interpreter_language=person["interpreter"],
                outcome=outcome["outcome"] if outcome else None,
                reason=outcome["reason"] if outcome else None,
            )
        )
    return [
        SessionRead.model_validate({**s, "participants": by_session.get(s["id"], [])})
        for s in sessions
    ]


async def schedule_session(*, actor: ActingUser, data: SessionCreate, clock: Clock) -> SessionRead:
    provider = _staff(actor)
    now = clock.now()
    if data.starts_at <= now:
        raise Invalid("a programme session must be scheduled in the future")
    async with db.transaction():
        referrals = {r["id"]: r for r in await _referrals(provider, data.participants)}
        for condition_id in data.participants:
            r = referrals.get(condition_id)
            if r is None:
                raise Invalid(f"referral {condition_id} is not one of your programme referrals")
            if r["status"] not in RUNNING or r["measure_status"] not in IN_FORCE_STATUSES:
                raise Invalid(
                    f"{r['first_name']} {r['last_name']} is no longer in the programme"
                    f" ({r['status']})"
                )
        session = ProgrammeSession(
            provider=provider,
            kind=data.kind,
            title=data.title,
            starts_at=data.starts_at,
            ends_at=data.starts_at + timedelta(minutes=data.duration_minutes),
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
        cases = await _cases({referrals[cid]["case_id"] for cid in data.participants})
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
                    "starts_at": data.starts_at.isoformat(),
                },
                measure_id=r["measure"],
            )
    return await read_session(actor=actor, session_id=int(session.id))


async def _cases(ids: set[int]) -> dict[int, dict[str, Any]]:
    return {c["id"]: c for c in await Case.select().where(Case.id.is_in(list(ids) or [-1]))}


async def cancel_session(
    *, actor: ActingUser, session_id: int, data: SessionCancelIn, clock: Clock
) -> SessionRead:
    now = clock.now()
    async with db.transaction():
        session = await _scoped_session(actor, session_id)
        check_version("session", session, data.version)
        if session["status"] != SessionStatus.SCHEDULED or session["starts_at"] <= now:
            raise Conflict("only a session that has not started can be cancelled")
        await _bump_session(session, {ProgrammeSession.status: SessionStatus.CANCELLED})
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
        raise Conflict("the session changed at the same time; reload and try again")


async def save_roll_call(
    *, actor: ActingUser, session_id: int, data: RollCallIn, clock: Clock
) -> SessionRead:
    """Every participant's outcome in one save; never before the session has begun."""
    now = clock.now()
    async with db.transaction():
        session = await _scoped_session(actor, session_id)
        check_version("session", session, data.version)
        if session["status"] == SessionStatus.CANCELLED:
            raise Conflict("this session was cancelled: there is no roll-call to record")
        if session["roll_call_at"] is not None:
            raise Conflict(
                "the roll-call of this session is already saved; send a correction instead",
                allowed=["corrections"],
            )
        if session["starts_at"] > now:
            raise Invalid("the roll-call cannot be saved for a session that has not started yet")
        expected = {
            lk["condition"]
            for lk in await SessionParticipant.select(SessionParticipant.condition).where(
                SessionParticipant.session == session_id
            )
        }
        given = [e.condition_id for e in data.entries]
        if len(set(given)) != len(given):
            raise Invalid("a participant appears twice in the roll-call")
        if unknown := sorted(set(given) - expected):
            raise Invalid(f"not a participant of this session: {unknown}", unknown=unknown)
        if missing := sorted(expected - set(given)):
            raise Invalid(
                f"the roll-call must cover every participant; missing: {missing}", missing=missing
            )
        for entry in data.entries:
            if entry.outcome in NEEDS_REASON and not (entry.reason or "").strip():
                raise Invalid(f"the outcome '{entry.outcome}' needs a reason")
        referrals = {r["id"]: r for r in await _referrals(session["provider"], given)}
        cases = await _cases({r["case_id"] for r in referrals.values()})
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
            await _after_outcome(actor, session, r, cases[r["case_id"]], e.outcome, e.reason, now)
    return await read_session(actor=actor, session_id=session_id)


async def correct_attendance(
    *, actor: ActingUser, session_id: int, data: AttendanceCorrectionIn, clock: Clock
) -> SessionRead:
    """A correction is a new record pointing at the one it corrects; nothing is overwritten."""
    now = clock.now()
    async with db.transaction():
        session = await _scoped_session(actor, session_id)
        if session["roll_call_at"] is None:
            raise Conflict("no roll-call saved yet: save it before correcting it")
        previous = (
            await Attendance.select()
            .where((Attendance.session == session_id) & (Attendance.condition == data.condition_id))
            .order_by(Attendance.id, ascending=False)
            .first()
        )
        if previous is None:
            raise Invalid(f"referral {data.condition_id} is not a participant of this session")
        if previous["outcome"] == data.outcome:
            raise Invalid(f"the attendance is already '{data.outcome}'")
        referral = (await _referrals(session["provider"], [data.condition_id]))[0]
        case = (await _cases({referral["case_id"]}))[referral["case_id"]]
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
            actor, session, referral, case, data.outcome, data.reason, now, correction=True
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
) -> None:
    """Timeline entry; the first attendance starts the referral; the last required one meets it."""
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
            "starts_at": session["starts_at"].isoformat(),
        },
        measure_id=referral["measure"],
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
    counts = (await _counts([condition["id"]])).get(condition["id"], Counter())
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
    _staff(actor)
    await interrupt_programme(
        actor=actor,
        condition_id=condition_id,
        interruption=data.interruption,
        reason=data.reason,
        version=data.version,
        clock=clock,
    )
    return next(r for r in await list_referrals(actor=actor) if r.condition_id == condition_id)
