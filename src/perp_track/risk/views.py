"""Read views of the risk domain: the policy in force, a case's risk history, the open loop."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from perp_track.cases.rules import RiskLevel
from perp_track.risk import rules
from perp_track.risk.rules import AlertState, TierPolicy
from perp_track.risk.tables import RiskAlert, RiskAssessment, RiskPolicy

_DEFAULTS = {row.tier: row for row in rules.DEFAULT_POLICY}


def _policy(row: dict[str, Any]) -> TierPolicy:
    tier = RiskLevel(row["tier"])
    return replace(_DEFAULTS[tier], **{name: row[name] for name in rules.POLICY_FIELDS})


async def policy_rows() -> list[dict[str, Any]]:
    return list(await RiskPolicy.select())


def policy_of(rows: list[dict[str, Any]]) -> dict[RiskLevel, TierPolicy]:
    """The policy in force from the rows of risk_policy. A tier with no row (a database emptied
    by hand or a test) follows the default policy, the one the migration seeds."""
    policy = dict(_DEFAULTS)
    for row in rows:
        if row["tier"] in policy:
            policy[RiskLevel(row["tier"])] = _policy(row)
    return policy


async def policy_map() -> dict[RiskLevel, TierPolicy]:
    """The policy in force, tier by tier (see policy_of)."""
    return policy_of(await policy_rows())


async def attendance_alert_hours() -> dict[str, int]:
    """Tier -> hours after a summons at which unrecorded attendance becomes an alert."""
    return {str(t): p.attendance_alert_hours for t, p in (await policy_map()).items()}


async def history(case_id: int) -> list[dict[str, Any]]:
    """Every assessment of a case, oldest first, with who recorded it."""
    return list(
        await RiskAssessment.select(
            *RiskAssessment.all_columns(),
            RiskAssessment.recorded_by.full_name.as_alias("recorded_by_name"),
        )
        .where(RiskAssessment.case == case_id)
        .order_by(RiskAssessment.recorded_at)
        .order_by(RiskAssessment.id)
    )


async def last_assessed(case_ids: list[int]) -> dict[int, datetime]:
    """When each case's risk was last assessed (the start of its reassessment clock)."""
    if not case_ids:
        return {}
    rows = await RiskAssessment.select(RiskAssessment.case, RiskAssessment.recorded_at).where(
        RiskAssessment.case.is_in(case_ids)
    )
    last: dict[int, datetime] = {}
    for row in rows:
        if row["case"] not in last or row["recorded_at"] > last[row["case"]]:
            last[row["case"]] = row["recorded_at"]
    return last


async def reassessment_due(cases: list[dict[str, Any]]) -> dict[int, datetime]:
    """Case id -> when its risk must be reassessed, for the cases whose tier sets a clock.
    A case never assessed runs from its opening."""
    return reassessment_due_of(
        cases, await policy_map(), await last_assessed([c["id"] for c in cases])
    )


def reassessment_due_of(
    cases: list[Any], policy: dict[RiskLevel, TierPolicy], last: dict[int, datetime]
) -> dict[int, datetime]:
    """reassessment_due from the policy and the cases' last assessments, already read."""
    due: dict[int, datetime] = {}
    for case in cases:
        tier = policy.get(RiskLevel(case["risk_level"]))
        at = rules.reassessment_due(last.get(case["id"], case["opened_at"]), tier)
        if at is not None:
            due[case["id"]] = at
    return due


def _alert_columns() -> list[Any]:
    return [
        *RiskAlert.all_columns(),
        RiskAlert.case.reference.as_alias("case_reference"),
        RiskAlert.zone.name.as_alias("zone_name"),
        RiskAlert.owner.full_name.as_alias("owner_name"),
    ]


async def alerts_of_case(case_id: int) -> list[dict[str, Any]]:
    return list(
        await RiskAlert.select(*_alert_columns())
        .where(RiskAlert.case == case_id)
        .order_by(RiskAlert.id, ascending=False)
    )


async def alerts_where(where: Any, *, open_only: bool) -> list[dict[str, Any]]:
    if open_only:
        where &= RiskAlert.state != AlertState.DONE
    return list(
        await RiskAlert.select(*_alert_columns())
        .where(where)
        .order_by(RiskAlert.due_at)
        .order_by(RiskAlert.id)
    )


async def alert(alert_id: int) -> dict[str, Any] | None:
    return await RiskAlert.select(*_alert_columns()).where(RiskAlert.id == alert_id).first()
