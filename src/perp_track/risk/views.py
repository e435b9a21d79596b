"""Read views of the risk domain: the policy in force, a case's risk history, the open loop."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from typing import Any

from perp_track.risk import rules
from perp_track.risk.rules import TIER_LANGUAGES, AlertState, TierPolicy, Tiers
from perp_track.risk.tables import RiskAlert, RiskAssessment, RiskPolicy

# The tiers as one request read them: the case page and the caseload ask several times, the
# table is read once. Each request starts with an empty cache (ui.middleware, web.py) and a
# change of the policy empties it, so the next read, and the next request, see the change.
# Outside a request (jobs, tests) nothing is kept: every call reads the table.
_REQUEST_TIERS: ContextVar[dict[str, Tiers] | None] = ContextVar("request_tiers", default=None)


def start_request_cache() -> Any:
    """A fresh cache for the request about to run; returns the token to reset it with."""
    return _REQUEST_TIERS.set({})


def end_request_cache(token: Any) -> None:
    _REQUEST_TIERS.reset(token)


def forget_tiers() -> None:
    cache = _REQUEST_TIERS.get()
    if cache is not None:
        cache.clear()


def tier_of(row: dict[str, Any]) -> TierPolicy:
    return TierPolicy(
        tier=row["tier"],
        **{name: row[name] for name in rules.POLICY_FIELDS},
        rank=row["rank"],
        names={lang: row[f"name_{lang}"] for lang in TIER_LANGUAGES},
    )


async def policy_rows() -> list[dict[str, Any]]:
    return list(await RiskPolicy.select().order_by(RiskPolicy.rank))


def policy_of(rows: list[dict[str, Any]]) -> Tiers:
    """The tiers in force from the rows of risk_policy, lowest rank first. A table with no row
    at all (a database emptied by hand) follows the default policy, the one the migrations
    seed."""
    if not rows:
        return Tiers(rules.DEFAULT_POLICY)
    ordered = sorted(rows, key=lambda r: r["rank"])
    return Tiers([tier_of(r) for r in ordered], max(r["version"] for r in ordered))


async def policy_map() -> Tiers:
    """The tiers in force (see policy_of), read once per request."""
    cache = _REQUEST_TIERS.get()
    if cache is not None and "tiers" in cache:
        return cache["tiers"]
    tiers = policy_of(await policy_rows())
    if cache is not None:
        cache["tiers"] = tiers
    return tiers


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
    cases: list[Any], policy: Tiers, last: dict[int, datetime]
) -> dict[int, datetime]:
    """reassessment_due from the policy and the cases' last assessments, already read."""
    due: dict[int, datetime] = {}
    for case in cases:
        tier = policy.get(case["risk_level"])
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
