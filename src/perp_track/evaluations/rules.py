"""Reminder evaluations: their states, the random assignment of a person to an arm, each arm's
reminder schedule, and the results (attendance rates per arm with their intervals).

Pure: no web, no database. The statistics are in intervals.py.
"""

from __future__ import annotations

import hmac
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from enum import StrEnum

from perp_track.errors import Conflict, Invalid
from perp_track.evaluations.errors import EvaluationError
from perp_track.evaluations.intervals import Interval, newcombe, wilson
from perp_track.summons.rules import SummonsStatus

MIN_ARMS, MAX_ARMS = 2, 6
MAX_REMINDER_DAYS = 21
# The default wording: the reminder template without a variant (summons_reminder.sms.<lang>.j2).
STANDARD_WORDING = "standard"
# The "too small to conclude" rule: fewer summons with an outcome than this in any arm.
MIN_PER_ARM = 100
ALL_MEASURES = "all"
NO_MEASURE = "no_measure"


class EvaluationStatus(StrEnum):
    """What is stored. What a reader sees (State) also depends on the clock."""

    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class State(StrEnum):
    PLANNED = "planned"  # before its start
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"  # ended by a supervisor, or past its planned end

    @property
    def label_code(self) -> str:
        """Its label's code: "paused" alone is why a victim's message waits (ui/labels.py)."""
        return f"evaluation_{self.value}"


