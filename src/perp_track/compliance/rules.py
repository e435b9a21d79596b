"""Compliance per condition, measure and case, computed from attendance and events (pure).

The computation only *proposes*: a justice assistant confirms non-compliance (the
`report_non_compliance` transition) before anything goes to the authority.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

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
    # Nothing to judge yet: a pending condition with no record either way (never "compliant").
    NOT_YET_DUE = "not_yet_due"
    # Something happened that nobody recorded yet (a past summons without its attendance).
    TO_RECORD = "to_record"


# Worse is higher: a measure is as compliant as its least compliant condition.
_SEVERITY = {
    Level.NOT_APPLICABLE: 0,
    Level.MET: 1,
    Level.NOT_YET_DUE: 2,
    Level.COMPLIANT: 3,
    Level.TO_RECORD: 4,
    Level.AT_RISK: 5,
    Level.NON_COMPLIANT: 6,
}


def worst(levels: list[Level]) -> Level:
    return max(levels, key=_SEVERITY.__getitem__, default=Level.NOT_APPLICABLE)


@dataclass(frozen=True, slots=True)
class Thresholds:
    programme_absences: int = 2  # unexcused programme absences that propose non-compliance
    missed_summons: int = 2  # unexcused missed summons that propose non-compliance


class Reason(NamedTuple):
    """Why a level was given, as a code and its figures: the documents word it per language
    (measures.labels.explain); the API gives it as data and in the Accept-Language language."""

    code: str
    n: int = 0
    m: int = 0
    word: str = ""


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
    summons_attended: int = 0  # ... the summons that took place, attended or excused
    summons_to_record: int = 0  # ... past summons whose attendance nobody recorded yet


@dataclass(frozen=True, slots=True)
class ConditionCompliance:
    condition_id: int
    kind: ConditionKind
    level: Level
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class MeasureCompliance:
    measure_id: int
    level: Level
    conditions: tuple[ConditionCompliance, ...]
    # True when the figures cross a threshold and the justice assistant has not reported yet.
    propose_non_compliance: bool
    reasons: tuple[Reason, ...] = field(default=())


def condition_compliance(
    c: ConditionFacts, *, today: date, thresholds: Thresholds
) -> ConditionCompliance:
    reasons: list[Reason] = []
    if c.status is ConditionStatus.WAIVED or c.status is ConditionStatus.ADAPTED:
        reason = Reason("condition_closed", word=c.status)
        return ConditionCompliance(c.id, c.kind, Level.NOT_APPLICABLE, (reason,))
    to_record = c.kind is ConditionKind.RESPOND_TO_SUMMONS and c.summons_to_record > 0
    if c.status is ConditionStatus.MET and not to_record:
        return ConditionCompliance(c.id, c.kind, Level.MET, (Reason("condition_met"),))
    level = Level.COMPLIANT
    if c.status is ConditionStatus.BREACHED:
        level = Level.NON_COMPLIANT
        reasons.append(Reason("breached"))
    if c.interrupted:
        level = Level.NON_COMPLIANT
        reasons.append(Reason("interrupted", word=c.interrupted))
    if c.kind is ConditionKind.PROGRAMME:
        if c.sessions_unexcused >= thresholds.programme_absences:
            level = Level.NON_COMPLIANT
            reasons.append(Reason("programme_absences", n=c.sessions_unexcused))
        elif c.sessions_unexcused:
            level = worst([level, Level.AT_RISK])
            reasons.append(Reason("programme_absences", n=c.sessions_unexcused))
        late = c.required_sessions and c.ends_on and today > c.ends_on
        if late and c.sessions_attended < (c.required_sessions or 0):
            level = Level.NON_COMPLIANT
            reasons.append(
                Reason("programme_short", n=c.sessions_attended, m=c.required_sessions or 0)
            )
    if c.kind is ConditionKind.RESPOND_TO_SUMMONS:
        if c.summons_missed >= thresholds.missed_summons:
            level = Level.NON_COMPLIANT
            reasons.append(Reason("summons_missed", n=c.summons_missed))
        elif c.summons_missed:
            level = worst([level, Level.AT_RISK])
            reasons.append(Reason("summons_missed", n=c.summons_missed))
    hours_short = c.hours_due is not None and c.hours_done < c.hours_due
    if (
        c.kind is ConditionKind.COMMUNITY_SERVICE
        and hours_short
        and c.ends_on
        and today > c.ends_on
    ):
        level = Level.NON_COMPLIANT
        reasons.append(Reason("hours_short", n=c.hours_done, m=c.hours_due or 0))
    if to_record and level in {Level.COMPLIANT, Level.MET}:
        level = Level.TO_RECORD
        reasons.append(Reason("summons_to_record", n=c.summons_to_record))
    if level is Level.COMPLIANT and not reasons and not _something_recorded(c):
        # Day 0: nothing happened yet, so nothing was complied with either.
        level = Level.NOT_YET_DUE
    return ConditionCompliance(c.id, c.kind, level, tuple(reasons))


def _something_recorded(c: ConditionFacts) -> bool:
    """Whether the record holds anything this condition can be judged on."""
    if c.status is not ConditionStatus.PENDING:
        return True
    if c.kind is ConditionKind.PROGRAMME:
        return c.sessions_attended + c.sessions_excused + c.sessions_unexcused > 0
    if c.kind is ConditionKind.COMMUNITY_SERVICE:
        return c.hours_done > 0
    if c.kind is ConditionKind.RESPOND_TO_SUMMONS:
        return c.summons_attended + c.summons_missed > 0
    # Anything else (a ban not yet served, a therapy not yet begun): nothing to judge yet.
    return False


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
        return MeasureCompliance(measure_id, level, results, False, (Reason("measure_closed"),))
    already_reported = status in {
        MeasureStatus.NON_COMPLIANCE_REPORTED,
        MeasureStatus.REVOCATION_REQUESTED,
        MeasureStatus.WARRANT_ISSUED,
        MeasureStatus.REFERRED_FOR_PROSECUTION,
    }
    propose = level is Level.NON_COMPLIANT and not already_reported
    reasons = tuple(reason for r in results for reason in r.reasons if r.level is level)
    return MeasureCompliance(measure_id, level, results, propose, reasons)
