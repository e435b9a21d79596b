"""Load what compliance and deadlines are computed from: one case's measures, conditions,
programme attendance and summons, read in a handful of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from perp_track.compliance.rules import ConditionFacts, MeasureCompliance, measure_compliance
from perp_track.compliance.rules import Thresholds as ComplianceThresholds
from perp_track.measures.deadlines import MeasureFacts, OpenSummons, ProgrammeFacts
from perp_track.measures.rules import (
    ConditionKind,
    ConditionStatus,
    MeasureKind,
    MeasureStatus,
    ReportKind,
)
from perp_track.measures.tables import AuthorityReport, Condition, Measure
from perp_track.summons.rules import Outcome, SummonsStatus
from perp_track.summons.tables import Attendance, Summons

ATTENDED = {Outcome.ATTENDED.value, Outcome.LATE.value}
# Summons that took place and were answered (excused absences count as answered).
KEPT = [
    SummonsStatus.ATTENDED.value,
    SummonsStatus.LATE.value,
    SummonsStatus.ABSENT_VALID_REASON.value,
]


def latest_programme_outcomes(rows: list[dict[str, Any]]) -> dict[tuple[int, int], str]:
    """(condition, session) -> the outcome that stands: a correction replaces what it corrects."""
    latest: dict[tuple[int, int], tuple[int, str]] = {}
    for r in rows:
        key = (r["condition"], r["session"])
        if key not in latest or r["id"] > latest[key][0]:
            latest[key] = (r["id"], r["outcome"])
    return {k: v[1] for k, v in latest.items()}


def programme_counts(outcomes: dict[tuple[int, int], str]) -> dict[int, Counter[str]]:
    counts: dict[int, Counter[str]] = {}
    for (condition_id, _), outcome in outcomes.items():
        counts.setdefault(condition_id, Counter())[outcome] += 1
    return counts


@dataclass
class CaseFacts:
    measures: list[dict[str, Any]]
    conditions: list[dict[str, Any]]
    programme: dict[int, Counter[str]]  # condition id -> outcome -> count
    missed_by_measure: Counter[int | None]
    open_summons: list[dict[str, Any]]
    reports: list[dict[str, Any]]
    kept_by_measure: Counter[int | None] = field(default_factory=Counter)
    # When given, a summons still "scheduled" after its end is one whose attendance is to record.
    now: datetime | None = None

    def to_record(self, measure_id: int) -> int:
        if self.now is None:
            return 0
        now = self.now
        return sum(
            1
            for s in self.open_summons
            if s["measure"] in (measure_id, None)
            and s["scheduled_at"] + timedelta(minutes=s["duration_minutes"]) <= now
        )

    def condition_facts(self, measure_id: int) -> list[ConditionFacts]:
        out = []
        measure = next(m for m in self.measures if m["id"] == measure_id)
        # A summons not tied to a measure still binds every measure's "respond to summons".
        missed = self.missed_by_measure[measure_id] + self.missed_by_measure[None]
        for c in self.conditions:
            if c["measure"] != measure_id:
                continue
            counts = self.programme.get(c["id"], Counter())
            out.append(
                ConditionFacts(
                    id=c["id"],
                    kind=ConditionKind(c["kind"]),
                    status=ConditionStatus(c["status"]),
                    required_sessions=c["required_sessions"],
                    sessions_attended=sum(counts[o] for o in ATTENDED),
                    sessions_excused=counts[Outcome.ABSENT_VALID_REASON.value],
                    sessions_unexcused=counts[Outcome.ABSENT_NO_VALID_REASON.value],
                    hours_due=c["hours_due"],
                    hours_done=c["hours_done"],
                    ends_on=c["ends_on"] or measure["ends_on"],
                    interrupted=c["interruption"],
                    summons_missed=missed,
                    summons_attended=self.kept_by_measure[measure_id] + self.kept_by_measure[None],
                    summons_to_record=self.to_record(measure_id),
                )
            )
        return out

    def compliance(self, today: date, thresholds: ComplianceThresholds) -> list[MeasureCompliance]:
        return [
            measure_compliance(
                measure_id=m["id"],
                status=MeasureStatus(m["status"]),
                conditions=self.condition_facts(m["id"]),
                today=today,
                thresholds=thresholds,
            )
            for m in self.measures
        ]

    def deadline_inputs(
        self, decided_at: dict[int, date]
    ) -> tuple[list[MeasureFacts], list[ProgrammeFacts], list[OpenSummons]]:
        intake_done = {r["measure"] for r in self.reports if r["kind"] == ReportKind.INTAKE}
        measures = [
            MeasureFacts(
                id=m["id"],
                kind=MeasureKind(m["kind"]),
                status=MeasureStatus(m["status"]),
                starts_on=m["starts_on"],
                ends_on=m["ends_on"],
                next_report_due=m["next_report_due"],
                intake_report_done=m["id"] in intake_done,
                hearing_on=m["hearing_on"],
                status_since=decided_at.get(m["id"]),
            )
            for m in self.measures
        ]
        programmes = [
            ProgrammeFacts(c["id"], c["measure"], ConditionStatus(c["status"]), c["ends_on"])
            for c in self.conditions
            if c["kind"] == ConditionKind.PROGRAMME
        ]
        summons = [
            OpenSummons(s["id"], s["scheduled_at"], s["duration_minutes"])
            for s in self.open_summons
        ]
        return measures, programmes, summons


async def load_case_facts(case_id: int, now: datetime | None = None) -> CaseFacts:
    measures = await Measure.select().where(Measure.case == case_id).order_by(Measure.id)
    ids = [m["id"] for m in measures]
    conditions = (
        await Condition.select().where(Condition.measure.is_in(ids)).order_by(Condition.id)
        if ids
        else []
    )
    attendance = await Attendance.select(
        Attendance.id, Attendance.condition, Attendance.session, Attendance.outcome
    ).where((Attendance.case == case_id) & Attendance.session.is_not_null())
    missed_rows = await Summons.select(Summons.measure).where(
        (Summons.case == case_id) & (Summons.status == SummonsStatus.ABSENT_NO_VALID_REASON)
    )
    kept_rows = await Summons.select(Summons.measure).where(
        (Summons.case == case_id) & Summons.status.is_in(KEPT)
    )
    open_summons = (
        await Summons.select(
            Summons.id, Summons.measure, Summons.scheduled_at, Summons.duration_minutes
        )
        .where((Summons.case == case_id) & (Summons.status == SummonsStatus.SCHEDULED))
        .order_by(Summons.scheduled_at)
    )
    reports = (
        await AuthorityReport.select()
        .where(AuthorityReport.measure.is_in(ids))
        .order_by(AuthorityReport.submitted_at)
        if ids
        else []
    )
    return CaseFacts(
        measures=measures,
        conditions=conditions,
        programme=programme_counts(latest_programme_outcomes(attendance)),
        missed_by_measure=Counter(r["measure"] for r in missed_rows),
        open_summons=open_summons,
        reports=reports,
        kept_by_measure=Counter(r["measure"] for r in kept_rows),
        now=now,
    )
