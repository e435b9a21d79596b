"""Reminder evaluations: the random assignment, the states, the arms' reminders, and the results
computed on synthetic data with a known effect."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from perp_track.errors import Conflict, Invalid
from perp_track.evaluations import rules
from perp_track.evaluations.errors import EvaluationError
from perp_track.evaluations.rules import (
    Action,
    ArmPlan,
    Category,
    EvaluationStatus,
    Observation,
    State,
    Verdict,
)
from perp_track.summons.rules import SummonsStatus

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


# --- Randomisation ---------------------------------------------------------------------------


def test_a_person_always_draws_the_same_arm():
    arms = [(11, 50), (12, 50)]
    first = [rules.pick_arm("seed-a", person, arms) for person in range(1, 2001)]
    again = [rules.pick_arm("seed-a", person, arms) for person in range(1, 2001)]
    assert first == again


def test_another_seed_draws_another_assignment():
    arms = [(11, 50), (12, 50)]
    a = [rules.pick_arm("seed-a", person, arms) for person in range(1, 2001)]
    b = [rules.pick_arm("seed-b", person, arms) for person in range(1, 2001)]
    # Independent draws agree about half the time, not always.
    agree = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
    assert 0.45 < agree < 0.55


@pytest.mark.parametrize(
    "shares",
    [(50, 50), (70, 30), (34, 33, 33), (10, 20, 30, 40)],
)
def test_assignment_is_balanced_on_100_000_people(shares):
    arms = [(100 + i, share) for i, share in enumerate(shares)]
    counts = Counter(rules.pick_arm("a secret seed", person, arms) for person in range(1, 100_001))
    for arm_id, share in arms:
        # Within one percentage point of the share: more than six standard deviations of the
        # binomial (at most 0.16 point at this size), so the test fails only on a real bias.
        assert abs(counts[arm_id] / 100_000 - share / 100) < 0.01, (arm_id, counts)


def test_consecutive_ids_do_not_alternate_or_cluster():
    arms = [(1, 50), (2, 50)]
    drawn = [rules.pick_arm("seed", person, arms) for person in range(1, 20_001)]
    runs = 1 + sum(a != b for a, b in itertools.pairwise(drawn))
    # A fair random sequence has about n/2 runs (SD about 71 here).
    assert abs(runs - 10_000) < 500


def test_draws_are_uniform_over_deciles():
    deciles = Counter(int(rules.draw("seed", p) * 10) for p in range(1, 100_001))
    assert all(abs(deciles[d] - 10_000) < 600 for d in range(10)), deciles


# --- States and transitions --------------------------------------------------------------------


def _state(status: EvaluationStatus, *, start: int = -1, end: int = 30, ended: bool = False):
    return rules.state(
        status,
        starts_at=NOW + timedelta(days=start),
        ends_at=NOW + timedelta(days=end),
        ended_at=NOW if ended else None,
        now=NOW,
    )


def test_states_follow_the_clock_and_the_status():
    assert _state(EvaluationStatus.ACTIVE, start=1) is State.PLANNED
    assert _state(EvaluationStatus.ACTIVE) is State.RUNNING
    assert _state(EvaluationStatus.PAUSED) is State.PAUSED
    assert _state(EvaluationStatus.ENDED, ended=True) is State.ENDED
    assert _state(EvaluationStatus.ACTIVE, end=0) is State.ENDED  # past its planned end
    assert _state(EvaluationStatus.PAUSED, end=-1) is State.ENDED


def test_only_a_running_evaluation_assigns_anybody():
    assert rules.enrols(State.RUNNING)
    assert not any(rules.enrols(s) for s in (State.PLANNED, State.PAUSED, State.ENDED))


def test_transitions_are_a_table_and_an_ended_evaluation_stays_ended():
    assert rules.transition(State.RUNNING, Action.PAUSE) is EvaluationStatus.PAUSED
    assert rules.transition(State.PAUSED, Action.RESUME) is EvaluationStatus.ACTIVE
    assert rules.transition(State.PAUSED, Action.END) is EvaluationStatus.ENDED
    assert rules.allowed_actions(State.ENDED) == []
    for action in Action:
        with pytest.raises(Conflict) as refused:
            rules.transition(State.ENDED, action)
        assert refused.value.code is EvaluationError.NOT_ALLOWED
    with pytest.raises(Conflict) as refused:
        rules.transition(State.RUNNING, Action.RESUME)
    assert refused.value.extra["allowed"] == ["pause", "end"]


# --- Arms ------------------------------------------------------------------------------------


def test_days_are_read_as_people_write_them():
    assert rules.parse_days("7, 3,1") == (7, 3, 1)
    assert rules.parse_days("1;14;1") == (14, 1)
    assert rules.parse_days("") == ()
    for bad in ("0", "22", "two"):
        with pytest.raises(Invalid) as refused:
            rules.parse_days(bad)
        assert refused.value.code is EvaluationError.NO_REMINDER_DAY


def test_arms_are_checked():
    wordings = ["standard", "plain"]
    rules.check_arms([("A", 50, "standard"), ("B", 50, "plain")], wordings)
    cases = [
        ([("A", 100, "standard")], EvaluationError.TOO_FEW_ARMS, "arms"),
        ([("A", 50, "standard"), ("a ", 50, "plain")], EvaluationError.ARM_NAME_TWICE, None),
        ([("A", 50, "standard"), ("B", 50, "shouty")], EvaluationError.WORDING_UNKNOWN, None),
        ([("A", 50, "standard"), ("B", 40, "plain")], EvaluationError.SHARES_TOTAL, "arms"),
        ([(str(i), 14, "plain") for i in range(7)], EvaluationError.TOO_MANY_ARMS, "arms"),
    ]
    for arms, code, field in cases:
        with pytest.raises(Invalid) as refused:
            rules.check_arms(arms, wordings)
        assert refused.value.code is code
        if field:
            assert refused.value.params["field"] == field
    with pytest.raises(Invalid) as refused:
        rules.check_arms([("A", 50, "standard"), ("B", 50, "shouty")], wordings)
    assert refused.value.params["field"] == "arms.1.wording"


def test_an_arm_plans_its_own_reminders_in_local_time():
    plan = ArmPlan(
        evaluation_id=1,
        arm_id=2,
        days_before=(5, 2),
        morning=False,
        send_hour=18,
        morning_hour=8,
        wording="plain",
    )
    summons = datetime(2026, 12, 15, 13, 0, tzinfo=UTC)  # 14:00 in Brussels
    times = plan.reminder_times(summons, BRUSSELS)
    assert set(times) == {"d5", "d2"}
    assert times["d5"] == datetime(2026, 12, 10, 17, 0, tzinfo=UTC)  # 18:00 in Brussels
    assert plan.variant == "plain"
    with_morning = ArmPlan(1, 2, (), True, 10, 8, "standard")
    assert with_morning.reminder_times(summons, BRUSSELS) == {
        "morning": datetime(2026, 12, 15, 7, 0, tzinfo=UTC)
    }
    assert with_morning.variant is None


# --- Results ---------------------------------------------------------------------------------

OUTCOMES = [
    SummonsStatus.ATTENDED,
    SummonsStatus.LATE,
    SummonsStatus.ABSENT_VALID_REASON,
    SummonsStatus.ABSENT_NO_VALID_REASON,
]


def synthetic(
    rng: random.Random, arm_id: int, n: int, no_show: float, kind: str = "probation"
) -> list[Observation]:
    """n summons of one arm: a no-show with probability no_show, otherwise attended, late or
    absent with a valid reason in fixed proportions."""
    found = []
    for _ in range(n):
        if rng.random() < no_show:
            status = SummonsStatus.ABSENT_NO_VALID_REASON
        else:
            status = rng.choices(OUTCOMES[:3], weights=(80, 12, 8))[0]
        found.append(Observation(arm_id, kind, str(status)))
    return found


def test_a_known_effect_is_found_with_its_interval():
    rng = random.Random(18)
    data = synthetic(rng, 1, 3000, 0.25) + synthetic(rng, 2, 3000, 0.15)
    overall = rules.results([1, 2], data)[0]
    assert overall.measure_kind == rules.ALL_MEASURES
    reference, treated = overall.arms
    assert reference.total == treated.total == 3000
    assert reference.rates[Category.ABSENT_NO_VALID_REASON].interval.estimate == pytest.approx(
        0.25, abs=0.025
    )
    difference = treated.differences[Category.ABSENT_NO_VALID_REASON]
    assert difference is not None
    assert difference.low < -0.10 < difference.high  # the true effect is inside
    assert difference.high < 0  # and the interval leaves zero out
    assert overall.verdict is Verdict.DIFFERENCE
    assert reference.differences == {}
    # Every category's rates of an arm add up to its summons.
    assert sum(r.count for r in treated.rates.values()) == treated.total


def test_the_interval_covers_the_true_difference_about_95_times_in_100():
    rng = random.Random(2026)
    covered = 0
    runs = 400
    for _ in range(runs):
        data = synthetic(rng, 1, 150, 0.30) + synthetic(rng, 2, 150, 0.20)
        treated = rules.results([1, 2], data)[0].arms[1]
        d = treated.differences[Category.ABSENT_NO_VALID_REASON]
        covered += d.low <= -0.10 <= d.high
    assert 0.92 <= covered / runs <= 0.98


def test_no_effect_and_too_few_are_said():
    rng = random.Random(7)
    same = synthetic(rng, 1, 2000, 0.2) + synthetic(rng, 2, 2000, 0.2)
    assert rules.results([1, 2], same)[0].verdict is Verdict.NO_CLEAR_DIFFERENCE
    few = synthetic(rng, 1, 40, 0.5) + synthetic(rng, 2, 40, 0.05)
    assert rules.results([1, 2], few)[0].verdict is Verdict.TOO_FEW
    assert rules.results([1, 2], few, min_per_arm=30)[0].verdict is Verdict.DIFFERENCE
    empty = rules.results([1, 2], [])
    assert [b.verdict for b in empty] == [Verdict.NO_DATA]
    assert empty[0].arms[0].rates[Category.ATTENDED].interval is None


def test_results_per_measure_type_and_outcomes_left_out():
    data = [
        Observation(1, "probation", str(SummonsStatus.ATTENDED)),
        Observation(1, "no_measure", str(SummonsStatus.LATE)),
        Observation(2, "probation", str(SummonsStatus.ABSENT_VALID_REASON)),
        Observation(2, "probation", str(SummonsStatus.CANCELLED)),
        Observation(2, "probation", str(SummonsStatus.DID_NOT_TAKE_PLACE)),
        Observation(2, "probation", str(SummonsStatus.SCHEDULED)),
        Observation(9, "probation", str(SummonsStatus.ATTENDED)),  # not an arm of this one
    ]
    found = {b.measure_kind: b for b in rules.results([1, 2], data)}
    assert list(found) == ["all", "no_measure", "probation"]
    assert [a.total for a in found["all"].arms] == [2, 1]
    assert [a.total for a in found["probation"].arms] == [1, 1]
    assert [a.total for a in found["no_measure"].arms] == [1, 0]
    assert found["no_measure"].arms[1].differences[Category.LATE] is None
