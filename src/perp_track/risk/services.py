"""The risk domain's writers and reads: the policy per tier (audited, versioned) and each case's
risk history (the police's level, then every reassessment). The closed loop is in loop.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.access import record_event, scoped_case
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case
from perp_track.clock import Clock
from perp_track.errors import Conflict, Forbidden, Invalid, NotFound, RecordError, RiskError
from perp_track.risk import rules, views
from perp_track.risk.rules import AlertState, Source
from perp_track.risk.schemas import (
    AssessmentRead,
    RiskHistoryRead,
    RiskPolicyRead,
    RiskPolicyUpdate,
    TierCreate,
    TierPolicyRead,
    TierRename,
)
from perp_track.risk.tables import ProgrammeObservation, RiskAlert, RiskAssessment, RiskPolicy

POLICY_EDITORS = frozenset({Role.SUPERVISOR, Role.ADMIN})


# --- the policy: the tiers and what each sets ---------------------------------------------


async def policy_version() -> int:
    rows = await views.policy_rows()
    return max((r["version"] for r in rows), default=1)


def _row_values(row: rules.TierPolicy) -> dict[str, Any]:
    return {
        "tier": str(row.tier),
        "rank": row.rank,
        **{f"name_{lang}": row.names.get(lang, "") for lang in rules.TIER_LANGUAGES},
        **{name: getattr(row, name) for name in rules.POLICY_FIELDS},
    }


async def _write_policy(
    *,
    actor: ActingUser,
    before: rules.Tiers,
    after: rules.Tiers,
    version: int,
    now: datetime,
    changes: list[str],
) -> int:
    """Write the new tier set as version + 1 and audit what changed. Inside a transaction.

    Rows are updated in place, removed or added (never all deleted and written again): a tier
    keeps its row, and the rank's unique index holds at every step."""
    for code in before:
        if code not in after:
            await RiskPolicy.delete().where(RiskPolicy.tier == code)
    # Ranks first moved out of the way, so that two tiers may swap places.
    for code, row in after.items():
        if code in before and before[code].rank != row.rank:
            await RiskPolicy.update({RiskPolicy.rank: -row.rank}).where(RiskPolicy.tier == code)
    stored = {r["tier"] for r in await RiskPolicy.select(RiskPolicy.tier)}
    for code, row in after.items():
        if code in stored and before.get(code) == row:
            continue
        values = {**_row_values(row), "updated_at": now, "updated_by": actor.id}
        if code in stored:
            await RiskPolicy.update(
                {getattr(RiskPolicy, k): v for k, v in values.items()}
                | {RiskPolicy.version: version + 1}
            ).where(RiskPolicy.tier == code)
        else:
            await db.insert_many(RiskPolicy, [{**values, "version": version + 1}])
    # Every row carries the policy's version: the version is the whole set's.
    await RiskPolicy.update({RiskPolicy.version: version + 1}, force=True)
    await audit.append(
        actor=actor,
        action=Action.WRITE,
        record_type="risk_policy",
        record_id=version + 1,
        fields=sorted({c.split(":")[0] for c in changes}),
        now=now,
        detail="; ".join(changes),
    )
    views.forget_tiers()
    return version + 1


async def _current(
    actor: ActingUser, sent_version: int, tier: str | None = None
) -> tuple[rules.Tiers, int]:
    """The tier set in force and its version, for a change by a policy editor (of `tier`, which
    must be one: else 404, before the version is looked at)."""
    if actor.role not in POLICY_EDITORS:
        raise Forbidden(RiskError.POLICY_FOR_SUPERVISORS)
    views.forget_tiers()
    current = await views.policy_map()
    if tier is not None and tier not in current:
        raise NotFound(RiskError.TIER_NOT_FOUND, tier=tier)
    version = await policy_version()
    rules.check_version("risk policy", version, sent_version)
    return current, version


