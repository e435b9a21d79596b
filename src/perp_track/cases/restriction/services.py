"""Restricting a case, lifting it, keeping its list; refused attempts on the audit trail.

Every change bumps the case's version (the form sends the version it read), goes on the case
timeline (which puts it on the audit trail) and lands in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.access import record_event, scoped_case
from perp_track.cases.restriction import rules
from perp_track.cases.restriction.errors import RestrictionError
from perp_track.cases.restriction.rules import Member
from perp_track.cases.restriction.schemas import (
    Candidate,
    NamedUser,
    NameIn,
    RestrictIn,
    RestrictionRead,
    UnrestrictIn,
)
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case, CaseAccess, Person
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid, RecordError
from perp_track.measures.rules import ConditionKind
from perp_track.measures.services import check_version
from perp_track.measures.tables import Condition
from perp_track.notify.rules import Channel, NotificationState, SystemNotice
from perp_track.notify.services import queue_system_notice
from perp_track.notify.tables import Notification
from perp_track.schemas import Ref


async def _users(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await User.select(
        User.id,
        User.full_name,
        User.role,
        User.organisation,
        User.active,
        User.organisation.name.as_alias("organisation_name"),
    ).where(User.id.is_in(wanted))
    return {r["id"]: r for r in rows}


def _member(row: dict[str, Any]) -> Member:
    return Member(id=row["id"], role=Role(row["role"]), organisation=row["organisation"])


async def _named(case_id: int) -> list[dict[str, Any]]:
    return list(await CaseAccess.select().where(CaseAccess.case == case_id).order_by(CaseAccess.id))


async def _eligibility(case: dict[str, Any]) -> dict[str, Any]:
    """What the rules need to know of a case to tell who may be named on it."""
    sapv = None
    if case["victim"]:
        victim = await Person.select(Person.sapv_contact).where(Person.id == case["victim"]).first()
        sapv = victim["sapv_contact"] if victim else None
    providers = {
        r["provider"]
        for r in await Condition.select(Condition.provider).where(
            (Condition.measure.case == case["id"])
            & (Condition.kind == ConditionKind.PROGRAMME)
            & Condition.provider.is_not_null()
        )
    }
    return {
        "case_house": case["justice_house"],
        "referring_officer": case["referring_officer"],
        "sapv_contact": sapv,
        "providers": providers,
    }


def _check_eligible(users: dict[int, dict[str, Any]], ids: Iterable[int], facts: dict) -> None:
    for user_id in ids:
        row = users.get(user_id)
        if row is None or not row["active"] or not rules.eligible(_member(row), **facts):
            raise Invalid(RestrictionError.USER_NOT_ELIGIBLE, user_id=user_id, field="user_id")


async def _bump(case: dict[str, Any], version: int, values: dict[Any, Any]) -> None:
    check_version("case", case, version)
    updated = (
        await Case.update({**values, Case.version: case["version"] + 1})
        .where((Case.id == case["id"]) & (Case.version == case["version"]))
        .returning(Case.id)
    )
    if not updated:
        raise Conflict(RecordError.CHANGED_MEANWHILE, record="case")


async def _withhold_queued(case: dict[str, Any], named: Iterable[int], now: datetime) -> None:
    """Messages about the case still waiting in the outbox for someone not on the list are
    held back (suppressed, with the reason), and that person is told there is news instead,
    as for any later message (notify.services)."""
    waiting = await Notification.select(Notification.id, Notification.recipient_user).where(
        (Notification.case == case["id"])
        & (Notification.state == NotificationState.QUEUED)
        & Notification.recipient_user.is_not_null()
        & Notification.recipient_user.not_in(sorted(set(named)) or [-1])
    )
    if not waiting:
        return
    await Notification.update(
        {
            Notification.state: NotificationState.SUPPRESSED,
            Notification.error_code: "case_restricted",
        }
    ).where(Notification.id.is_in([w["id"] for w in waiting]))
    await queue_system_notice(
        notice=SystemNotice.RESTRICTED_CASE_NEWS,
        user_ids=sorted({w["recipient_user"] for w in waiting}),
        case_id=int(case["id"]),
        payload={},
        key=f"withheld:{case['id']}:{now.isoformat()}",
        now=now,
        channels=(Channel.IN_APP,),
    )


async def read_restriction(*, actor: ActingUser, case_id: int) -> RestrictionRead:
    case = await scoped_case(actor, case_id)
    manager = rules.may_manage(
        role=actor.role, organisation=actor.organisation_id, case_house=case["justice_house"]
    )
    named = await _named(case_id)
    users = await _users(
        [n["user"] for n in named]
        + [n["added_by"] for n in named]
        + ([case["restricted_by"]] if case["restricted_by"] else [])
    )
    candidates: list[Candidate] = []
    if manager:
        facts = await _eligibility(case)
        already = {n["user"] for n in named}
        pool = await User.select(
            User.id,
            User.full_name,
            User.role,
            User.organisation,
            User.organisation.name.as_alias("organisation_name"),
        ).where(
            User.active.eq(True)
            & (
                (User.organisation == case["justice_house"])
                | User.id.is_in(
                    [u for u in (facts["referring_officer"], facts["sapv_contact"]) if u] or [-1]
                )
                | User.organisation.is_in(sorted(facts["providers"]) or [-1])
            )
        )
        candidates = [
            Candidate(
                id=u["id"], name=u["full_name"], role=u["role"], organisation=u["organisation_name"]
            )
            for u in sorted(pool, key=lambda u: u["full_name"])
            if u["id"] not in already and rules.eligible(_member(u), **facts)
        ]
    by = users.get(case["restricted_by"]) if case["restricted_by"] else None
    return RestrictionRead(
        case_id=case_id,
        reference=case["reference"],
        version=case["version"],
        restricted=bool(case["restricted"]),
        reason=case["restricted_reason"] if case["restricted"] else None,
        note=case["restricted_note"] if case["restricted"] else None,
        restricted_at=case["restricted_at"] if case["restricted"] else None,
        restricted_by=Ref(id=by["id"], name=by["full_name"]) if by and case["restricted"] else None,
        named=[
            NamedUser(
                id=n["user"],
                name=users[n["user"]]["full_name"],
                role=users[n["user"]]["role"],
                organisation=users[n["user"]]["organisation_name"],
                added_at=n["added_at"],
                added_by=Ref(id=n["added_by"], name=users[n["added_by"]]["full_name"]),
            )
            for n in named
        ]
        if case["restricted"]
        else [],
        may_manage=manager,
        candidates=candidates,
    )


async def restrict(
    *, actor: ActingUser, case_id: int, data: RestrictIn, clock: Clock
) -> RestrictionRead:
    """Mark a case restricted with its list: the actor and the assigned justice assistant are
    always on it, with the users given."""
    now = clock.now()
    async with db.transaction():
        case = await scoped_case(actor, case_id)
        rules.check_manager(
            role=actor.role, organisation=actor.organisation_id, case_house=case["justice_house"]
        )
        if case["restricted"]:
            raise Conflict(RestrictionError.ALREADY_RESTRICTED)
        rules.check_reason(data.reason, data.note)
        ids = list(
            dict.fromkeys(
                [actor.id]
                + ([case["assigned_ja"]] if case["assigned_ja"] else [])
                + list(data.user_ids)
            )
        )
        users = await _users(ids)
        _check_eligible(users, data.user_ids, await _eligibility(case))
        rules.check_list(
            members=[_member(users[i]) for i in ids],
            case_house=case["justice_house"],
            assigned_ja=case["assigned_ja"],
        )
        await _bump(
            case,
            data.version,
            {
                Case.restricted: True,
                Case.restricted_reason: str(data.reason),
                Case.restricted_note: (data.note or "").strip() or None,
                Case.restricted_at: now,
                Case.restricted_by: actor.id,
            },
        )
        # A list left from an earlier restriction is replaced, not merged.
        await CaseAccess.delete().where(CaseAccess.case == case_id)
        await CaseAccess.insert(
            *[CaseAccess(case=case_id, user=i, added_by=actor.id, added_at=now) for i in ids]
        )
        await _withhold_queued(case, ids, now)
        await record_event(
            case=case,
            kind=EventKind.CASE_RESTRICTED,
            actor=actor,
            now=now,
            data={
                "reason": str(data.reason),
                "note": (data.note or "").strip(),
                "named": [users[i]["full_name"] for i in ids],
                "user_ids": ids,
            },
        )
    return await read_restriction(actor=actor, case_id=case_id)


async def _managed_restricted_case(actor: ActingUser, case_id: int) -> dict[str, Any]:
    case = await scoped_case(actor, case_id)
    rules.check_manager(
        role=actor.role, organisation=actor.organisation_id, case_house=case["justice_house"]
    )
    if not case["restricted"]:
        raise Conflict(RestrictionError.NOT_RESTRICTED)
    return case


async def lift(
    *, actor: ActingUser, case_id: int, data: UnrestrictIn, clock: Clock
) -> RestrictionRead:
    now = clock.now()
    note = data.note.strip()
    async with db.transaction():
        case = await _managed_restricted_case(actor, case_id)
        if not note:
            raise Invalid(RestrictionError.LIFT_REASON_REQUIRED, field="note")
        await _bump(case, data.version, {Case.restricted: False})
        # The list goes with the restriction; the timeline keeps who was on it.
        await CaseAccess.delete().where(CaseAccess.case == case_id)
        await record_event(
            case=case,
            kind=EventKind.CASE_UNRESTRICTED,
            actor=actor,
            now=now,
            data={"note": note},
        )
    return await read_restriction(actor=actor, case_id=case_id)


async def name_user(
    *, actor: ActingUser, case_id: int, data: NameIn, clock: Clock
) -> RestrictionRead:
    now = clock.now()
    async with db.transaction():
        case = await _managed_restricted_case(actor, case_id)
        named = {n["user"] for n in await _named(case_id)}
        if data.user_id in named:
            raise Conflict(RestrictionError.ALREADY_NAMED, user_id=data.user_id)
        users = await _users([data.user_id])
        _check_eligible(users, [data.user_id], await _eligibility(case))
        await _bump(case, data.version, {})
        await CaseAccess(case=case_id, user=data.user_id, added_by=actor.id, added_at=now).save()
        await record_event(
            case=case,
            kind=EventKind.CASE_ACCESS_GRANTED,
            actor=actor,
            now=now,
            data={"user_id": data.user_id, "name": users[data.user_id]["full_name"]},
        )
    return await read_restriction(actor=actor, case_id=case_id)


async def remove_user(
    *, actor: ActingUser, case_id: int, data: NameIn, clock: Clock
) -> RestrictionRead:
    now = clock.now()
    async with db.transaction():
        case = await _managed_restricted_case(actor, case_id)
        named = {n["user"] for n in await _named(case_id)}
        if data.user_id not in named:
            raise Invalid(RestrictionError.NOT_NAMED, user_id=data.user_id, field="user_id")
        users = await _users(named)
        rules.check_list(
            members=[_member(users[i]) for i in named - {data.user_id}],
            case_house=case["justice_house"],
            assigned_ja=case["assigned_ja"],
        )
        await _bump(case, data.version, {})
        await CaseAccess.delete().where(
            (CaseAccess.case == case_id) & (CaseAccess.user == data.user_id)
        )
        await _withhold_queued({**case, "restricted": True}, named - {data.user_id}, now)
        await record_event(
            case=case,
            kind=EventKind.CASE_ACCESS_REMOVED,
            actor=actor,
            now=now,
            data={"user_id": data.user_id, "name": users[data.user_id]["full_name"]},
        )
    # Who took themselves off no longer sees the case: only what they already knew comes back.
    if data.user_id == actor.id:
        return RestrictionRead(
            case_id=case_id,
            reference=case["reference"],
            version=case["version"] + 1,
            restricted=True,
            may_manage=False,
        )
    return await read_restriction(actor=actor, case_id=case_id)
