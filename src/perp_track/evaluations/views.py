"""An evaluation's results: per arm and per measure type, what happened at the summons of the
people assigned, with 95 % intervals, and each arm against the first. Counts only, no names."""

from __future__ import annotations

from typing import Any

from perp_track.auth.rules import ActingUser
from perp_track.clock import Clock
from perp_track.evaluations import rules
from perp_track.evaluations.intervals import Interval
from perp_track.evaluations.rules import Category, Observation
from perp_track.evaluations.schemas import (
    ArmResultRead,
    BreakdownRead,
    DifferenceRead,
    RateRead,
    ResultsRead,
)
from perp_track.evaluations.services import scoped_evaluation, state_of
from perp_track.evaluations.tables import EvaluationArm, EvaluationAssignment
from perp_track.summons.tables import Summons

_CHUNK = 5000


async def observations(evaluation: dict[str, Any]) -> list[Observation]:
    """Each summons the evaluation counts: of a person assigned, in the evaluation's justice
    house, made from the assignment until the evaluation stopped (the summons whose reminders
    the arm governs), with an outcome recorded (attended, late, absent)."""
    assignments = {
        a["person"]: a
        for a in await EvaluationAssignment.select(
            EvaluationAssignment.person, EvaluationAssignment.arm, EvaluationAssignment.assigned_at
        ).where(EvaluationAssignment.evaluation == evaluation["id"])
    }
    stop = rules.effective_end(evaluation["ends_at"], evaluation["ended_at"])
    people = list(assignments)
    found: list[Observation] = []
    for start in range(0, len(people), _CHUNK):
        rows = await Summons.select(
            Summons.status,
            Summons.created_at,
            Summons.measure.kind.as_alias("measure_kind"),
            Summons.case.perpetrator.as_alias("person"),
        ).where(
            Summons.case.perpetrator.is_in(people[start : start + _CHUNK])
            & (Summons.case.justice_house == evaluation["justice_house"])
            & Summons.status.is_in(list(rules.COUNTED_STATUSES))
            & (Summons.created_at >= evaluation["starts_at"])
        )
        for row in rows:
            assignment = assignments[row["person"]]
            if assignment["assigned_at"] <= row["created_at"] < stop:
                found.append(
                    Observation(
                        arm_id=assignment["arm"],
                        measure_kind=row["measure_kind"] or rules.NO_MEASURE,
                        status=row["status"],
                    )
                )
    return found


def _difference(interval: Interval | None) -> DifferenceRead | None:
    if interval is None:
        return None
    return DifferenceRead(estimate=interval.estimate, low=interval.low, high=interval.high)


def present(
    evaluation: dict[str, Any],
    arms: list[dict[str, Any]],
    breakdowns: list[rules.Breakdown],
    *,
    state: rules.State,
    min_per_arm: int,
) -> ResultsRead:
    names = {a["id"]: a["name"] for a in arms}
    return ResultsRead(
        evaluation_id=evaluation["id"],
        title=evaluation["title"],
        state=state,
        min_per_arm=min_per_arm,
        breakdowns=[
            BreakdownRead(
                measure_kind=b.measure_kind,
                verdict=b.verdict,
                arms=[
                    ArmResultRead(
                        arm_id=a.arm_id,
                        name=names[a.arm_id],
                        total=a.total,
                        rates={
                            c: RateRead(
                                count=r.count,
                                total=r.total,
                                rate=r.interval.estimate if r.interval else None,
                                low=r.interval.low if r.interval else None,
                                high=r.interval.high if r.interval else None,
                            )
                            for c, r in a.rates.items()
                        },
                        differences={c: _difference(d) for c, d in a.differences.items()},
                    )
                    for a in b.arms
                ],
            )
            for b in breakdowns
        ],
    )


async def evaluation_results(
    *, actor: ActingUser, evaluation_id: int, clock: Clock, min_per_arm: int = rules.MIN_PER_ARM
) -> ResultsRead:
    evaluation = await scoped_evaluation(actor, evaluation_id)
    arms = (
        await EvaluationArm.select()
        .where(EvaluationArm.evaluation == evaluation_id)
        .order_by(EvaluationArm.position)
    )
    breakdowns = rules.results(
        [a["id"] for a in arms], await observations(evaluation), min_per_arm=min_per_arm
    )
    return present(
        evaluation,
        arms,
        breakdowns,
        state=state_of(evaluation, clock.now()),
        min_per_arm=min_per_arm,
    )


CSV_HEADER = [
    "measure_kind",
    "arm",
    "category",
    "count",
    "total",
    "rate",
    "rate_low_95",
    "rate_high_95",
    "difference_vs_first_arm",
    "difference_low_95",
    "difference_high_95",
    "verdict",
]


def csv_rows(results: ResultsRead) -> list[list[Any]]:
    """One row per measure type, arm and category, numbers as plain decimals."""

    def number(value: float | None) -> str:
        return "" if value is None else f"{value:.4f}"

    rows: list[list[Any]] = []
    for b in results.breakdowns:
        for arm in b.arms:
            for category in Category:
                rate = arm.rates[category]
                diff = arm.differences.get(category)
                rows.append(
                    [
                        b.measure_kind,
                        arm.name,
                        category.value,
                        rate.count,
                        rate.total,
                        number(rate.rate),
                        number(rate.low),
                        number(rate.high),
                        number(diff.estimate if diff else None),
                        number(diff.low if diff else None),
                        number(diff.high if diff else None),
                        b.verdict.value,
                    ]
                )
    return rows