class Action(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


# (state, action) -> the status stored. Anything else is refused with what is allowed.
TRANSITIONS: dict[tuple[State, Action], EvaluationStatus] = {
    (State.PLANNED, Action.PAUSE): EvaluationStatus.PAUSED,
    (State.RUNNING, Action.PAUSE): EvaluationStatus.PAUSED,
    (State.PAUSED, Action.RESUME): EvaluationStatus.ACTIVE,
    (State.PLANNED, Action.END): EvaluationStatus.ENDED,
    (State.RUNNING, Action.END): EvaluationStatus.ENDED,
    (State.PAUSED, Action.END): EvaluationStatus.ENDED,
}


def state(
    status: str, *, starts_at: datetime, ends_at: datetime, ended_at: datetime | None, now: datetime
) -> State:
    if status == EvaluationStatus.ENDED or ended_at is not None or now >= ends_at:
        return State.ENDED
    if status == EvaluationStatus.PAUSED:
        return State.PAUSED
    return State.PLANNED if now < starts_at else State.RUNNING


def allowed_actions(current: State) -> list[Action]:
    return [action for (at, action) in TRANSITIONS if at is current]


def transition(current: State, action: Action) -> EvaluationStatus:
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise Conflict(
            EvaluationError.NOT_ALLOWED,
            status=current,
            action=action,
            allowed=allowed_actions(current),
        ) from None


def effective_end(ends_at: datetime, ended_at: datetime | None) -> datetime:
    """When the evaluation stopped, or will: ended early by a supervisor, or at its planned end."""
    return min(ends_at, ended_at) if ended_at is not None else ends_at


def enrols(current: State) -> bool:
    """Only a running evaluation assigns anybody new: not before its start, not while paused,
    never once ended."""
    return current is State.RUNNING


# --- Randomisation --------------------------------------------------------------------------


def draw(seed: str, person_id: int) -> float:
    """A number in [0, 1) fixed by the evaluation's secret seed and the person: HMAC-SHA256, so
    the same person always draws the same, and nobody can steer a person without the seed."""
    digest = hmac.digest(seed.encode(), f"person:{person_id}".encode(), "sha256")
    return int.from_bytes(digest[:8], "big") / 2**64


def pick_arm(seed: str, person_id: int, arms: Sequence[tuple[int, int]]) -> int:
    """The arm (id) of a person, from (arm id, share in percent) in the arms' order."""
    if not arms:
        raise ValueError("no arm to pick from")
    point = draw(seed, person_id) * sum(share for _, share in arms)
    reached = 0
    for arm_id, share in arms:
        reached += share
        if point < reached:
            return arm_id
    return arms[-1][0]


# --- Arms and their reminders ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArmPlan:
    """What an arm sends: reminders days before (at send_hour, local time), perhaps one on the
    morning itself, in a wording (a template variant, or the standard one)."""

    evaluation_id: int
    arm_id: int
    days_before: tuple[int, ...]
    morning: bool
    send_hour: int
    morning_hour: int
    wording: str

    @property
    def variant(self) -> str | None:
        return None if self.wording == STANDARD_WORDING else self.wording

    def reminder_times(self, scheduled_at: datetime, tz: tzinfo) -> dict[str, datetime]:
        """As summons.rules.reminder_times, with the arm's days, hour and morning reminder."""
        local = scheduled_at.astimezone(tz)
        times: dict[str, datetime] = {}
        for days in self.days_before:
            day = local.date() - timedelta(days=days)
            times[f"d{days}"] = datetime.combine(day, time(self.send_hour), tzinfo=tz)
        if self.morning:
            times["morning"] = datetime.combine(local.date(), time(self.morning_hour), tzinfo=tz)
        return {key: at.astimezone(UTC) for key, at in times.items() if at < scheduled_at}


def parse_days(raw: str | Iterable[int]) -> tuple[int, ...]:
    """'7, 3, 1' or [7, 3, 1] -> (7, 3, 1): distinct, largest first; each 1..MAX_REMINDER_DAYS."""
    items = [p.strip() for p in raw.replace(";", ",").split(",")] if isinstance(raw, str) else raw
    days: set[int] = set()
    for item in items:
        if item == "":
            continue
        if isinstance(item, str) and not item.isdigit():
            raise Invalid(EvaluationError.NO_REMINDER_DAY, value=item, maximum=MAX_REMINDER_DAYS)
        value = int(item)
        if not 1 <= value <= MAX_REMINDER_DAYS:
            raise Invalid(EvaluationError.NO_REMINDER_DAY, value=value, maximum=MAX_REMINDER_DAYS)
        days.add(value)
    return tuple(sorted(days, reverse=True))


def days_text(days: Iterable[int]) -> str:
    return ",".join(str(d) for d in days)


def check_arms(arms: Sequence[tuple[str, int, str]], wordings: Iterable[str]) -> None:
    """(name, share, wording) of each arm: two to six arms, named apart, shares summing to 100,
    each wording one that exists in every language."""
    if len(arms) < MIN_ARMS:
        raise Invalid(EvaluationError.TOO_FEW_ARMS, field="arms")
    if len(arms) > MAX_ARMS:
        raise Invalid(EvaluationError.TOO_MANY_ARMS, maximum=MAX_ARMS, field="arms")
    seen: set[str] = set()
    allowed = sorted(wordings)
    for index, (name, _share, wording) in enumerate(arms):
        key = name.strip().casefold()
        if key in seen:
            raise Invalid(EvaluationError.ARM_NAME_TWICE, name=name, field=f"arms.{index}.name")
        seen.add(key)
        if wording not in allowed:
            raise Invalid(
                EvaluationError.WORDING_UNKNOWN,
                wording=wording,
                allowed=allowed,
                field=f"arms.{index}.wording",
            )
    total = sum(share for _, share, _ in arms)
    if total != 100:
        raise Invalid(EvaluationError.SHARES_TOTAL, total=total, field="arms")


def check_period(*, starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    if ends_at <= starts_at:
        raise Invalid(EvaluationError.END_BEFORE_START, field="ends_at")
    if ends_at <= now:
        raise Invalid(EvaluationError.END_IN_PAST, field="ends_at")


# --- Results ----------------------------------------------------------------------------------


class Category(StrEnum):
    """What happened at a summons, as the evaluation counts it."""

    ATTENDED = "attended"
    LATE = "late"
    ABSENT_VALID_REASON = "absent_valid_reason"
    ABSENT_NO_VALID_REASON = "absent_no_valid_reason"


# A summons cancelled, moved, still to come, or that did not take place tells nothing about
# the reminders: it is left out.
CATEGORY_OF: dict[str, Category] = {
    SummonsStatus.ATTENDED: Category.ATTENDED,
    SummonsStatus.LATE: Category.LATE,
    SummonsStatus.ABSENT_VALID_REASON: Category.ABSENT_VALID_REASON,
    SummonsStatus.ABSENT_NO_VALID_REASON: Category.ABSENT_NO_VALID_REASON,
}
COUNTED_STATUSES = tuple(str(s) for s in CATEGORY_OF)
# The measure the evaluation is about: a no-show is an absence without a valid reason.
NO_SHOW = Category.ABSENT_NO_VALID_REASON


@dataclass(frozen=True, slots=True)
class Observation:
    """One summons of a person in the evaluation: their arm, the measure type, what happened."""

    arm_id: int
    measure_kind: str
    status: str


@dataclass(frozen=True, slots=True)
class Rate:
    count: int
    total: int
    interval: Interval | None  # None when total is 0


@dataclass(frozen=True, slots=True)
class ArmResult:
    arm_id: int
    total: int
    rates: dict[Category, Rate]
    # Against the first arm (the reference); None for the first arm itself or an empty group.
    differences: dict[Category, Interval | None] = field(default_factory=dict)


class Verdict(StrEnum):
    NO_DATA = "no_data"
    TOO_FEW = "too_few"  # an arm has fewer than MIN_PER_ARM summons with an outcome
    NO_CLEAR_DIFFERENCE = "no_clear_difference"  # the difference's 95 % interval includes 0
    DIFFERENCE = "difference"  # every arm's no-show difference excludes 0


@dataclass(frozen=True, slots=True)
class Breakdown:
    measure_kind: str  # a MeasureKind value, NO_MEASURE, or ALL_MEASURES
    arms: list[ArmResult]
    verdict: Verdict


def _arm_result(arm_id: int, counts: dict[Category, int], reference: ArmResult | None) -> ArmResult:
    total = sum(counts.values())
    rates = {c: Rate(counts.get(c, 0), total, wilson(counts.get(c, 0), total)) for c in Category}
    differences: dict[Category, Interval | None] = {}
    if reference is not None:
        for c in Category:
            differences[c] = newcombe(
                counts.get(c, 0), total, reference.rates[c].count, reference.total
            )
    return ArmResult(arm_id, total, rates, differences)


def verdict(arms: list[ArmResult], min_per_arm: int = MIN_PER_ARM) -> Verdict:
    if all(a.total == 0 for a in arms):
        return Verdict.NO_DATA
    if any(a.total < min_per_arm for a in arms):
        return Verdict.TOO_FEW
    spans = [a.differences.get(NO_SHOW) for a in arms[1:]]
    if any(d is None or d.spans_zero() for d in spans):
        return Verdict.NO_CLEAR_DIFFERENCE
    return Verdict.DIFFERENCE


def _breakdown(
    kind: str, arm_ids: Sequence[int], counts: dict[int, dict[Category, int]], min_per_arm: int
) -> Breakdown:
    results: list[ArmResult] = []
    reference: ArmResult | None = None
    for arm_id in arm_ids:
        result = _arm_result(arm_id, counts.get(arm_id, {}), reference)
        reference = reference or result
        results.append(result)
    return Breakdown(kind, results, verdict(results, min_per_arm))


def results(
    arm_ids: Sequence[int],
    observations: Iterable[Observation],
    *,
    min_per_arm: int = MIN_PER_ARM,
) -> list[Breakdown]:
    """All measures first, then each measure type seen, each arm against the first arm."""
    by_kind: dict[str, dict[int, dict[Category, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for o in observations:
        category = CATEGORY_OF.get(o.status)
        if category is None or o.arm_id not in arm_ids:
            continue
        by_kind[ALL_MEASURES][o.arm_id][category] += 1
        by_kind[o.measure_kind or NO_MEASURE][o.arm_id][category] += 1
    kinds = [ALL_MEASURES, *sorted(k for k in by_kind if k != ALL_MEASURES)]
    return [_breakdown(kind, arm_ids, by_kind.get(kind, {}), min_per_arm) for kind in kinds]
