"""What a new measure and its conditions must satisfy before they are written: the providers
exist, each condition is complete, a residence ban has an address to protect."""

from __future__ import annotations

from typing import Any

from perp_track.cases.tables import Person
from perp_track.errors import Invalid
from perp_track.measures import rules
from perp_track.measures.errors import MeasureError
from perp_track.measures.rules import (
    ConditionKind,
    MeasureKind,
)
from perp_track.measures.schemas import (
    ConditionCreate,
)
from perp_track.orgs.rules import OrgKind
from perp_track.orgs.tables import Organisation


async def check_providers(conditions: list[ConditionCreate]) -> None:
    ids = {c.provider_id for c in conditions if c.provider_id is not None}
    if not ids:
        return
    found = {
        r["id"]
        for r in await Organisation.select(Organisation.id).where(
            Organisation.id.is_in(list(ids)) & (Organisation.kind == OrgKind.PROGRAMME_PROVIDER)
        )
    }
    missing = sorted(ids - found)
    if missing:
        raise Invalid(MeasureError.PROVIDER_NOT_FOUND, provider_id=missing[0])


def is_protective(kind: MeasureKind, conditions: list[ConditionCreate]) -> bool:
    return kind is MeasureKind.TEMPORARY_RESIDENCE_BAN or any(
        c.kind in rules.PROTECTIVE_CONDITIONS for c in conditions
    )


def check_condition(condition: ConditionCreate, index: int = 0) -> None:
    problem = rules.condition_problem(
        condition.kind,
        provider_id=condition.provider_id,
        required_sessions=condition.required_sessions,
        hours_due=condition.hours_due,
        protected_persons=condition.protected_persons,
        address=condition.address,
    )
    if problem:
        raise Invalid(problem, field=f"conditions.{index}.{rules.condition_problem_field(problem)}")


async def check_ban_address(
    kind: MeasureKind, conditions: list[ConditionCreate], case: dict[str, Any]
) -> None:
    """A residence ban protects an address; without one it would be on no red list, and the
    police would not know where the person may not go."""
    if kind is not MeasureKind.TEMPORARY_RESIDENCE_BAN:
        return
    if any(c.kind is ConditionKind.PLACE_BAN and (c.address or "").strip() for c in conditions):
        return
    if case["victim"] is not None:
        victim = await Person.select(Person.address).where(Person.id == case["victim"]).first()
        if victim and (victim["address"] or "").strip():
            return
    raise Invalid(MeasureError.BAN_NEEDS_ADDRESS, field=f"conditions.{len(conditions)}.address")
