"""Compliance per condition, measure and case, computed from attendance and events (pure).

The computation only *proposes*: a justice assistant confirms non-compliance (the
`report_non_compliance` transition) before anything goes to the authority.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from perp_track.measures.rules import (
    CLOSED_STATUSES,
    ConditionKind,
    ConditionStatus,
    MeasureStatus,
)


class Level(StrEnum):
    MET = "met"
    COMPLIANT = "compliant"
    AT_RISK = "at_risk"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"


# Worse is higher: a measure is as compliant as its least compliant condition.
_SEVERITY = {
    Level.NOT_APPLICABLE: 0,
    Level.MET: 1,
    Level.COMPLIANT: 2,
    Level.AT_RISK: 3,
    Level.NON_COMPLIANT: 4,
}


def worst(levels: list[Level]) -> Level:
    return max(levels, key=_SEVERITY.__getitem__, default=Level.NOT_APPLICABLE)


@dataclass(frozen=True, slots=True)
class Thresholds:
    programme_absences: int = 2  # unexcused programme absences that propose non-compliance
    missed_summons: int = 2  # unexcused missed summons that propose non-compliance


@dataclass(frozen=True, slots=True)
class ConditionFacts:
    id: int
    kind: ConditionKind
    status: ConditionStatus
    required_sessions: int | None = None
    sessions_attended: int = 0
    sessions_excused: int = 0
    sessions_unexcused: int = 0
    hours_due: int | None = None
    hours_done: int = 0
    ends_on: date | None = None
    interrupted: str | None = None
    summons_missed: int = 0  # for "respond to summons": the measure's unexcused absences


@dataclass(frozen=True, slots=True)
class ConditionCompliance:
    condition_id: int
    kind: ConditionKind
    level: Level
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeasureCompliance:
    measure_id: int
    level: Level
    conditions: tuple[ConditionCompliance, ...]
    # True when the figures cross a threshold and the justice assistant has not reported yet.
    propose_non_compliance: bool
    reasons: tuple[str, ...] = field(default=())


def condition_compliance(
    c: ConditionFacts, *, today: date, thresholds: Thresholds
) -> ConditionCompliance:
    reasons: list[str] = []
    if c.status is ConditionStatus.WAIVED or c.status is ConditionStatus.ADAPTED:
        return ConditionCompliance(c.id, c.kind, Level.NOT_APPLICABLE, (f"condition {c.status}",))
    if c.status is ConditionStatus.MET:
        return ConditionCompliance(c.id, c.kind, Level.MET, ("condition met",))
    level = Level.COMPLIANT
    if c.status is ConditionStatus.BREACHED:
        level = Level.NON_COMPLIANT
        reasons.append("condition recorded as breached")
    if c.interrupted:
        level = Level.NON_COMPLIANT
        reasons.append(f"programme {c.interrupted.replace('_', ' ')}")
    if c.kind is ConditionKind.PROGRAMME:
        if c.sessions_unexcused >= thresholds.programme_absences:
            level = Level.NON_COMPLIANT
            reasons.append(f"{c.sessions_unexcused} programme sessions missed without valid reason")
        elif c.sessions_unexcused:
            level = worst([level, Level.AT_RISK])
            reasons.append(f"{c.sessions_unexcused} programme session missed without valid reason")
        late = c.required_sessions and c.ends_on and today > c.ends_on
        if late and c.sessions_attended < (c.required_sessions or 0):
            level = Level.NON_COMPLIANT
            reasons.append(
                f"{c.sessions_attended} of {c.required_sessions} sessions attended by the"
                " completion deadline"
            )
    if c.kind is ConditionKind.RESPOND_TO_SUMMONS:
        if c.summons_missed >= thresholds.missed_summons:
            level = Level.NON_COMPLIANT
            reasons.append(f"{c.summons_missed} summons missed without valid reason")
        elif c.summons_missed:
            level = worst([level, Level.AT_RISK])
            reasons.append("1 summons missed without valid reason")
    hours_short = c.hours_due is not None and c.hours_done < c.hours_due
    if (
        c.kind is ConditionKind.COMMUNITY_SERVICE
        and hours_short
        and c.ends_on
        and today > c.ends_on
    ):
        level = Level.NON_COMPLIANT
        reasons.append(f"{c.hours_done} of {c.hours_due} hours done by the deadline")
    return ConditionCompliance(c.id, c.kind, level, tuple(reasons))


def measure_compliance(
    *,
    measure_id: int,
    status: MeasureStatus,
    conditions: list[ConditionFacts],
    today: date,
    thresholds: Thresholds,
) -> MeasureCompliance:
    results = tuple(condition_compliance(c, today=today, thresholds=thresholds) for c in conditions)
    level = worst([r.level for r in results])
    if status in CLOSED_STATUSES:
        return MeasureCompliance(measure_id, level, results, False, ("measure closed",))
    already_reported = status in {
        MeasureStatus.NON_COMPLIANCE_REPORTED,
        MeasureStatus.REVOCATION_REQUESTED,
        MeasureStatus.WARRANT_ISSUED,
        MeasureStatus.REFERRED_FOR_PROSECUTION,
    }
    propose = level is Level.NON_COMPLIANT and not already_reported
    reasons = tuple(reason for r in results for reason in r.reasons if r.level is level)
    return MeasureCompliance(measure_id, level, results, propose, reasons)
