"""The statutory figures, counted from plain facts (no web, no database): per justice house and,
for the national export, for the whole country; then protected together (statistics.rules).

What is counted, for a period [start, end] of days in the office's calendar:

- measures: started in the period (`starts_on`), and in force on its last day (or today, while
  it runs): started by then and neither closed nor past their end by then;
- outcomes: the measures that closed in the period, by how (completed, failed, expired,
  lifted), with the median and quartiles of how long they ran (start to close, in days);
- bans (contact and place bans, the place ban of a temporary residence ban counted apart): in
  force at some time in the period, breached in it (a ban once however often), and the breach
  reports (counted as events, protected by the number of bans behind them);
- programmes: the programme places that ended in the period (the last ending of each): completed,
  refused, dropped out, excluded, or ended otherwise (breached, waived, adapted);
- cases opened in the period by mandating authority, with a summons or none yet, and the days
  from the mandate to the first summons (median and quartiles).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import quantiles
from typing import TypeVar

from perp_track.cases.rules import Authority
from perp_track.measures.rules import MeasureKind, MeasureStatus
from perp_track.statistics.rules import Cell, Period, Sum, protect

KINDS = [k.value for k in MeasureKind]
AUTHORITIES = [a.value for a in Authority]
OUTCOMES = [
    MeasureStatus.COMPLETED.value,
    MeasureStatus.FAILED.value,
    MeasureStatus.EXPIRED.value,
    MeasureStatus.LIFTED.value,
]
BANS = ["residence_ban", "place_ban", "contact_ban"]
PROGRAMME_ENDS = ["completed", "refused", "dropped_out", "excluded", "ended_otherwise"]
ALL = "all"
_F = TypeVar("_F", "MeasureFact", "BanFact", "BreachFact", "ProgrammeEnd", "CaseFact")

# The tables of a section, in the order they are published.
MEASURES, OUTCOME, BAN, PROGRAMME, CASES = "measures", "outcomes", "bans", "programmes", "cases"


@dataclass(frozen=True, slots=True)
class MeasureFact:
    house: int
    kind: str
    status: str
    starts_on: date
    ends_on: date
    closed_on: date | None  # the day it closed; None while it runs


@dataclass(frozen=True, slots=True)
class BanFact:
    house: int
    condition_id: int
    ban: str  # one of BANS
    starts_on: date
    ends_on: date | None  # None: not ended


@dataclass(frozen=True, slots=True)
class BreachFact:
    house: int
    condition_id: int
    ban: str


@dataclass(frozen=True, slots=True)
class ProgrammeEnd:
    """The last ending of a programme place in the period."""

    house: int
    condition_id: int
    measure_kind: str
    outcome: str  # one of PROGRAMME_ENDS


@dataclass(frozen=True, slots=True)
class CaseFact:
    house: int
    authority: str
    opened_on: date
    first_summons_on: date | None


@dataclass(slots=True)
class Facts:
    measures: list[MeasureFact] = field(default_factory=list)
    bans: list[BanFact] = field(default_factory=list)
    breaches: list[BreachFact] = field(default_factory=list)
    programme_ends: list[ProgrammeEnd] = field(default_factory=list)
    cases: list[CaseFact] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Table:
    key: str
    rows: list[str]
    columns: list[str]
    cells: list[list[Cell]]
    row_totals: list[Cell] | None = None  # each row's sum across the columns
    column_totals: list[Cell] | None = None  # each column's sum down the rows
    grand_total: Cell | None = None  # with both margins

    def all_cells(self) -> list[Cell]:
        found = [c for row in self.cells for c in row]
        found += [*(self.row_totals or []), *(self.column_totals or [])]
        return found + ([self.grand_total] if self.grand_total else [])

    def positions(self) -> list[tuple[str, str, Cell]]:
        """(row, column, cell) for every cell, the margins as row or column ALL."""
        found = [
            (r, c, self.cells[i][j])
            for i, r in enumerate(self.rows)
            for j, c in enumerate(self.columns)
        ]
        if self.row_totals:
            found += [(r, ALL, self.row_totals[i]) for i, r in enumerate(self.rows)]
        if self.column_totals:
            found += [(ALL, c, self.column_totals[j]) for j, c in enumerate(self.columns)]
        if self.grand_total:
            found.append((ALL, ALL, self.grand_total))
        return found

    def sums(self) -> list[Sum]:
        found = []
        if self.row_totals:
            found += [Sum(t, list(row)) for t, row in zip(self.row_totals, self.cells, strict=True)]
            if self.grand_total:
                found.append(Sum(self.grand_total, list(self.row_totals)))
        if self.column_totals:
            for j, total in enumerate(self.column_totals):
                found.append(Sum(total, [row[j] for row in self.cells]))
            if self.grand_total:
                found.append(Sum(self.grand_total, list(self.column_totals)))
        return found


@dataclass(frozen=True, slots=True)
class Spread:
    """Median and quartiles of a group, published only when it holds at least the threshold
    of persons; `count` is the group's size as a table publishes it (same cell, same mark)."""

    row: str
    count: Cell
    quartiles: tuple[float, float, float] | None  # first quartile, median, third quartile


