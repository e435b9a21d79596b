"""A year of synthetic casework in two justice houses, written straight into the tables, with
its own count of every statutory figure (kept apart from the code under test)."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from perp_track import db
from perp_track.cases.tables import Case, CaseEvent, Person
from perp_track.measures.tables import Condition, Measure
from perp_track.summons.tables import Summons

BRUSSELS = ZoneInfo("Europe/Brussels")
YEAR = 2025
FIRST, LAST = date(YEAR, 1, 1), date(YEAR, 12, 31)
NOW_DAY = date(2026, 3, 1)  # the last day the data may reach (the test clock is 2 March 2026)

KIND_DAYS = {
    "mediation_216ter": 365,
    "release_under_conditions": 91,
    "probation": 730,
    "autonomous_probation": 365,
    "temporary_residence_ban": 14,
}
KINDS = list(KIND_DAYS)
KIND_WEIGHTS = [30, 15, 25, 10, 20]
AUTHORITIES = [
    "prosecutor",
    "investigating_judge",
    "trial_court",
    "probation_commission",
    "family_court",
]
AUTHORITY_WEIGHTS = [50, 15, 20, 10, 5]


@dataclass
class Expected:
    """The independent count, per house id (and None for the country)."""

    cells: dict[tuple[int | None, str, str, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    durations: dict[tuple[int | None, str], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )
    delays: dict[tuple[int | None, str], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, house: int, table: str, row: str, column: str, n: int = 1) -> None:
        for scope in (house, None):
            for r in (row, "all"):
                for c in (column, "all"):
                    self.cells[(scope, table, r, c)] += n


@dataclass
class Synthetic:
    expected: Expected
    # What no export may contain: names, phones, case and authority references.
    secrets: list[str]
    cases: int


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=BRUSSELS)


def _in_year(day: date | None) -> bool:
    return day is not None and FIRST <= day <= LAST


class _Ids:
    """Ids given here, so that the rows go in by the hundred (the sequences are moved after)."""

    def __init__(self, starts: dict[str, int]) -> None:
        self.next = dict(starts)

    def __call__(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table]


TABLES = (Person, Case, Measure, Condition)


async def build(*, houses: list[int], created_by: int, count: int = 300) -> Synthetic:
    rng = random.Random(183)
    expected = Expected()
    secrets: list[str] = []
    rows: dict[str, list[Any]] = defaultdict(list)
    events: list[CaseEvent] = []
    summonses: list[Summons] = []
    starts_at = {}
    for table in TABLES:
        found = await table.select(table.id).order_by(table.id, ascending=False).first()
        starts_at[table._meta.tablename] = int(found["id"]) if found else 0
    new_id = _Ids(starts_at)
    for i in range(count):
        house = houses[0] if i % 3 else houses[1]
        opened = date(2024, 10, 1) + timedelta(days=rng.randrange(457))  # to 31 Dec 2025
        authority = rng.choices(AUTHORITIES, AUTHORITY_WEIGHTS)[0]
        names = (f"Zorglub{i:03d}", f"Quixote{i:03d}", f"Yolanda{i:03d}", f"Wexford{i:03d}")
        phones = (f"+32470{i:06d}", f"+32480{i:06d}")
        reference = f"STAT-{i:04d}-XK"
        authority_reference = f"AR.{i:04d}.QZ"
        secrets += [*names, *phones, reference, authority_reference]
        perpetrator = Person(
            id=new_id("person"),
            role="perpetrator",
            first_name=names[0],
            last_name=names[1],
            phone=phones[0],
            address=f"Rue Secrete {i}, 4000 Liege",
            created_at=_at(opened),
        )
        victim = Person(
            id=new_id("person"),
            role="victim",
            first_name=names[2],
            last_name=names[3],
            phone=phones[1],
            created_at=_at(opened),
        )
        rows["person"] += [perpetrator, victim]
        case = Case(
            id=new_id("dv_case"),
            reference=reference,
            justice_house=house,
            mandating_authority=authority,
            authority_reference=authority_reference,
            perpetrator=perpetrator.id,
            victim=victim.id,
            opened_at=_at(opened),
            created_by=created_by,
        )
        rows["dv_case"].append(case)
        # Summons: a cancelled one first now and then (never the "first summons").
        first_summons: date | None = None
        if rng.random() < 0.2:
            summonses.append(_summons(case.id, opened + timedelta(days=1), "cancelled", created_by))
        if rng.random() < 0.8:
            first_summons = opened + timedelta(days=rng.randrange(2, 60))
            summonses.append(_summons(case.id, first_summons, "scheduled", created_by))
            summonses.append(
                _summons(case.id, first_summons + timedelta(days=30), "scheduled", created_by)
            )
        if _in_year(opened):
            column = "with_summons" if first_summons else "without_summons"
            expected.add(house, "cases", authority, column)
            if first_summons:
                for scope in (house, None):
                    for row in (authority, "all"):
                        expected.delays[(scope, row)].append((first_summons - opened).days)

        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        starts = opened + timedelta(days=rng.randrange(0, 10))
        ends = starts + timedelta(days=KIND_DAYS[kind])
        closed_on: date | None = None
        status = "active"
        ran = rng.randrange(3, KIND_DAYS[kind] + 1)
        if starts + timedelta(days=ran) <= NOW_DAY and rng.random() < 0.65:
            closed_on = starts + timedelta(days=ran)
            status = rng.choice(
                ["expired", "lifted"]
                if kind == "temporary_residence_ban"
                else ["completed", "completed", "failed", "expired", "lifted"]
            )
        measure = Measure(
            id=new_id("measure"),
            case=case.id,
            kind=kind,
            status=status,
            decided_on=starts,
            starts_on=starts,
            ends_on=ends,
            original_ends_on=ends,
            created_at=_at(starts, 9),
            updated_at=_at(closed_on or starts, 11),
        )
        rows["measure"].append(measure)
        events.append(
            _event(case.id, measure.id, "measure_transition", starts, {"to": "active"}, 9)
        )
        if closed_on:
            events.append(
                _event(case.id, measure.id, "measure_transition", closed_on, {"to": status}, 11)
            )
        if _in_year(starts):
            expected.add(house, "measures", kind, "started")
        in_force = starts <= LAST and (closed_on > LAST if closed_on else ends >= LAST)
        if in_force:
            expected.add(house, "measures", kind, "in_force_at_end")
        if _in_year(closed_on):
            assert closed_on is not None
            expected.add(house, "outcomes", kind, status)
            for scope in (house, None):
                for row in (kind, "all"):
                    expected.durations[(scope, row)].append((closed_on - starts).days)
        life_end = closed_on or min(ends, NOW_DAY)

        bans = []
        if kind == "temporary_residence_ban":
            bans.append(("place_ban", "residence_ban"))
        elif rng.random() < 0.3:
            bans.append(("contact_ban", "contact_ban"))
        elif rng.random() < 0.15:
            bans.append(("place_ban", "place_ban"))
        for condition_kind, row in bans:
            condition = _condition(rows, new_id, measure.id, condition_kind, starts)
            ban_end = closed_on or ends
            if starts <= LAST and ban_end >= FIRST:
                expected.add(house, "bans", row, "in_force")
            breached_in_year = 0
            if rng.random() < 0.3:
                for _ in range(rng.randrange(1, 4)):
                    day = starts + timedelta(days=rng.randrange(0, (life_end - starts).days + 1))
                    events.append(
                        _event(
                            case.id,
                            measure.id,
                            "ban_breach_reported",
                            day,
                            {"condition_id": condition, "to": "breached"},
                            rng.randrange(8, 20),
                        )
                    )
                    breached_in_year += _in_year(day)
            if breached_in_year:
                expected.add(house, "bans", row, "breached")
                expected.add(house, "bans", row, "reports", breached_in_year)

        if kind != "temporary_residence_ban" and rng.random() < 0.45:
            condition = _condition(rows, new_id, measure.id, "programme", starts)
            story = rng.choice(
                ["completed", "refused", "dropped_out", "excluded", "waived", "resumed", "none"]
            )
            day = starts + timedelta(days=rng.randrange(0, (life_end - starts).days + 1))
            data: dict[str, Any] = {"condition_id": condition}
            if story == "completed":
                events.append(
                    _event(case.id, measure.id, "programme_completed", day, {**data, "to": "met"})
                )
            elif story in {"refused", "dropped_out", "excluded", "resumed"}:
                why = "dropped_out" if story == "resumed" else story
                events.append(
                    _event(
                        case.id,
                        measure.id,
                        "programme_interrupted",
                        day,
                        {**data, "to": "breached", "interruption": why},
                    )
                )
                if story == "resumed":
                    events.append(
                        _event(
                            case.id,
                            measure.id,
                            "condition_transition",
                            day,
                            {**data, "to": "in_progress", "event": "resume"},
                            18,
                        )
                    )
            elif story == "waived":
                events.append(
                    _event(
                        case.id, measure.id, "condition_transition", day, {**data, "to": "waived"}
                    )
                )
            if _in_year(day) and story not in {"none", "resumed"}:
                outcome = "ended_otherwise" if story == "waived" else story
                expected.add(house, "programmes", kind, outcome)
    async with db.transaction():
        for table in (*TABLES, CaseEvent, Summons):
            batch = {CaseEvent: events, Summons: summonses}.get(table) or rows[
                table._meta.tablename
            ]
            for at in range(0, len(batch), 200):
                await table.insert(*batch[at : at + 200])
    if db.is_postgres():
        for table in TABLES:
            name = table._meta.tablename
            # Our own table names, not input.
            sql = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"  # noqa: S608, E501
            await table.raw(sql)
    # The national figures are the two houses' (the world has no other house with data).
    return Synthetic(expected=expected, secrets=secrets, cases=count)


def _condition(
    rows: dict[str, list[Any]], new_id: _Ids, measure_id: int, kind: str, starts: date
) -> int:
    row = Condition(
        id=new_id("measure_condition"),
        measure=measure_id,
        kind=kind,
        status="in_progress",
        address="Rue Secrete 1" if kind == "place_ban" else None,
        created_at=_at(starts, 9),
        updated_at=_at(starts, 9),
    )
    rows["measure_condition"].append(row)
    return int(row.id)


def _event(
    case_id: int, measure_id: int, kind: str, day: date, data: dict[str, Any], hour: int = 12
) -> CaseEvent:
    return CaseEvent(
        case=case_id,
        kind=kind,
        occurred_at=_at(day, hour),
        summary=f"synthetic {kind}",
        data=data,
        measure_id=measure_id,
    )


def _summons(case_id: int, day: date, status: str, created_by: int) -> Summons:
    return Summons(
        case=case_id,
        scheduled_at=_at(day, 9),
        status=status,
        created_by=created_by,
        created_at=_at(day, 8),
        updated_at=_at(day, 8),
    )
