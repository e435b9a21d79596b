"""A condition is met only when what it measures is done; otherwise a person waives or adapts
it with a reason."""

from __future__ import annotations

import pytest

from perp_track.errors import Invalid
from perp_track.measures.condition_rules import ConditionEvent
from perp_track.measures.conditions import record_hours, transition_condition
from perp_track.measures.rules import ConditionKind
from perp_track.measures.schemas import ConditionCreate, ConditionHoursIn, ConditionTransitionIn
from perp_track.measures.tables import Condition
from tests.pages.conftest import Browser
from tests.world import World


async def _version(condition_id: int) -> int:
    row = await Condition.select(Condition.version).where(Condition.id == condition_id).first()
    return int(row["version"])


async def test_a_condition_short_of_what_it_measures_cannot_be_met(world: World):
    case = await world.open_case()
    measure = await world.add_measure(
        case.id,
        conditions=[
            world.programme(),
            ConditionCreate(kind=ConditionKind.COMMUNITY_SERVICE, hours_due=60),
        ],
    )
    by_kind = {c.kind: c for c in measure.conditions}
    service = by_kind[ConditionKind.COMMUNITY_SERVICE]
    programme = by_kind[ConditionKind.PROGRAMME]
    await record_hours(
        actor=world.ja,
        condition_id=service.id,
        data=ConditionHoursIn(hours=20, reason="Attestation", version=service.version),
        clock=world.clock,
    )
    for condition in (service, programme):
        with pytest.raises(Invalid) as refused:
            await transition_condition(
                actor=world.ja,
                condition_id=condition.id,
                data=ConditionTransitionIn(
                    event=ConditionEvent.MEET,
                    reason="Done, I think",
                    version=await _version(condition.id),
                ),
                clock=world.clock,
            )
        assert refused.value.extra["field"] == "event"
    assert "only 20 of the 60 hours due" in str(refused.value) or "sessions" in str(refused.value)
    rows = await Condition.select(Condition.id, Condition.status).where(
        Condition.id.is_in([service.id, programme.id])
    )
    assert {r["status"] for r in rows} <= {"pending", "in_progress"}
    # A person who judges it done all the same says so, with a reason: waived, not met.
    await transition_condition(
        actor=world.ja,
        condition_id=service.id,
        data=ConditionTransitionIn(
            event=ConditionEvent.WAIVE,
            reason="The prosecutor accepted 20 hours given his new job",
            version=await _version(service.id),
        ),
        clock=world.clock,
    )
    row = await Condition.select(Condition.status).where(Condition.id == service.id).first()
    assert row["status"] == "waived"


async def test_the_case_page_refuses_met_with_the_figures_in_french(browser: Browser, world: World):
    case = await world.open_case()
    measure = await world.add_measure(
        case.id, conditions=[ConditionCreate(kind=ConditionKind.COMMUNITY_SERVICE, hours_due=60)]
    )
    [service] = [c for c in measure.conditions if c.kind is ConditionKind.COMMUNITY_SERVICE]
    await browser.login(world.ja.email)
    url = f"/conditions/{service.id}/transition"
    await browser.get(url)
    data = {"event": "meet", "reason": "Fait", "version": str(service.version), "confirm": "yes"}
    r = await browser.post(url, data)
    assert r.status_code == 422
    assert "Seules 0 des 60 heures dues sont prestées" in r.text
    row = await Condition.select(Condition.status).where(Condition.id == service.id).first()
    assert row["status"] == "pending"
