"""The risk policy's pure rules: what a valid policy is, how a level may move, when the tier's
reminders, updates and escalations fall due, and how an alert moves."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from perp_track.cases.rules import RiskLevel
from perp_track.errors import Conflict, Invalid
from perp_track.risk import rules
from perp_track.risk.rules import (
    DEFAULT_POLICY,
    AlertOutcome,
    AlertState,
    AlertStep,
    Direction,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
POLICY = rules.Tiers(DEFAULT_POLICY)
EXTREME = replace(
    DEFAULT_POLICY[3],
    tier="extreme",
    rank=50,
    names={"fr": "Extrême", "nl": "Extreem", "en": "Extreme", "de": "Extrem"},
)


def test_the_default_policy_is_valid_and_loops_from_high():
    assert rules.check_policy(DEFAULT_POLICY) == POLICY
    assert list(POLICY) == ["low", "medium", "high", "severe"]
    assert rules.loop_threshold(POLICY) == RiskLevel.HIGH
    assert rules.loop_applies("high", POLICY) and not rules.loop_applies("medium", POLICY)
    assert not rules.loop_applies("unknown", POLICY)


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ((*DEFAULT_POLICY, replace(DEFAULT_POLICY[0], rank=5)), "risk.tier_twice"),
        (
            (*DEFAULT_POLICY[:3], replace(DEFAULT_POLICY[3], closed_loop=False)),
            "risk.loop_not_upwards",
        ),
        (
            (replace(DEFAULT_POLICY[0], sapv_update_days=-1), *DEFAULT_POLICY[1:]),
            "risk.interval_too_small",
        ),
        (
            (replace(DEFAULT_POLICY[0], response_hours=0), *DEFAULT_POLICY[1:]),
            "risk.interval_too_small",
        ),
        (
            (replace(DEFAULT_POLICY[0], evening_reminder_hour=24), *DEFAULT_POLICY[1:]),
            "risk.interval_too_small",
        ),
        ((), "risk.tier_missing"),
        ((*DEFAULT_POLICY, replace(EXTREME, rank=40)), "risk.rank_taken"),
        ((*DEFAULT_POLICY, replace(EXTREME, tier="Extreme!")), "risk.tier_code_invalid"),
        (
            (*DEFAULT_POLICY, replace(EXTREME, names={**EXTREME.names, "de": " "})),
            "risk.tier_name_missing",
        ),
        ((*DEFAULT_POLICY, replace(EXTREME, closed_loop=False)), "risk.loop_not_upwards"),
    ],
)
def test_a_bad_policy_is_refused_by_its_code(rows, code):
    with pytest.raises(Invalid) as refused:
        rules.check_policy(rows)
    assert refused.value.code == code


def test_a_tier_set_is_data_ordered_by_rank_and_named_by_language():
    tiers = rules.check_policy([EXTREME, *reversed(DEFAULT_POLICY)])
    assert list(tiers) == ["low", "medium", "high", "severe", "extreme"]
    assert tiers.name("extreme", "nl") == "Extreem" and tiers.name("high", "fr") == "Élevé"
    assert tiers.name("gone", "fr") == "gone"  # a tier since removed: its code
    assert tiers.loops("extreme") and not tiers.loops("gone")
    # A tier placed between two others by its rank, not by any fixed order of levels.
    between = replace(EXTREME, tier="very_high", rank=35)
    assert list(rules.check_policy([*DEFAULT_POLICY, between]))[3] == "very_high"
    with pytest.raises(Invalid) as refused:
        tiers.require("nope", field="risk")
    assert (refused.value.code, refused.value.extra["field"]) == ("risk.unknown_tier", "risk")


def test_a_level_goes_up_at_once_and_down_only_with_a_reason():
    def move(current: str, new: str, reason: str | None, tiers=POLICY) -> Direction:
        return rules.reassessment(current=current, new=new, reason=reason, tiers=tiers)

    assert move("medium", "high", None) is Direction.UP
    assert move("high", "high", None) is Direction.SAME
    with pytest.raises(Invalid) as refused:
        move("high", "low", "  ")
    assert refused.value.code == "risk.downgrade_needs_reason"
    assert move("high", "low", "Moved away") is Direction.DOWN
    with pytest.raises(Invalid):
        move("high", "extreme", "x")
    # Up and down go by rank: with "extreme" ranked above "severe", it is up, at once.
    with_extreme = rules.Tiers([*DEFAULT_POLICY, EXTREME])
    assert move("severe", "extreme", None, with_extreme) is Direction.UP
    with pytest.raises(Invalid):
        move("extreme", "severe", None, with_extreme)
    # Ranked below "low" instead, the same move is a downgrade.
    below = rules.Tiers([*DEFAULT_POLICY, replace(EXTREME, rank=1, closed_loop=False)])
    with pytest.raises(Invalid):
        move("low", "extreme", None, below)


def test_the_evening_reminder_is_at_the_tiers_hour_the_day_before_in_local_time():
    summons = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # 10:00 in Brussels, summer time
    times = rules.tier_reminder_times(summons, "high", POLICY, tz=BRUSSELS)
    # 29 March 2026 is the day the clocks go forward: 19:00 local is 17:00 UTC.
    assert times == {"eve": datetime(2026, 3, 29, 17, 0, tzinfo=UTC)}
    assert rules.tier_reminder_times(summons, "medium", POLICY, tz=BRUSSELS) == {}
    # A summons before the evening's hour on the day itself gets no "evening before" in the past.
    early = datetime(2026, 3, 30, 5, 0, tzinfo=UTC)
    assert rules.tier_reminder_times(early, "high", POLICY, tz=BRUSSELS)["eve"] < early


def test_the_call_task_and_the_clocks_follow_the_tier():
    summons = datetime(2026, 5, 12, 8, 0, tzinfo=UTC)
    assert str(rules.call_task_due(summons, POLICY[RiskLevel.SEVERE], tz=BRUSSELS)) == "2026-05-10"
    assert rules.call_task_due(summons, POLICY[RiskLevel.LOW], tz=BRUSSELS) is None
    since = datetime(2026, 5, 1, tzinfo=UTC)
    assert rules.sapv_update_due(last=None, since=since, policy=POLICY[RiskLevel.HIGH]) == (
        since + timedelta(days=14)
    )
    assert rules.sapv_update_due(last=None, since=since, policy=POLICY[RiskLevel.LOW]) is None
    assert rules.reassessment_due(since, POLICY[RiskLevel.SEVERE]) == since + timedelta(days=14)
    assert rules.alert_due(since, POLICY[RiskLevel.SEVERE]) == since + timedelta(hours=4)


def test_an_alert_moves_open_acknowledged_done_and_never_back():
    assert rules.alert_step("open", AlertStep.ACKNOWLEDGE, None) is AlertState.ACKNOWLEDGED
    assert rules.alert_step("open", AlertStep.DONE, AlertOutcome.VICTIM_SAFE) is AlertState.DONE
    assert (
        rules.alert_step("acknowledged", AlertStep.DONE, AlertOutcome.NO_ACTION_NEEDED)
        is AlertState.DONE
    )
    with pytest.raises(Invalid):
        rules.alert_step("acknowledged", AlertStep.DONE, None)
    with pytest.raises(Conflict):
        rules.alert_step("done", AlertStep.ACKNOWLEDGE, None)
    with pytest.raises(Conflict):
        rules.alert_step("acknowledged", AlertStep.ACKNOWLEDGE, None)


def _due(state: str, due: datetime, acknowledged_at: datetime | None = None) -> datetime | None:
    return rules.escalation_deadline(
        state=state, due_at=due, acknowledged_at=acknowledged_at, response=timedelta(hours=24)
    )


def test_an_unanswered_alert_past_its_time_escalates_and_once():
    due = datetime(2026, 5, 1, 12, tzinfo=UTC)
    late = due + timedelta(minutes=1)
    assert rules.escalation_due(deadline=_due("open", due), escalated_at=None, now=late)
    assert not rules.escalation_due(
        deadline=_due("open", due), escalated_at=None, now=due - timedelta(1)
    )
    assert not rules.escalation_due(deadline=_due("open", due), escalated_at=late, now=late)
    assert _due("done", due) is None
    assert not rules.escalation_due(deadline=None, escalated_at=None, now=late)


def test_an_acknowledged_alert_not_done_escalates_after_its_response_hours():
    due = datetime(2026, 5, 1, 12, tzinfo=UTC)
    # Acknowledged early: the due time still holds, it is the later of the two.
    early = due - timedelta(hours=23)
    assert _due("acknowledged", due, early) == due + timedelta(hours=1)
    # Acknowledged late in its window: 24 hours from the acknowledgement.
    assert _due("acknowledged", due, due - timedelta(hours=1)) == due + timedelta(hours=23)
    # Acknowledged well before the due time: escalated no sooner than it.
    assert _due("acknowledged", due, due - timedelta(days=3)) == due
    assert not rules.escalation_due(
        deadline=_due("acknowledged", due, early), escalated_at=None, now=due
    )
    assert rules.escalation_due(
        deadline=_due("acknowledged", due, early), escalated_at=None, now=due + timedelta(hours=1)
    )


def test_a_concern_needs_its_description():
    rules.check_concern(False, None)
    rules.check_concern(True, "Threats")
    with pytest.raises(Invalid):
        rules.check_concern(True, " ")
