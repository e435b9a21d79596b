"""The reads behind the statutory statistics: six statements whatever the number of houses,
cases or measures (houses, measures, conditions, events, cases, summons), never one per row.
Only codes, dates and ids are read: no name, phone, address or reference leaves the database
for these figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case, CaseEvent
from perp_track.measures.rules import (
    CLOSED_STATUSES,
    ConditionKind,
    ConditionStatus,
    MeasureKind,
)
from perp_track.measures.tables import Condition, Measure
from perp_track.orgs.rules import OrgKind
from perp_track.orgs.tables import Organisation
from perp_track.statistics.figures import (
    BanFact,
    BreachFact,
    CaseFact,
    Facts,
    MeasureFact,
    ProgrammeEnd,
)
from perp_track.statistics.rules import Period
from perp_track.summons.rules import SummonsStatus
from perp_track.summons.tables import Summons

_CLOSED = [s.value for s in CLOSED_STATUSES]
_BAN_KINDS = {ConditionKind.CONTACT_BAN.value, ConditionKind.PLACE_BAN.value}
# The events that end a programme place, and the ending each stands for.
_ENDINGS = {
    EventKind.PROGRAMME_COMPLETED.value,
    EventKind.PROGRAMME_INTERRUPTED.value,
    EventKind.CONDITION_TRANSITION.value,
}
_ENDED_OTHERWISE = {
    ConditionStatus.BREACHED.value,
    ConditionStatus.WAIVED.value,
    ConditionStatus.ADAPTED.value,
}


def instant(day: date, tz: tzinfo) -> datetime:
    """Midnight at the start of `day` in the office's time zone, in UTC."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def _local(value: datetime, tz: tzinfo) -> date:
    return value.astimezone(tz).date()


async def justice_houses() -> list[tuple[int, str]]:
    rows = (
        await Organisation.select(Organisation.id, Organisation.name)
        .where(Organisation.kind == OrgKind.JUSTICE_HOUSE)
        .order_by(Organisation.name)
    )
    return [(int(r["id"]), str(r["name"])) for r in rows]


def _ban_row(condition_kind: str, measure_kind: str) -> str:
    if condition_kind == ConditionKind.CONTACT_BAN:
        return "contact_ban"
    if measure_kind == MeasureKind.TEMPORARY_RESIDENCE_BAN:
        return "residence_ban"
    return "place_ban"


async def facts(*, period: Period, tz: tzinfo) -> Facts:
    """Everything the figures of `period` are counted from, for every justice house."""
    start = instant(period.start, tz)
    end = instant(period.end + timedelta(days=1), tz)
    # A measure counts when it started by the end of the period and either runs still or
    # changed since the period began (a measure closed earlier is in none of the figures).
    relevant = (Measure.starts_on <= period.end) & (
        Measure.status.not_in(_CLOSED) | (Measure.updated_at >= start)
    )
    measures = await Measure.select(
        Measure.id,
        Measure.kind,
        Measure.status,
        Measure.starts_on,
        Measure.ends_on,
        Measure.case.justice_house.as_alias("house"),
    ).where(relevant)
    conditions = await Condition.select(
        Condition.id,
        Condition.kind,
        Condition.starts_on,
        Condition.ends_on,
        Condition.measure.as_alias("measure_id"),
    ).where(
        Condition.kind.is_in([*_BAN_KINDS, ConditionKind.PROGRAMME.value])
        & (Condition.measure.starts_on <= period.end)
        & (Condition.measure.status.not_in(_CLOSED) | (Condition.measure.updated_at >= start))
    )
    # Closings since the period began (a measure closes once: its last move), and the breaches
    # and programme endings in the period.
    events = (
        await CaseEvent.select(
            CaseEvent.kind,
            CaseEvent.measure_id,
            CaseEvent.occurred_at,
            CaseEvent.data,
            CaseEvent.case.justice_house.as_alias("house"),
        )
        .where(
            (CaseEvent.occurred_at >= start)
            & (
                (CaseEvent.kind == EventKind.MEASURE_TRANSITION)
                | (
                    CaseEvent.kind.is_in([EventKind.BAN_BREACH_REPORTED, *_ENDINGS])
                    & (CaseEvent.occurred_at < end)
                )
            )
        )
        .order_by(CaseEvent.occurred_at)
        .order_by(CaseEvent.id)
        .output(load_json=True)
    )
    cases = await Case.select(
        Case.id, Case.justice_house, Case.mandating_authority, Case.opened_at
    ).where((Case.opened_at >= start) & (Case.opened_at < end))
    summons = await Summons.select(Summons.case, Summons.scheduled_at).where(
        (Summons.case.opened_at >= start)
        & (Summons.case.opened_at < end)
        & (Summons.status != SummonsStatus.CANCELLED)
    )
    return _facts(measures, conditions, events, cases, summons, tz)


