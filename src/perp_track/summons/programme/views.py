"""What programme staff read: their referrals with progress, their sessions with participants.
Only the referrals made to the actor's own organisation; never a victim field."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from piccolo.columns.combination import Combinable

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.access import check_restricted_id, visible
from perp_track.errors import Forbidden, NotFound
from perp_track.measures.facts import ATTENDED, latest_programme_outcomes, programme_counts
from perp_track.measures.rules import ConditionKind
from perp_track.measures.tables import Condition
from perp_track.summons.programme.errors import ProgrammeError
from perp_track.summons.programme.schemas import ParticipantRead, ReferralRead, SessionRead
from perp_track.summons.rules import Outcome, SessionStatus
from perp_track.summons.tables import Attendance, ProgrammeSession, SessionParticipant

# The perpetrator, reached through the referral's measure and case (a join, not a victim field).
PERPETRATOR: Any = Condition.measure.case.perpetrator  # type: ignore[union-attr]


def staff(actor: ActingUser) -> int:
    if actor.role is not Role.PROGRAMME_STAFF:
        raise Forbidden(ProgrammeError.STAFF_ONLY)
    return actor.organisation_id


async def referrals_of(
    provider_id: int, condition_ids: list[int] | None = None, viewer: ActingUser | None = None
) -> list[dict]:
    """Programme conditions referred to this provider, with the person's name and language.

    With a viewer, the referrals of restricted cases they are not named on are left out."""
    where: Combinable = (Condition.provider == provider_id) & (
        Condition.kind == ConditionKind.PROGRAMME
    )
    if viewer is not None:
        where = where & visible(Condition.measure.case, viewer)
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


async def check_referral_access(actor: ActingUser, condition_id: int) -> None:
    """For a referral the actor's list does not show: if it is theirs but on a restricted case
    they are not named on, the attempt is noted (cases.access.check_restriction) before the
    caller's usual 404."""
    row = (
        await Condition.select(Condition.measure.case.as_alias("case_id"))
        .where((Condition.id == condition_id) & (Condition.provider == staff(actor)))
        .first()
    )
    if row is not None:
        await check_restricted_id(
            actor,
            row["case_id"],
            NotFound(ProgrammeError.PARTICIPANT_NOT_FOUND, condition_id=condition_id),
        )


async def attendance_counts(condition_ids: list[int]) -> dict[int, Counter[str]]:
    if not condition_ids:
        return {}
    rows = await Attendance.select(
        Attendance.id, Attendance.condition, Attendance.session, Attendance.outcome
    ).where(Attendance.condition.is_in(condition_ids) & Attendance.session.is_not_null())
    return programme_counts(latest_programme_outcomes(rows))


async def list_referrals(*, actor: ActingUser) -> list[ReferralRead]:
    provider = staff(actor)
    rows = await referrals_of(provider, viewer=actor)
    counts = await attendance_counts([r["id"] for r in rows])
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


async def scoped_session(actor: ActingUser, session_id: int) -> dict[str, Any]:
    provider = staff(actor)
    row = await ProgrammeSession.select().where(ProgrammeSession.id == session_id).first()
    if row is None or row["provider"] != provider:
        raise NotFound(ProgrammeError.SESSION_NOT_FOUND, session_id=session_id)
    return row


async def read_session(*, actor: ActingUser, session_id: int) -> SessionRead:
    session = await scoped_session(actor, session_id)
    return (await session_reads([session], actor))[0]


async def list_sessions(
    *, actor: ActingUser, starts_from: datetime | None, starts_before: datetime | None
) -> list[SessionRead]:
    provider = staff(actor)
    where: Combinable = ProgrammeSession.provider == provider
    if starts_from is not None:
        where = where & (ProgrammeSession.starts_at >= starts_from)
    if starts_before is not None:
        where = where & (ProgrammeSession.starts_at < starts_before)
    rows = (
        await ProgrammeSession.select().where(where).order_by(ProgrammeSession.starts_at).limit(200)
    )
    return await session_reads(rows, actor)


async def session_reads(
    sessions: list[dict[str, Any]], viewer: ActingUser | None = None
) -> list[SessionRead]:
    """The sessions with their participants; a participant on a restricted case the viewer
    is not named on is not shown."""
    if not sessions:
        return []
    ids = [s["id"] for s in sessions]
    links = await SessionParticipant.select().where(SessionParticipant.session.is_in(ids))
    people = {
        r["id"]: r
        for r in await referrals_of(
            sessions[0]["provider"], [lk["condition"] for lk in links], viewer
        )
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


async def roll_calls_due(
    *, actor: ActingUser, now: datetime, grace_hours: int
) -> list[SessionRead]:
    """Sessions held more than `grace_hours` ago whose roll-call is not saved (DOMAIN §3:
    "attendance not yet recorded N hours after a session"), the oldest first."""
    provider = staff(actor)
    rows = (
        await ProgrammeSession.select()
        .where(
            (ProgrammeSession.provider == provider)
            & (ProgrammeSession.status == SessionStatus.SCHEDULED)
            & ProgrammeSession.roll_call_at.is_null()
            & (ProgrammeSession.starts_at <= now - timedelta(hours=grace_hours))
        )
        .order_by(ProgrammeSession.starts_at)
        .limit(200)
    )
    return await session_reads(rows, actor)
