"""Programme sessions for programme staff (Praxis and other providers): schedule a group,
cancel it, report an interruption (the roll-call is in roll_call.py). Staff reach only the
referrals made to their own organisation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from perp_track import db
from perp_track.auth.rules import ActingUser
from perp_track.cases.access import record_event
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid, RecordError
from perp_track.measures.conditions import interrupt_programme
from perp_track.measures.rules import IN_FORCE_STATUSES, ConditionStatus
from perp_track.measures.services import check_version
from perp_track.summons.programme.errors import ProgrammeError
from perp_track.summons.programme.schemas import (
    InterruptionIn,
    ReferralRead,
    SessionCancelIn,
    SessionCreate,
    SessionRead,
    SessionSeriesCreate,
)
from perp_track.summons.programme.views import (
    list_referrals,
    read_session,
    referrals_of,
    scoped_session,
    staff,
)
from perp_track.summons.rules import SessionStatus
from perp_track.summons.tables import ProgrammeSession, SessionParticipant

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
        await bump_session(session, {ProgrammeSession.status: SessionStatus.CANCELLED})
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


async def bump_session(session: dict[str, Any], values: dict[Any, Any]) -> None:
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