@dataclass(slots=True)
class Section:
    house_id: int | None  # None: the whole country
    house_name: str
    tables: dict[str, Table]
    durations: list[Spread]  # days the measures closed in the period ran, by kind
    delays: list[Spread]  # days from the mandate to the first summons, by authority


def _table(
    key: str,
    rows: list[str],
    columns: list[str],
    count: Callable[[str, str], tuple[int, int | None]],
    *,
    row_totals: bool,
    column_totals: bool = True,
) -> Table:
    cells = []
    for r in rows:
        line = []
        for c in columns:
            value, persons = count(r, c)
            line.append(Cell(value, persons))
        cells.append(line)
    table = Table(key, rows, columns, cells)
    if row_totals:
        table.row_totals = [Cell(sum(c.value for c in line), total=True) for line in cells]
    if column_totals:
        table.column_totals = [
            Cell(sum(line[j].value for line in cells), _persons(line[j] for line in cells), True)
            for j in range(len(columns))
        ]
    if row_totals and column_totals:
        table.grand_total = Cell(sum(c.value for c in table.row_totals or []), total=True)
    return table


def _persons(cells: Iterable[Cell]) -> int | None:
    found = [c.persons for c in cells]
    return None if all(p is None for p in found) else sum(p or 0 for p in found)


def _spread(days: Sequence[float], threshold: int) -> tuple[float, float, float] | None:
    if len(days) < max(threshold, 2):
        return None
    q1, q2, q3 = quantiles(sorted(days), n=4, method="inclusive")
    return (round(q1, 1), round(q2, 1), round(q3, 1))


def in_force_on(m: MeasureFact, day: date) -> bool:
    if m.starts_on > day:
        return False
    if m.closed_on is not None:
        return m.closed_on > day
    return m.ends_on >= day


