"""Appending to the audit trail and reading it back. Appends join the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.columns.combination import Combinable, Or

from perp_track import db
from perp_track.audit import rules
from perp_track.audit.errors import AuditError
from perp_track.audit.rules import Action
from perp_track.audit.schemas import AuditEntryRead, AuditPage, ChainCheck
from perp_track.audit.tables import AuditEntry
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.tables import Case
from perp_track.cases.visibility import hidden_cases
from perp_track.errors import Forbidden, Invalid

# Any constant: the lock only sealers take (a sealing job, a verification), never a request.
_SEAL_LOCK = 7_240_016
SEAL_BATCH = 5000


async def append(
    *,
    actor: ActingUser | None,
    action: Action,
    record_type: str,
    now: datetime,
    record_id: int | None = None,
    case_id: int | None = None,
    person_id: int | None = None,
    fields: list[str] | tuple[str, ...] = (),
    detail: str = "",
) -> int:
    """Add one entry. One INSERT, inside the caller's transaction when there is one.

    Appends take no lock and read nothing, so reads of different cases never wait for each
    other. The entry is chained later, in the order the sealer finds entries (see `seal`); the
    database refuses any other change to it (migration 2026-12-01T13:00:00).
    """
    row = AuditEntry(
        occurred_at=now,
        actor_id=actor.id if actor else None,
        actor_role=str(actor.role) if actor else None,
        action=str(action),
        record_type=record_type,
        record_id=record_id,
        case_id=case_id,
        person_id=person_id,
        fields=sorted(set(fields)),
        detail=detail[:500],
        request_id=rules.current_request_id.get(),
    )
    await row.save()
    return int(row.id)


async def seal(*, batch: int = SEAL_BATCH) -> int:
    """Chain the entries not yet chained, in id order, after the last one chained.

    An entry whose transaction commits after a later id was sealed is simply sealed in the next
    run, further down the chain: the chain's order is `chain_seq`, not `id`. One sealer at a
    time (an advisory lock on PostgreSQL, SQLite's write lock); returns how many were sealed.
    """
    total = 0
    while True:
        async with db.transaction():
            if db.is_postgres():
                got = await AuditEntry.raw(f"SELECT pg_try_advisory_xact_lock({_SEAL_LOCK}) AS ok")
                if not got[0]["ok"]:
                    return total  # another sealer is at work
            last = (
                await AuditEntry.select(AuditEntry.chain_seq, AuditEntry.entry_hash)
                .where(AuditEntry.chain_seq.is_not_null())
                .order_by(AuditEntry.chain_seq, ascending=False)
                .first()
            )
            rows = (
                await AuditEntry.select()
                .where(AuditEntry.chain_seq.is_null())
                .order_by(AuditEntry.id)
                .limit(batch)
                .output(load_json=True)
            )
            if not rows:
                return total
            prev = last["entry_hash"] if last else rules.GENESIS
            seq = int(last["chain_seq"]) if last else 0
            links: list[tuple[int, int, str, str]] = []
            for row in rows:
                seq += 1
                link = rules.entry_hash(prev, row)
                links.append((int(row["id"]), seq, prev, link))
                prev = link
            await _write_links(links)
        total += len(rows)
        if len(rows) < batch:
            return total


async def _write_links(links: list[tuple[int, int, str, str]]) -> None:
    if db.is_postgres():
        ids, seqs, prevs, hashes = (list(column) for column in zip(*links, strict=True))
        await AuditEntry.raw(
            "UPDATE audit_entry a SET chain_seq = v.seq, prev_hash = v.prev, entry_hash = v.hash"
            " FROM unnest({}::int[], {}::bigint[], {}::text[], {}::text[])"
            " AS v(id, seq, prev, hash) WHERE a.id = v.id",
            ids,
            seqs,
            prevs,
            hashes,
        )
        return
    for id_, seq, prev, link in links:
        await AuditEntry.update(
            {AuditEntry.chain_seq: seq, AuditEntry.prev_hash: prev, AuditEntry.entry_hash: link}
        ).where(AuditEntry.id == id_)


async def record_person_read(
    *,
    actor: ActingUser,
    person: dict[str, Any],
    case_id: int | None,
    fields: list[str] | tuple[str, ...],
    now: datetime,
    detail: str,
) -> None:
    """Someone was shown a person's data: the disclosure log of that person."""
    await append(
        actor=actor,
        action=Action.READ,
        record_type=f"person:{person['role']}",
        record_id=int(person["id"]),
        case_id=case_id,
        person_id=int(person["id"]),
        fields=[f for f in fields if f in person],
        now=now,
        detail=detail,
    )


# What a condition says about the people a ban protects and the places it covers.
CONDITION_VICTIM_FIELDS = ("protected_persons", "address")


async def record_condition_read(
    *,
    actor: ActingUser,
    case: dict[str, Any],
    measure_id: int,
    conditions: list[dict[str, Any]],
    now: datetime,
) -> None:
    """A measure's conditions were shown: if they name protected persons or places, that is a
    read of victim data, on the victim's disclosure log."""
    fields = sorted({f for c in conditions for f in CONDITION_VICTIM_FIELDS if c.get(f)})
    if not fields:
        return
    await append(
        actor=actor,
        action=Action.READ,
        record_type="measure_condition",
        record_id=measure_id,
        case_id=int(case["id"]),
        person_id=case.get("victim"),
        fields=fields,
        now=now,
        detail="measure read",
    )


def _may_query(actor: ActingUser) -> None:
    if actor.role not in {Role.SUPERVISOR, Role.ADMIN}:
        raise Forbidden(AuditError.FOR_SUPERVISORS)


# Entries whose record is a user account (record_id is the user's id).
USER_RECORDS = ("user", "totp_factor")


def _house_cases(actor: ActingUser, column: Any) -> Any:
    """A column of the house's cases, without the restricted ones the actor is not named on."""
    return Case.select(column).where(
        (Case.justice_house == actor.organisation_id) & Case.id.not_in(hidden_cases(actor.id))
    )


async def _scope(actor: ActingUser) -> Combinable | None:
    """What a supervisor sees: the entries about their house's records, whoever acted.

    By record, not by actor: an entry about a case is its house's (a restricted case's, only
    for those named on it); about a person with no case named, the houses whose cases hold the
    person; about a user account, the account's house. Only an entry about none of these (a
    token of one's own, a red-list token) goes by who acted. So an administrator's act on
    another house's records is that house's (and the administrators'), never their own
    house's. Administrators see every entry: the trail must be readable whole by someone."""
    if actor.role is Role.ADMIN:
        return None
    house_users = User.select(User.id).where(User.organisation == actor.organisation_id)
    no_case = AuditEntry.case_id.is_null()
    no_record = no_case & AuditEntry.person_id.is_null()
    user_record = AuditEntry.record_type.is_in(list(USER_RECORDS))
    return Or(
        Or(
            AuditEntry.case_id.is_in(_house_cases(actor, Case.id)),
            no_case
            & (
                AuditEntry.person_id.is_in(_house_cases(actor, Case.perpetrator))
                | AuditEntry.person_id.is_in(_house_cases(actor, Case.victim))
            ),
        ),
        Or(
            no_record & user_record & AuditEntry.record_id.is_in(house_users),
            no_record
            & AuditEntry.record_type.not_in(list(USER_RECORDS))
            & AuditEntry.actor_id.is_in(house_users),
        ),
    )


async def query(
    *,
    actor: ActingUser,
    case_id: int | None = None,
    person_id: int | None = None,
    actor_id: int | None = None,
    action: Action | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> AuditPage:
    _may_query(actor)
    for name, instant in (("since", since), ("until", until)):
        if instant is not None and instant.tzinfo is None:
            raise Invalid(AuditError.OFFSET_REQUIRED, name=name)
    if since and until and until < since:
        raise Invalid(AuditError.UNTIL_BEFORE_SINCE)
    conditions: list[Combinable] = []
    scope = await _scope(actor)
    if scope is not None:
        conditions.append(scope)
    for column, value in (
        (AuditEntry.case_id, case_id),
        (AuditEntry.person_id, person_id),
        (AuditEntry.actor_id, actor_id),
        (AuditEntry.action, str(action) if action else None),
    ):
        if value is not None:
            conditions.append(column == value)
    if since:
        conditions.append(AuditEntry.occurred_at >= since)
    if until:
        conditions.append(AuditEntry.occurred_at < until)
    select = AuditEntry.select().output(load_json=True)
    count = AuditEntry.count()
    if conditions:
        where = conditions[0]
        for condition in conditions[1:]:
            where = where & condition
        select = select.where(where)
        count = count.where(where)
    rows = await select.order_by(AuditEntry.id, ascending=False).limit(limit).offset(offset)
    return AuditPage(
        items=[AuditEntryRead.model_validate(r) for r in rows],
        total=await count,
        limit=limit,
        offset=offset,
    )


async def entries_about_person(person_id: int) -> list[dict[str, Any]]:
    """The disclosure log of one person, oldest first (for the data-subject export)."""
    return list(
        await AuditEntry.select()
        .where(AuditEntry.person_id == person_id)
        .order_by(AuditEntry.id)
        .output(load_json=True)
    )


async def verify_chain(*, actor: ActingUser, batch: int = 2000) -> ChainCheck:
    """Seal what is waiting, then walk the whole chain in its order; the first entry that does
    not fit (content changed, link broken, or a position missing: an entry deleted) is named."""
    _may_query(actor)
    await seal()
    prev, seq, checked = rules.GENESIS, 0, 0
    while True:
        rows = (
            await AuditEntry.select()
            .where(AuditEntry.chain_seq > seq)
            .order_by(AuditEntry.chain_seq)
            .limit(batch)
            .output(load_json=True)
        )
        if not rows:
            return ChainCheck(intact=True, checked=checked, first_broken_id=None)
        broken = rules.first_break(rows, start=prev, start_seq=seq)
        if broken is not None:
            return ChainCheck(intact=False, checked=checked, first_broken_id=broken)
        checked += len(rows)
        prev, seq = rows[-1]["entry_hash"], int(rows[-1]["chain_seq"])