def _facts(
    measures: list[dict[str, Any]],
    conditions: list[dict[str, Any]],
    events: list[dict[str, Any]],
    cases: list[dict[str, Any]],
    summons: list[dict[str, Any]],
    tz: tzinfo,
) -> Facts:
    closed_at: dict[int, datetime] = {}
    for e in events:
        if e["kind"] == EventKind.MEASURE_TRANSITION and e["measure_id"] is not None:
            closed_at[int(e["measure_id"])] = e["occurred_at"]  # ordered: the last one wins
    found = Facts()
    by_id: dict[int, MeasureFact] = {}
    for m in measures:
        closed_on: date | None = None
        if m["status"] in _CLOSED:
            when = closed_at.get(int(m["id"]))
            if when is None:
                continue  # closed before the period began
            closed_on = _local(when, tz)
        fact = MeasureFact(
            house=int(m["house"]),
            kind=str(m["kind"]),
            status=str(m["status"]),
            starts_on=m["starts_on"],
            ends_on=m["ends_on"],
            closed_on=closed_on,
        )
        by_id[int(m["id"])] = fact
        found.measures.append(fact)
    kinds: dict[int, tuple[str, MeasureFact]] = {}
    for c in conditions:
        measure = by_id.get(int(c["measure_id"]))
        if measure is None:
            continue
        kinds[int(c["id"])] = (str(c["kind"]), measure)
        if c["kind"] not in _BAN_KINDS:
            continue
        ends = [d for d in (c["ends_on"], measure.closed_on) if d is not None]
        if measure.closed_on is None:
            ends.append(measure.ends_on)
        found.bans.append(
            BanFact(
                house=measure.house,
                condition_id=int(c["id"]),
                ban=_ban_row(str(c["kind"]), measure.kind),
                starts_on=max(c["starts_on"] or measure.starts_on, measure.starts_on),
                ends_on=min(ends) if ends else None,
            )
        )
    last_ending: dict[int, ProgrammeEnd] = {}
    for e in events:
        data = e["data"] if isinstance(e["data"], dict) else {}
        raw_id = data.get("condition_id")
        if not isinstance(raw_id, int) or raw_id not in kinds:
            continue
        condition_id = raw_id
        condition_kind, measure = kinds[condition_id]
        if e["kind"] == EventKind.BAN_BREACH_REPORTED and condition_kind in _BAN_KINDS:
            found.breaches.append(
                BreachFact(measure.house, condition_id, _ban_row(condition_kind, measure.kind))
            )
            continue
        if condition_kind != ConditionKind.PROGRAMME or e["kind"] not in _ENDINGS:
            continue
        if data.get("to") == ConditionStatus.IN_PROGRESS:
            last_ending.pop(condition_id, None)  # resumed: it has not ended after all
            continue
        outcome = _programme_outcome(str(e["kind"]), data)
        if outcome is not None:
            last_ending[condition_id] = ProgrammeEnd(
                measure.house, condition_id, measure.kind, outcome
            )
    found.programme_ends = list(last_ending.values())
    first: dict[int, datetime] = {}
    for s in summons:
        seen = first.get(int(s["case"]))
        if seen is None or s["scheduled_at"] < seen:
            first[int(s["case"])] = s["scheduled_at"]
    for c in cases:
        summoned = first.get(int(c["id"]))
        found.cases.append(
            CaseFact(
                house=int(c["justice_house"]),
                authority=str(c["mandating_authority"]),
                opened_on=_local(c["opened_at"], tz),
                first_summons_on=_local(summoned, tz) if summoned else None,
            )
        )
    return found


def _programme_outcome(kind: str, data: dict[str, Any]) -> str | None:
    if kind == EventKind.PROGRAMME_COMPLETED:
        return "completed"
    if kind == EventKind.PROGRAMME_INTERRUPTED:
        interruption = data.get("interruption")
        return str(interruption) if interruption in {"refused", "dropped_out", "excluded"} else None
    if data.get("to") in _ENDED_OTHERWISE:
        return "ended_otherwise"
    return None