def section(
    *,
    house_id: int | None,
    house_name: str,
    facts: Facts,
    period: Period,
    as_of: date,
    threshold: int,
) -> Section:
    """The counts of one house (or, with house_id None, of all), not yet protected."""

    def mine(items: Iterable[_F]) -> list[_F]:
        return [f for f in items if house_id is None or f.house == house_id]

    measures = mine(facts.measures)
    closed = [m for m in measures if m.closed_on is not None and m.closed_on in period]
    started = _count((m.kind, "started") for m in measures if m.starts_on in period)
    in_force = _count((m.kind, "in_force_at_end") for m in measures if in_force_on(m, as_of))
    table_measures = _table(
        MEASURES,
        KINDS,
        ["started", "in_force_at_end"],
        lambda r, c: ((started if c == "started" else in_force).get((r, c), 0), None),
        row_totals=False,
    )
    outcomes = _count((m.kind, m.status) for m in closed)
    table_outcomes = _table(
        OUTCOME, KINDS, OUTCOMES, lambda r, c: (outcomes.get((r, c), 0), None), row_totals=True
    )

    bans = mine(facts.bans)
    force = _count((b.ban, "in_force") for b in bans if period.overlaps(b.starts_on, b.ends_on))
    breaches = mine(facts.breaches)
    reports = _count((b.ban, "reports") for b in breaches)
    breached = _count((ban, "breached") for ban, _ in {(b.ban, b.condition_id) for b in breaches})

    def ban_count(r: str, c: str) -> tuple[int, int | None]:
        if c == "reports":
            return reports.get((r, c), 0), breached.get((r, "breached"), 0)
        return (force if c == "in_force" else breached).get((r, c), 0), None

    table_bans = _table(BAN, BANS, ["in_force", "breached", "reports"], ban_count, row_totals=False)
    ends = mine(facts.programme_ends)
    programme = _count((e.measure_kind, e.outcome) for e in ends)
    table_programmes = _table(
        PROGRAMME,
        KINDS,
        PROGRAMME_ENDS,
        lambda r, c: (programme.get((r, c), 0), None),
        row_totals=True,
    )
    cases = [c for c in mine(facts.cases) if c.opened_on in period]
    opened = _count(
        (c.authority, "with_summons" if c.first_summons_on else "without_summons") for c in cases
    )
    table_cases = _table(
        CASES,
        AUTHORITIES,
        ["with_summons", "without_summons"],
        lambda r, c: (opened.get((r, c), 0), None),
        row_totals=True,
    )

    ran: dict[str, list[float]] = defaultdict(list)
    for m in closed:
        assert m.closed_on is not None
        ran[m.kind].append(float(max(0, (m.closed_on - m.starts_on).days)))
    durations = [
        Spread(kind, count, _spread(ran[kind], threshold))
        for kind, count in zip(KINDS, table_outcomes.row_totals or [], strict=True)
    ]
    assert table_outcomes.grand_total is not None
    durations.append(
        Spread(
            ALL,
            table_outcomes.grand_total,
            _spread([d for v in ran.values() for d in v], threshold),
        )
    )
    waited: dict[str, list[float]] = defaultdict(list)
    for c in cases:
        if c.first_summons_on is not None:
            waited[c.authority].append(float(max(0, (c.first_summons_on - c.opened_on).days)))
    delays = [
        Spread(authority, table_cases.cells[i][0], _spread(waited[authority], threshold))
        for i, authority in enumerate(AUTHORITIES)
    ]
    assert table_cases.column_totals is not None
    delays.append(
        Spread(
            ALL,
            table_cases.column_totals[0],
            _spread([d for v in waited.values() for d in v], threshold),
        )
    )
    tables = [table_measures, table_outcomes, table_bans, table_programmes, table_cases]
    return Section(house_id, house_name, {t.key: t for t in tables}, durations, delays)


def _count(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = defaultdict(int)
    for key in keys:
        found[key] += 1
    return found


def export(
    *,
    houses: Sequence[tuple[int, str]],
    national_name: str,
    facts: Facts,
    period: Period,
    as_of: date,
    threshold: int,
) -> tuple[Section, list[Section]]:
    """The national section and one per house, protected together: every house's cell and the
    national cell it adds up to are one more sum (a suppressed house figure cannot be had by
    subtracting the other houses from the country's)."""
    args = {"facts": facts, "period": period, "as_of": as_of, "threshold": threshold}
    national = section(house_id=None, house_name=national_name, **args)  # type: ignore[arg-type]
    per_house = [
        section(house_id=house_id, house_name=name, **args)  # type: ignore[arg-type]
        for house_id, name in houses
    ]
    cells: list[Cell] = []
    sums: list[Sum] = []
    for s in (national, *per_house):
        for table in s.tables.values():
            cells += table.all_cells()
            sums += table.sums()
    for key, table in national.tables.items():
        own = [{(r, c): cell for r, c, cell in h.tables[key].positions()} for h in per_house]
        for r, c, whole in table.positions():
            sums.append(Sum(whole, [by_position[(r, c)] for by_position in own]))
    protect(cells, sums, threshold)
    return national, per_house
