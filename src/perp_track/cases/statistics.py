"""The justice house's statistics for its supervisor: attendance and compliance rates by month
and measure type, and the time from the mandate to the first summons. Counts only, no names."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.errors import CaseError
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case, CaseEvent
from perp_track.errors import Forbidden
from perp_track.measures.tables import Condition, Measure
from perp_track.summons.rules import Outcome, SummonsStatus
from perp_track.summons.tables import Attendance, Summons

# Attendance rate: appearances made of those expected. An absence with a valid reason and a
# session that did not take place expected nothing, so they count on neither side.
_PRESENT = frozenset({Outcome.ATTENDED, Outcome.LATE})
_EXPECTED = _PRESENT | {Outcome.ABSENT_NO_VALID_REASON}
# Compliance rate: of the conditions judged in the month (met or breached), the share met.
_JUDGED = frozenset({"met", "breached"})
ALL_KINDS = "all"


@dataclass(frozen=True, slots=True)
class Rate:
    month: str  # YYYY-MM, in the office's time zone
    measure_kind: str  # a MeasureKind value, or "all"
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True, slots=True)
class Delay:
    month: str  # month the case was opened
    cases: int
    median_days: float


@dataclass(frozen=True, slots=True)
class Statistics:
    months: list[str]
    measure_kinds: list[str]
    attendance: list[Rate]
    compliance: list[Rate]
    first_summons: list[Delay]
    first_summons_overall: float | None
    cases_without_summons: int


def _months(now: datetime, tz: ZoneInfo, count: int) -> list[str]:
    local = now.astimezone(tz)
    year, month = local.year, local.month
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(found))


def _month(value: datetime, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m")


def _rates(
    counts: dict[tuple[str, str], list[int]], months: list[str], kinds: list[str]
) -> list[Rate]:
    rates = []
    for month in months:
        total = [0, 0]
        for kind in kinds:
            num, den = counts.get((month, kind), [0, 0])
            total[0] += num
            total[1] += den
            rates.append(Rate(month, kind, num, den))
        rates.append(Rate(month, ALL_KINDS, total[0], total[1]))
    return rates


async def house_statistics(
    *, actor: ActingUser, now: datetime, tz: ZoneInfo, months: int = 12
) -> Statistics:
    """The actor's justice house over the last `months` months, this month included."""
    if actor.role not in {Role.SUPERVISOR, Role.ADMIN}:
        raise Forbidden(CaseError.STATISTICS_FOR_SUPERVISORS)
    house = actor.organisation_id
    window = _months(now, tz, months)
    first = window[0]

    cases = await Case.select(Case.id, Case.opened_at).where(Case.justice_house == house)
    case_ids = [c["id"] for c in cases] or [-1]
    measures = await Measure.select(Measure.id, Measure.kind).where(Measure.case.is_in(case_ids))
    kind_of_measure = {m["id"]: m["kind"] for m in measures}
    conditions = await Condition.select(Condition.id, Condition.measure).where(
        Condition.measure.is_in(list(kind_of_measure) or [-1])
    )
    measure_of_condition = {c["id"]: c["measure"] for c in conditions}

    # Attendance: the standing record of each summons or session seat (a correction replaces).
    rows = await Attendance.select(
        Attendance.id,
        Attendance.summons,
        Attendance.condition,
        Attendance.session,
        Attendance.outcome,
        Attendance.recorded_at,
        Attendance.corrects,
        Attendance.summons.measure.as_alias("summons_measure"),
        Attendance.summons.scheduled_at.as_alias("summons_at"),
        Attendance.session.starts_at.as_alias("session_at"),
    ).where(Attendance.case.is_in(case_ids))
    corrected = {r["corrects"] for r in rows if r["corrects"] is not None}
    attendance: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        if r["id"] in corrected or r["outcome"] not in _EXPECTED:
            continue
        measure = r["summons_measure"] or measure_of_condition.get(r["condition"])
        kind = kind_of_measure.get(measure) if measure else None
        when = r["summons_at"] or r["session_at"] or r["recorded_at"]
        month = _month(when, tz)
        if kind is None or month < first:
            continue
        attendance[(month, kind)][1] += 1
        if r["outcome"] in _PRESENT:
            attendance[(month, kind)][0] += 1

    events = (
        await CaseEvent.select(CaseEvent.occurred_at, CaseEvent.data, CaseEvent.measure_id)
        .where(
            CaseEvent.case.is_in(case_ids)
            & CaseEvent.kind.is_in(
                [
                    EventKind.CONDITION_TRANSITION,
                    EventKind.PROGRAMME_INTERRUPTED,
                    EventKind.BAN_BREACH_REPORTED,
                    EventKind.PROGRAMME_COMPLETED,
                ]
            )
        )
        .output(load_json=True)
    )
    compliance: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for e in events:
        data: dict[str, Any] = e["data"] or {}
        target = data.get("to")
        kind = kind_of_measure.get(e["measure_id"]) if e["measure_id"] else None
        month = _month(e["occurred_at"], tz)
        if target not in _JUDGED or kind is None or month < first:
            continue
        compliance[(month, kind)][1] += 1
        if target == "met":
            compliance[(month, kind)][0] += 1

    summons = await Summons.select(Summons.case, Summons.scheduled_at).where(
        Summons.case.is_in(case_ids) & (Summons.status != SummonsStatus.CANCELLED)
    )
    first_summons: dict[int, datetime] = {}
    for s in summons:
        seen = first_summons.get(s["case"])
        if seen is None or s["scheduled_at"] < seen:
            first_summons[s["case"]] = s["scheduled_at"]
    delays: dict[str, list[float]] = defaultdict(list)
    without = 0
    for c in cases:
        month = _month(c["opened_at"], tz)
        if month < first:
            continue
        when = first_summons.get(c["id"])
        if when is None:
            without += 1
            continue
        delays[month].append(max(0.0, (when - c["opened_at"]).total_seconds() / 86400))

    kinds = sorted({k for _, k in attendance} | {k for _, k in compliance})
    every_delay = [d for values in delays.values() for d in values]
    return Statistics(
        months=window,
        measure_kinds=kinds,
        attendance=_rates(attendance, window, kinds),
        compliance=_rates(compliance, window, kinds),
        first_summons=[
            Delay(month, len(delays[month]), round(median(delays[month]), 1))
            for month in window
            if delays.get(month)
        ],
        first_summons_overall=round(median(every_delay), 1) if every_delay else None,
        cases_without_summons=without,
    )
