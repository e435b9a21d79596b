"""The risk domain's writers and reads: the policy per tier (audited, versioned) and each case's
risk history (the police's level, then every reassessment). The closed loop is in loop.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.access import record_event, scoped_case
from perp_track.cases.rules import EventKind, RiskLevel
from perp_track.cases.tables import Case
from perp_track.clock import Clock
from perp_track.errors import Conflict, Forbidden, RecordError, RiskError
from perp_track.risk import rules, views
from perp_track.risk.rules import (
    Source,
)
from perp_track.risk.schemas import (
    AssessmentRead,
    RiskHistoryRead,
    RiskPolicyRead,
    RiskPolicyUpdate,
    TierPolicyRead,
)
from perp_track.risk.tables import ProgrammeObservation, RiskAlert, RiskAssessment, RiskPolicy

POLICY_EDITORS = frozenset({Role.SUPERVISOR, Role.ADMIN})


# --- the policy -----------------------------------------------------------------------------


async def policy_version() -> int:
    rows = await views.policy_rows()
    return max((r["version"] for r in rows), default=1)


async def update_policy(*, actor: ActingUser, data: RiskPolicyUpdate, clock: Clock) -> int:
    """Replace the whole policy (every tier once); audited field by field. Returns the version."""
    if actor.role not in POLICY_EDITORS:
        raise Forbidden(RiskError.POLICY_FOR_SUPERVISORS)
    wanted = rules.check_policy(rules.TierPolicy(**row.model_dump()) for row in data.tiers)
    now = clock.now()
    async with db.transaction():
        current = await views.policy_map()
        version = await policy_version()
        rules.check_version("risk policy", version, data.version)
        changes: list[str] = []
        for tier, row in wanted.items():
            before = current[tier]
            changes += [
                f"{tier}.{name}: {getattr(before, name)} -> {getattr(row, name)}"
                for name in rules.POLICY_FIELDS
                if getattr(before, name) != getattr(row, name)
            ]
        if not changes:
            return version
        values = [
            {
                "tier": tier,
                **{name: getattr(row, name) for name in rules.POLICY_FIELDS},
                "updated_at": now,
                "updated_by": actor.id,
                "version": version + 1,
            }
            for tier, row in wanted.items()
        ]
        await RiskPolicy.delete(force=True)
        await db.insert_many(RiskPolicy, values)
        await audit.append(
            actor=actor,
            action=Action.WRITE,
            record_type="risk_policy",
            record_id=version + 1,
            fields=sorted({c.split(":")[0] for c in changes}),
            now=now,
            detail="; ".join(changes),
        )
    return version + 1


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
    level: RiskLevel,
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
        direction = rules.reassessment(current=case["risk_level"], new=level, reason=reason)
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
                **{name: getattr(policy[tier], name) for name in rules.POLICY_FIELDS},
                updated_at=rows.get(tier, {}).get("updated_at"),
                updated_by=rows.get(tier, {}).get("updated_by"),
            )
            for tier in sorted(policy, key=rules.rank)
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
