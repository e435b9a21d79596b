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
POLICY = {p.tier: p for p in DEFAULT_POLICY}


def test_the_default_policy_is_valid_and_loops_from_high():
    assert rules.check_policy(DEFAULT_POLICY) == POLICY
    assert rules.loop_threshold(POLICY) is RiskLevel.HIGH
    assert rules.loop_applies("high", POLICY) and not rules.loop_applies("medium", POLICY)
    assert not rules.loop_applies("unknown", POLICY)


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ((*DEFAULT_POLICY, DEFAULT_POLICY[0]), "risk.tier_twice"),
        (DEFAULT_POLICY[:3], "risk.tier_missing"),
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
        ((replace(DEFAULT_POLICY[0], tier="extreme"), *DEFAULT_POLICY[1:]), "risk.unknown_tier"),
    ],
)
def test_a_bad_policy_is_refused_by_its_code(rows, code):
    with pytest.raises(Invalid) as refused:
        rules.check_policy(rows)
    assert refused.value.code == code


def test_a_level_goes_up_at_once_and_down_only_with_a_reason():
    assert rules.reassessment(current="medium", new="high", reason=None) is Direction.UP
    assert rules.reassessment(current="high", new="high", reason=None) is Direction.SAME
    with pytest.raises(Invalid) as refused:
        rules.reassessment(current="high", new="low", reason="  ")
    assert refused.value.code == "risk.downgrade_needs_reason"
    assert rules.reassessment(current="high", new="low", reason="Moved away") is Direction.DOWN
    with pytest.raises(Invalid):
        rules.reassessment(current="high", new="extreme", reason="x")


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