async def update_policy(*, actor: ActingUser, data: RiskPolicyUpdate, clock: Clock) -> int:
    """Change what the tiers set: every tier in force once, by its code (adding, renaming and
    removing a tier are their own steps). Audited field by field. Returns the version."""
    now = clock.now()
    async with db.transaction():
        current, version = await _current(actor, data.version)
        sent: dict[str, rules.TierPolicy] = {}
        for i, row in enumerate(data.tiers):
            base = current.require(row.tier, field=f"tiers.{i}.tier")
            if row.tier in sent:
                raise Invalid(RiskError.TIER_TWICE, tier=row.tier, field=f"tiers.{i}.tier")
            sent[row.tier] = replace(base, **row.model_dump(exclude={"tier"}))
        missing = [code for code in current if code not in sent]
        if missing:
            raise Invalid(RiskError.TIER_MISSING, tiers=missing)
        wanted = rules.check_policy(sent.values())
        changes = [
            f"{tier}.{name}: {getattr(current[tier], name)} -> {getattr(row, name)}"
            for tier, row in wanted.items()
            for name in rules.POLICY_FIELDS
            if getattr(current[tier], name) != getattr(row, name)
        ]
        if not changes:
            return version
        return await _write_policy(
            actor=actor, before=current, after=wanted, version=version, now=now, changes=changes
        )


def _with_new_tier(current: rules.Tiers, data: TierCreate) -> tuple[rules.TierPolicy, rules.Tiers]:
    if data.tier in current:
        raise Conflict(RiskError.TIER_EXISTS, tier=data.tier, field="tier")
    if any(row.rank == data.rank for row in current.values()):
        raise Conflict(RiskError.RANK_TAKEN, rank=data.rank, field="rank")
    row = rules.TierPolicy(
        **data.model_dump(exclude={"names", "version"}), names=data.names.model_dump()
    )
    return row, rules.check_policy([*current.values(), row])


async def check_new_tier(data: TierCreate) -> None:
    """What add_tier would refuse, refused without writing (a check-your-answers step)."""
    _with_new_tier(await views.policy_map(), data)


async def add_tier(*, actor: ActingUser, data: TierCreate, clock: Clock) -> int:
    """A new tier, at its rank, with its names and what it sets. Returns the version."""
    now = clock.now()
    async with db.transaction():
        current, version = await _current(actor, data.version)
        row, wanted = _with_new_tier(current, data)
        changes = [
            f"{data.tier}: added at rank {data.rank}",
            *(f"{data.tier}.name_{k}: {v}" for k, v in data.names.model_dump().items()),
            *(f"{data.tier}.{name}: {getattr(row, name)}" for name in rules.POLICY_FIELDS),
        ]
        return await _write_policy(
            actor=actor, before=current, after=wanted, version=version, now=now, changes=changes
        )


async def rename_tier(*, actor: ActingUser, tier: str, data: TierRename, clock: Clock) -> int:
    """A tier's names; its code, and so every case and record at it, stays."""
    now = clock.now()
    async with db.transaction():
        current, version = await _current(actor, data.version, tier)
        before = current[tier]
        names = data.names.model_dump()
        changes = [
            f"{tier}.name_{lang}: {before.names.get(lang, '')} -> {names[lang]}"
            for lang in rules.TIER_LANGUAGES
            if before.names.get(lang, "") != names[lang]
        ]
        if not changes:
            return version
        wanted = rules.check_policy(
            replace(row, names=names) if code == tier else row for code, row in current.items()
        )
        return await _write_policy(
            actor=actor, before=current, after=wanted, version=version, now=now, changes=changes
        )


async def tier_uses(tier: str) -> dict[RiskError, int]:
    """What still holds a tier: cases at it, risk assessments naming it, alerts not done."""
    uses = {
        RiskError.TIER_USED_BY_CASES: await Case.count().where(Case.risk_level == tier),
        RiskError.TIER_USED_BY_ASSESSMENTS: await RiskAssessment.count().where(
            (RiskAssessment.level == tier) | (RiskAssessment.previous_level == tier)
        ),
        RiskError.TIER_USED_BY_ALERTS: await RiskAlert.count().where(
            (RiskAlert.level == tier) & (RiskAlert.state != AlertState.DONE)
        ),
    }
    return {code: n for code, n in uses.items() if n}


async def remove_tier(*, actor: ActingUser, tier: str, version: int, clock: Clock) -> int:
    """Remove a tier nothing uses: no case at it, no assessment naming it, no alert at it not
    done (else a Conflict whose code says which). Returns the version."""
    now = clock.now()
    async with db.transaction():
        current, current_version = await _current(actor, version, tier)
        if len(current) == 1:
            raise Conflict(RiskError.LAST_TIER, tier=tier)
        uses = await tier_uses(tier)
        if uses:
            code, count = next(iter(uses.items()))
            raise Conflict(code, tier=tier, count=count)
        wanted = rules.check_policy(row for code, row in current.items() if code != tier)
        return await _write_policy(
            actor=actor,
            before=current,
            after=wanted,
            version=current_version,
            now=now,
            changes=[f"{tier}: removed (rank {current[tier].rank})"],
        )


