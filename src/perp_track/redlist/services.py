"""The red list of a police zone, read live from the database, and the tokens that read it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.auth.rules import ActingUser, Role, token_digest
from perp_track.auth.tables import User
from perp_track.cases.tables import Case, CaseAccess, Person
from perp_track.clock import Clock
from perp_track.errors import Forbidden, Invalid, NotFound, Unauthenticated
from perp_track.measures.rules import IN_FORCE_STATUSES, ConditionKind, MeasureKind
from perp_track.measures.tables import Condition, Measure
from perp_track.orgs.rules import OrgKind
from perp_track.orgs.tables import Organisation
from perp_track.redlist import rules
from perp_track.redlist.errors import RedListError
from perp_track.redlist.rules import ZoneFeed
from perp_track.redlist.schemas import (
    RedList,
    RedListEntry,
    RedListTokenCreate,
    RedListTokenIssued,
    RedListTokenRead,
)
from perp_track.redlist.tables import RedListToken
from perp_track.risk import views as risk_views

_LAST_USED_GRANULARITY = timedelta(minutes=5)


async def _zone(zone_id: int) -> dict[str, Any]:
    zone = (
        await Organisation.select(Organisation.id, Organisation.name, Organisation.kind)
        .where(Organisation.id == zone_id)
        .first()
    )
    if zone is None or zone["kind"] != OrgKind.POLICE_ZONE:
        raise NotFound(RedListError.ZONE_NOT_FOUND, zone_id=zone_id)
    return zone


async def _entries(
    zone_id: int, now: datetime, tz: Any, reader_id: int | None = None
) -> tuple[list[RedListEntry], list[int]]:
    """Bans in force today on the cases the zone's officers referred. Computed on each read,
    so a ban that starts, is lifted or ends shows on the next read.

    A restricted case's ban stays on the list: the address must reach the police on duty
    (victim safety comes first), but its case reference is withheld from a reader not named on
    the case (a zone feed names nobody), so the entry leads to no case."""
    today = now.astimezone(tz).date()
    officers = User.select(User.id).where(User.organisation == zone_id)
    cases = await Case.select(
        Case.id, Case.reference, Case.risk_level, Case.victim, Case.restricted
    ).where(Case.referring_officer.is_in(officers))
    if not cases:
        return [], []
    named = (
        {
            r["case"]
            for r in await CaseAccess.select(CaseAccess.case).where(CaseAccess.user == reader_id)
        }
        if reader_id is not None
        else set()
    )
    for c in cases:
        if c["restricted"] and c["id"] not in named:
            c["reference"] = None
    by_id = {c["id"]: c for c in cases}
    measures = await Measure.select(
        Measure.id,
        Measure.case,
        Measure.kind,
        Measure.starts_on,
        Measure.ends_on,
        Measure.decided_by,
        Measure.decided_on,
        Measure.hearing_on,
    ).where(
        Measure.case.is_in(list(by_id))
        & Measure.status.is_in(sorted(IN_FORCE_STATUSES))
        & (Measure.starts_on <= today)
        & (Measure.ends_on >= today)
    )
    if not measures:
        return [], []
    bans = await Condition.select(
        Condition.measure, Condition.address, Condition.starts_on, Condition.ends_on
    ).where(
        Condition.measure.is_in([m["id"] for m in measures])
        & (Condition.kind == ConditionKind.PLACE_BAN)
        & Condition.status.is_in(sorted(rules.BINDING_CONDITION_STATUSES))
    )
    victims = {
        p["id"]: p["address"]
        for p in await Person.select(Person.id, Person.address).where(
            Person.id.is_in([c["victim"] for c in cases if c["victim"]] or [0])
        )
    }
    policy = await risk_views.policy_map()
    entries: list[RedListEntry] = []
    for m in measures:
        case = by_id[m["case"]]
        tier = policy.get(case["risk_level"])
        # The order behind the entry, and where the case's risk tier puts it.
        order = {
            "priority": tier.redlist_priority if tier else 99,
            "ordered_by": m["decided_by"] or "",
            "decided_on": m["decided_on"],
            "hearing_on": m["hearing_on"],
        }
        own = [b for b in bans if b["measure"] == m["id"]]
        listed = False
        for ban in own:
            if (ban["address"] or "").strip() and rules.in_force_on(
                today, ban["starts_on"], ban["ends_on"]
            ):
                entries.append(
                    RedListEntry(
                        address=ban["address"].strip(),
                        ban="place_ban",
                        starts_on=ban["starts_on"] or m["starts_on"],
                        ends_on=ban["ends_on"] or m["ends_on"],
                        case_reference=case["reference"],
                        risk_level=case["risk_level"],
                        **order,
                    )
                )
                listed = True
        # A residence ban without a separate address bans the home the perpetrator left:
        # the victim's address.
        home = victims.get(case["victim"]) if case["victim"] else None
        if m["kind"] == MeasureKind.TEMPORARY_RESIDENCE_BAN and not listed and home:
            entries.append(
                RedListEntry(
                    address=home.strip(),
                    ban="residence_ban",
                    starts_on=m["starts_on"],
                    ends_on=m["ends_on"],
                    case_reference=case["reference"],
                    risk_level=case["risk_level"],
                    **order,
                )
            )
    # The risk policy's order, then the ban that ends first (DOMAIN: the red list prioritises).
    entries.sort(
        key=lambda e: (
            e.priority,
            -policy.sort_rank(e.risk_level),
            e.ends_on or date.max,
            e.address.lower(),
            e.case_reference or "",
        )
    )
    return entries, sorted({by_id[m["case"]]["id"] for m in measures})


async def red_list(
    *, zone_id: int, clock: Clock, tz: Any, reader: ActingUser | ZoneFeed
) -> RedList:
    zone = await _zone(zone_id)
    now = clock.now()
    entries, case_ids = await _entries(
        zone_id, now, tz, reader.id if isinstance(reader, ActingUser) else None
    )
    # One entry per read, not per address: the feed is polled, and the case ids say whose.
    await audit.append(
        actor=reader if isinstance(reader, ActingUser) else None,
        action=Action.READ,
        record_type="red_list",
        record_id=zone_id,
        fields=["address"] if entries else [],
        now=now,
        detail=(
            f"red list of zone {zone_id}"
            + (f" via token {reader.token_id}" if isinstance(reader, ZoneFeed) else "")
            + f": {len(entries)} addresses, cases {','.join(map(str, case_ids)) or '-'}"
        ),
    )
    return RedList(zone_id=zone["id"], zone_name=zone["name"], as_of=now, entries=entries)


def as_csv(red: RedList) -> str:
    return rules.to_csv(
        (e.address, e.ban, e.starts_on, e.ends_on, e.case_reference or "", e.risk_level)
        for e in red.entries
    )


async def officer_zone(actor: ActingUser) -> int:
    if actor.role is not Role.POLICE_OFFICER:
        raise Forbidden(RedListError.FOR_ZONE_POLICE)
    return actor.organisation_id


async def authenticate_feed(*, token: str, clock: Clock) -> ZoneFeed:
    now = clock.now()
    row = (
        await RedListToken.select(
            RedListToken.id,
            RedListToken.zone,
            RedListToken.expires_at,
            RedListToken.revoked_at,
            RedListToken.last_used_at,
        )
        .where(RedListToken.token_hash == token_digest(token))
        .first()
    )
    if row is None or row["revoked_at"] is not None or row["expires_at"] <= now:
        raise Unauthenticated(RedListError.TOKEN_INVALID)
    if row["last_used_at"] is None or now - row["last_used_at"] >= _LAST_USED_GRANULARITY:
        await RedListToken.update({RedListToken.last_used_at: now}).where(
            RedListToken.id == row["id"]
        )
    return ZoneFeed(token_id=row["id"], zone_id=row["zone"])


def _require_admin(actor: ActingUser) -> None:
    if actor.role is not Role.ADMIN:
        raise Forbidden(RedListError.TOKENS_BY_ADMIN)


async def issue_token(
    *, actor: ActingUser, data: RedListTokenCreate, ttl: timedelta, clock: Clock
) -> RedListTokenIssued:
    _require_admin(actor)
    now = clock.now()
    token = rules.new_token()
    async with db.transaction():
        try:
            await _zone(data.zone_id)
        except NotFound:
            raise Invalid(RedListError.NOT_A_ZONE, zone_id=data.zone_id) from None
        row = RedListToken(
            zone=data.zone_id,
            label=data.label,
            token_hash=token_digest(token),
            created_by=actor.id,
            created_at=now,
            expires_at=now + ttl,
        )
        await row.save()
        await audit.append(
            actor=actor,
            action=Action.SECURITY,
            record_type="red_list_token",
            record_id=int(row.id),
            now=now,
            detail=f"red-list token issued for zone {data.zone_id}",
        )
    return RedListTokenIssued(
        id=int(row.id),
        zone_id=data.zone_id,
        label=data.label,
        created_at=now,
        expires_at=now + ttl,
        revoked_at=None,
        last_used_at=None,
        token=token,
    )


async def list_tokens(*, actor: ActingUser) -> list[RedListTokenRead]:
    _require_admin(actor)
    rows = await RedListToken.select(
        RedListToken.id,
        RedListToken.zone.as_alias("zone_id"),
        RedListToken.label,
        RedListToken.created_at,
        RedListToken.expires_at,
        RedListToken.revoked_at,
        RedListToken.last_used_at,
    ).order_by(RedListToken.id, ascending=False)
    return [RedListTokenRead.model_validate(r) for r in rows]


async def revoke_token(*, actor: ActingUser, token_id: int, clock: Clock) -> None:
    _require_admin(actor)
    now = clock.now()
    async with db.transaction():
        revoked = (
            await RedListToken.update({RedListToken.revoked_at: now})
            .where((RedListToken.id == token_id) & RedListToken.revoked_at.is_null())
            .returning(RedListToken.id)
        )
        if not revoked:
            raise NotFound(RedListError.TOKEN_NOT_FOUND, token_id=token_id)
        await audit.append(
            actor=actor,
            action=Action.SECURITY,
            record_type="red_list_token",
            record_id=token_id,
            now=now,
            detail="red-list token revoked",
        )
