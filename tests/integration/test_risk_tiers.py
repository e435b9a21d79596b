"""The risk tiers are data: supervisors add, rename and remove them; a case's level, its
reassessment, the caseload's filter and every order (caseload, red list, up or down) go by the
tiers in the table and their ranks, never by a fixed list of four levels."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from perp_track.audit.tables import AuditEntry
from perp_track.cases.caseload import services as caseload
from perp_track.cases.rules import RiskLevel
from perp_track.cases.tables import Case
from perp_track.errors import Conflict, Forbidden, Invalid, NotFound
from perp_track.measures.rules import MeasureKind
from perp_track.redlist.services import red_list
from perp_track.risk import loop, views
from perp_track.risk import services as risk
from perp_track.risk.rules import DEFAULT_POLICY, POLICY_FIELDS, AlertState
from perp_track.risk.schemas import TierCreate, TierNames, TierRename
from perp_track.risk.tables import RiskAlert, RiskPolicy
from tests.world import World

EXTREME_NAMES = {"fr": "Extrême", "nl": "Extreem", "en": "Extreme", "de": "Extrem"}


def _tier(code: str, rank: int, **changes: Any) -> TierCreate:
    return TierCreate(
        **{**_settings(), **changes},
        tier=code,
        rank=rank,
        names=TierNames(**EXTREME_NAMES),
        version=1,
    )


def _settings() -> dict[str, Any]:
    """What the highest default tier sets."""
    return {name: getattr(DEFAULT_POLICY[-1], name) for name in POLICY_FIELDS}


async def _add(world: World, code: str = "extreme", rank: int = 50, **changes: Any) -> int:
    data = _tier(code, rank, **changes).model_copy(update={"version": await risk.policy_version()})
    return await risk.add_tier(actor=world.supervisor, data=data, clock=world.clock)


async def _version(case_id: int) -> int:
    row = await Case.select(Case.version).where(Case.id == case_id).first()
    return int(row["version"])


async def _reassess(world: World, case_id: int, level: str, reason: str | None = None) -> None:
    await risk.reassess(
        actor=world.ja,
        case_id=case_id,
        level=level,
        reason=reason,
        version=await _version(case_id),
        clock=world.clock,
    )


async def test_a_supervisor_adds_a_tier_above_the_highest_and_a_case_goes_up_to_it(
    world: World, settings
):
    case = await world.open_case(risk_level=RiskLevel.SEVERE)
    with pytest.raises(Invalid) as refused:  # not a tier yet
        await _reassess(world, case.id, "extreme")
    assert refused.value.extra["field"] == "level"
    version = await _add(world, redlist_priority=1, response_hours=2)
    policy = await risk.read_policy()
    assert policy.version == version
    assert [(t.tier, t.rank) for t in policy.tiers][-2:] == [("severe", 40), ("extreme", 50)]
    assert policy.tiers[-1].names == EXTREME_NAMES
    audited = await AuditEntry.select().where(AuditEntry.record_type == "risk_policy").first()
    assert audited["actor_id"] == world.supervisor.id and "extreme: added" in audited["detail"]
    # Up at once, with no reason: the rank says "up".
    await _reassess(world, case.id, "extreme")
    assert (await Case.select(Case.risk_level).where(Case.id == case.id).first())[
        "risk_level"
    ] == "extreme"
    # Down only with a reason.
    with pytest.raises(Invalid) as refused:
        await _reassess(world, case.id, "severe")
    assert refused.value.code == "risk.downgrade_needs_reason"
    # The loop's response hours are the new tier's own (its alerts are due in 2 hours).
    tiers = await views.policy_map()
    assert tiers["extreme"].response_hours == 2 and tiers.loops("extreme")


async def test_every_order_goes_by_the_rank(world: World, settings):
    # A tier between "high" (30) and "severe" (40): the enum's order knows nothing of it.
    await _add(world, "very_high", 35, redlist_priority=1)
    cases = {}
    for level in ("severe", "very_high", "high"):
        cases[level] = await world.open_case(risk_level=level)
        await world.add_measure(cases[level].id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    page = await caseload.caseload(actor=world.ja, now=world.clock.now(), settings=settings)
    order = [i.risk_level for i in page.items]
    assert order == ["severe", "very_high", "high"]
    ascending = await caseload.caseload(
        actor=world.ja, now=world.clock.now(), settings=settings, descending=False
    )
    assert [i.risk_level for i in ascending.items] == ["high", "very_high", "severe"]
    # The red list: the tiers' priority (1 for severe and very_high), then the rank.
    red = await red_list(
        zone_id=world.orgs["police"], clock=world.clock, tz=settings.tz, reader=world.officer
    )
    assert [e.risk_level for e in red.entries] == ["severe", "very_high", "high"]
    # The filter takes a tier of the table, and only that.
    only = await caseload.caseload(
        actor=world.ja, now=world.clock.now(), settings=settings, risk="very_high"
    )
    assert [i.case_id for i in only.items] == [cases["very_high"].id]
    with pytest.raises(Invalid) as refused:
        await caseload.caseload(actor=world.ja, now=world.clock.now(), settings=settings, risk="x")
    assert (refused.value.code, refused.value.extra["field"]) == ("risk.unknown_tier", "risk")


async def test_an_unknown_tier_opens_no_case(world: World):
    before = await Case.count()
    with pytest.raises(Invalid) as refused:
        await world.open_case(risk_level="extreme")
    assert (refused.value.code, refused.value.extra["field"]) == (
        "risk.unknown_tier",
        "risk_level",
    )
    assert await Case.count() == before
    await _add(world)
    assert (await world.open_case(risk_level="extreme")).risk_level == "extreme"


async def test_renaming_keeps_the_code_and_is_read_at_once(world: World):
    case = await world.open_case(risk_level=RiskLevel.HIGH)
    assert (await views.policy_map()).name("high", "nl") == "Hoog"
    names = TierNames(fr="Élevé (COL)", nl="Hoog (COL)", en="High (COL)", de="Hoch (COL)")
    await risk.rename_tier(
        actor=world.supervisor,
        tier="high",
        data=TierRename(names=names, version=await risk.policy_version()),
        clock=world.clock,
    )
    tiers = await views.policy_map()
    assert tiers.name("high", "nl") == "Hoog (COL)" and tiers["high"].rank == 30
    assert (await Case.select(Case.risk_level).where(Case.id == case.id).first())[
        "risk_level"
    ] == "high"
    with pytest.raises(NotFound):
        await risk.rename_tier(
            actor=world.supervisor,
            tier="nope",
            data=TierRename(names=names, version=await risk.policy_version()),
            clock=world.clock,
        )


async def test_a_tier_in_use_is_not_removed_and_says_why(world: World):
    await _add(world)
    case = await world.open_case(risk_level="extreme")

    async def remove(tier: str = "extreme") -> int:
        return await risk.remove_tier(
            actor=world.supervisor,
            tier=tier,
            version=await risk.policy_version(),
            clock=world.clock,
        )

    with pytest.raises(Conflict) as refused:
        await remove()
    assert (refused.value.code, refused.value.extra["count"]) == ("risk.tier_used_by_cases", 1)
    await _reassess(world, case.id, "severe", reason="The threats have stopped")
    with pytest.raises(Conflict) as refused:  # its history still names it
        await remove()
    assert refused.value.code == "risk.tier_used_by_assessments"
    assert "extreme" in await views.policy_map()


async def test_an_open_alert_holds_its_tier_and_an_unused_tier_goes(world: World):
    await _add(world, "watch", 5, closed_loop=False)
    case = await world.open_case(risk_level=RiskLevel.HIGH)
    await RiskAlert(
        case=case.id,
        kind="police_alert",
        trigger="missed_summons",
        trigger_key="hand:1",
        level="watch",
        state=AlertState.OPEN,
        due_at=world.clock.now() + timedelta(hours=1),
        created_at=world.clock.now(),
    ).save()
    with pytest.raises(Conflict) as refused:
        await risk.remove_tier(
            actor=world.supervisor,
            tier="watch",
            version=await risk.policy_version(),
            clock=world.clock,
        )
    assert refused.value.code == "risk.tier_used_by_alerts"
    await RiskAlert.update({RiskAlert.state: AlertState.DONE}).where(RiskAlert.level == "watch")
    version = await risk.remove_tier(
        actor=world.supervisor, tier="watch", version=await risk.policy_version(), clock=world.clock
    )
    assert "watch" not in await views.policy_map()
    assert await RiskPolicy.count() == 4
    assert version == await risk.policy_version()
    # A done alert of a removed tier still reads, by the tier's code.
    assert [a.level for a in await loop.case_alerts(actor=world.ja, case_id=case.id)] == ["watch"]


async def test_only_policy_editors_change_the_tiers_and_bad_tiers_change_nothing(world: World):
    with pytest.raises(Forbidden):
        await risk.add_tier(actor=world.ja, data=_tier("extreme", 50), clock=world.clock)
    before = await risk.read_policy()
    for data, code in [
        (_tier("extreme", 40), "risk.rank_taken"),
        (_tier("severe", 50), "risk.tier_exists"),
        (_tier("extreme", 50, closed_loop=False), "risk.loop_not_upwards"),
    ]:
        with pytest.raises((Conflict, Invalid)) as refused:
            await risk.add_tier(
                actor=world.supervisor,
                data=data.model_copy(update={"version": before.version}),
                clock=world.clock,
            )
        assert refused.value.code == code
    with pytest.raises(Conflict) as refused:  # a stale version
        await risk.add_tier(
            actor=world.supervisor,
            data=_tier("extreme", 50).model_copy(update={"version": before.version + 5}),
            clock=world.clock,
        )
    assert refused.value.code == "record.changed_since_read"
    assert await risk.read_policy() == before