# --- risk history -----------------------------------------------------------------------------


async def record_initial(*, case: dict[str, Any], now: datetime) -> None:
    """The police's initial level, from the referral. Inside the transaction opening the case."""
    officer = None
    if case["referring_officer"] is not None:
        officer = (
            await User.select(User.full_name).where(User.id == case["referring_officer"]).first()
        )
    await RiskAssessment(
        case=case["id"],
        level=case["risk_level"],
        previous_level=None,
        source=Source.POLICE_INITIAL,
        assessed_on=now.date(),
        assessor_name=officer["full_name"] if officer else "",
        reason="",
        recorded_by=None,
        recorded_at=now,
    ).save()


async def reassess(
    *,
    actor: ActingUser,
    case_id: int,
    level: str,
    reason: str | None,
    version: int,
    clock: Clock,
) -> dict[str, Any]:
    """The justice assistant's reassessment: up at once, down only with a reason. The new level
    drives reminders, the red list, the SAPV cadence and the loop from the next read on."""
    now = clock.now()
    async with db.transaction():
        case = await scoped_case(actor, case_id)
        rules.check_version("case", case["version"], version)
        tiers = await views.policy_map()
        direction = rules.reassessment(
            current=case["risk_level"], new=level, reason=reason, tiers=tiers
        )
        updated = (
            await Case.update({Case.risk_level: level, Case.version: case["version"] + 1})
            .where((Case.id == case_id) & (Case.version == case["version"]))
            .returning(Case.id)
        )
        if not updated:
            raise Conflict(RecordError.CHANGED_MEANWHILE, record="case")
        await RiskAssessment(
            case=case_id,
            level=level,
            previous_level=case["risk_level"],
            source=Source.REASSESSMENT,
            assessed_on=now.date(),
            assessor_name=actor.full_name,
            reason=(reason or "").strip(),
            recorded_by=actor.id,
            recorded_at=now,
        ).save()
        await record_event(
            case=case,
            kind=EventKind.RISK_REASSESSED,
            actor=actor,
            now=now,
            data={
                "from": case["risk_level"],
                "to": str(level),
                "direction": str(direction),
                "reason": (reason or "").strip(),
            },
        )
    row = await Case.select().where(Case.id == case_id).first()
    assert row is not None
    return row


# --- reads for the API and the pages ----------------------------------------------------------


async def read_policy() -> RiskPolicyRead:
    policy = await views.policy_map()
    rows = {r["tier"]: r for r in await views.policy_rows()}
    return RiskPolicyRead(
        version=await policy_version(),
        loop_from=rules.loop_threshold(policy),
        tiers=[
            TierPolicyRead(
                tier=tier,
                rank=row.rank,
                names=policy.names_of(tier),
                **{name: getattr(row, name) for name in rules.POLICY_FIELDS},
                updated_at=rows.get(tier, {}).get("updated_at"),
                updated_by=rows.get(tier, {}).get("updated_by"),
            )
            for tier, row in policy.items()
        ],
    )


async def risk_history(*, actor: ActingUser, case_id: int) -> RiskHistoryRead:
    case = await scoped_case(actor, case_id)
    due = await views.reassessment_due([case])
    return RiskHistoryRead(
        case_id=case_id,
        level=case["risk_level"],
        version=case["version"],
        reassessment_due=due.get(case_id),
        assessments=[AssessmentRead.model_validate(r) for r in await views.history(case_id)],
    )


async def forget_case(*, case_id: int, purge: bool) -> None:
    """Retention (privacy.services): the risk domain's free text of a closed case is cleared, or
    its rows deleted with the case. Inside the caller's transaction."""
    if purge:
        await ProgrammeObservation.delete().where(ProgrammeObservation.case == case_id)
        await RiskAlert.delete().where(RiskAlert.case == case_id)
        await RiskAssessment.delete().where(RiskAssessment.case == case_id)
        return
    await ProgrammeObservation.update(
        {ProgrammeObservation.behaviour_note: "", ProgrammeObservation.concern_description: ""}
    ).where(ProgrammeObservation.case == case_id)
    await RiskAlert.update({RiskAlert.note: ""}).where(RiskAlert.case == case_id)
    await RiskAssessment.update(
        {RiskAssessment.reason: "", RiskAssessment.assessor_name: ""}
    ).where(RiskAssessment.case == case_id)
