"""Disclosure control of published counts: primary and complementary cell suppression.

Pure functions over cells and the sums that tie them together; no web, no database. The rule
(also in the README, "Statutory statistics"):

1. **Primary suppression.** A cell that counts at least one and fewer than `threshold` persons
   (measures, cases, bans or programme places: one person each; a count of events counts the
   persons behind them) is not published: it reads "< 5" (the threshold), never 0. A zero is
   published: it identifies nobody.
2. **Complementary suppression.** Every published table is a set of sums: each row adds up to
   its row total, each column to its column total, and in the national export each house's
   cell adds up, over the houses, to the national cell. A suppressed cell must not be
   recoverable from what is published:
   a. *line rule*: a sum (its parts and its total) never holds exactly one suppressed cell.
      When it does, the smallest non-zero published part of that sum is suppressed too (a
      total only when no part will do): with two unknowns in a sum neither follows from it.
   b. *exact check*: the line rule is not enough when sums cross (a suppressed cell can be the
      only unknown that a combination of rows and columns leaves). So every suppressed cell is
      checked against all the published sums at once: it is recoverable exactly when its unit
      vector lies in the row space of the system of sums restricted to the suppressed cells
      (reduced row echelon form over a 61-bit prime field: the coefficients are 0 and ±1, so
      this is the rank over the rationals). A recoverable cell gets one more complement, the
      smallest non-zero published cell of a sum it belongs to, and both steps run again until
      no suppressed cell is recoverable.
   Complements read "x" (hidden to protect a small number elsewhere), not "< 5": they are not
   small.

What it does not promise: bounds. With the totals an attacker still knows a suppressed cell
lies between 0 and a published total, and a complement chosen among small cells can leave a
narrow range; choosing the smallest non-zero cell keeps the loss of published figures low, and
a zero complement is only taken when nothing else remains. Exports of overlapping periods can
be subtracted from each other; the period is the reader's choice and the audit trail keeps who
asked for which.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from perp_track.errors import Invalid
from perp_track.statistics.errors import StatisticsError

_PRIME = (1 << 61) - 1


class Mark(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # primary: fewer than the threshold of persons
    COMPLEMENT = "complement"  # secondary: hidden so that a small one cannot be worked out


@dataclass(eq=False, slots=True)
class Cell:
    """One published count. `persons` is how many people it is about (the same as the value
    for a count of people; fewer for a count of events, e.g. breach reports)."""

    value: int
    persons: int | None = None
    total: bool = False  # a margin (row, column or grand total): a complement of last resort
    mark: Mark = Mark.SHOWN

    @property
    def hidden(self) -> bool:
        return self.mark is not Mark.SHOWN

    @property
    def people(self) -> int:
        return self.value if self.persons is None else self.persons


@dataclass(eq=False, slots=True)
class Sum:
    """whole == sum(parts): what a reader can check, and so what an attacker can solve."""

    whole: Cell
    parts: list[Cell] = field(default_factory=list)

    def members(self) -> list[Cell]:
        return [self.whole, *self.parts]


def protect(cells: Sequence[Cell], sums: Sequence[Sum], threshold: int) -> None:
    """Mark the cells to suppress (primary, then complementary), in place."""
    for cell in cells:
        if 0 < cell.people < threshold:
            cell.mark = Mark.SMALL
    containing: dict[int, list[Sum]] = {}
    for s in sums:
        for member in s.members():
            containing.setdefault(id(member), []).append(s)
    while True:
        _line_rule(sums)
        exposed = [c for c in recoverable(cells, sums) if c.value > 0]
        added = False
        for cell in exposed:
            candidates = [m for s in containing.get(id(cell), []) for m in s.members()]
            pick = _complement(candidates)
            if pick is not None:
                pick.mark = Mark.COMPLEMENT
                added = True
        if not added:
            return


def _complement(candidates: Iterable[Cell]) -> Cell | None:
    """The cell to hide next: the smallest non-zero published part, then a total, then a zero."""
    shown = [c for c in candidates if not c.hidden]
    if not shown:
        return None
    return min(shown, key=lambda c: (c.value == 0, c.total, c.value))


def _line_rule(sums: Sequence[Sum]) -> None:
    changed = True
    while changed:
        changed = False
        for s in sums:
            members = s.members()
            if sum(1 for m in members if m.hidden) != 1:
                continue
            pick = _complement(s.parts) if any(not p.hidden for p in s.parts) else None
            if pick is None or (pick.value == 0 and not s.whole.hidden and s.whole.value > 0):
                pick = _complement(members)
            if pick is not None:
                pick.mark = Mark.COMPLEMENT
                changed = True


def recoverable(cells: Sequence[Cell], sums: Sequence[Sum]) -> list[Cell]:
    """The suppressed cells whose value follows exactly from the published ones and the sums."""
    unknown = {id(c): i for i, c in enumerate(c for c in cells if c.hidden)}
    by_index = [c for c in cells if c.hidden]
    pivots: dict[int, dict[int, int]] = {}
    for s in sums:
        row: dict[int, int] = {}
        for member, coefficient in ((s.whole, _PRIME - 1), *((p, 1) for p in s.parts)):
            index = unknown.get(id(member))
            if index is not None:
                row[index] = (row.get(index, 0) + coefficient) % _PRIME
        row = {k: v for k, v in row.items() if v}
        for var in [k for k in row if k in pivots]:
            factor = row.get(var)
            if not factor:
                continue
            for k, v in pivots[var].items():
                row[k] = (row.get(k, 0) - factor * v) % _PRIME
            row = {k: v for k, v in row.items() if v}
        if not row:
            continue
        pivot = min(row)
        inverse = pow(row[pivot], -1, _PRIME)
        row = {k: v * inverse % _PRIME for k, v in row.items()}
        for other in pivots.values():
            factor = other.get(pivot)
            if factor:
                for k, v in row.items():
                    other[k] = (other.get(k, 0) - factor * v) % _PRIME
                for k in [k for k, v in other.items() if not v]:
                    del other[k]
        pivots[pivot] = row
    return [by_index[p] for p, row in sorted(pivots.items()) if len(row) == 1]


# The period of an export -------------------------------------------------------------------

FIRST_YEAR = 2000
MAX_PERIOD_YEARS = 5


@dataclass(frozen=True, slots=True)
class Period:
    """From `start` to `end`, both days included, in the office's calendar."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def overlaps(self, start: date, end: date | None) -> bool:
        return start <= self.end and (end is None or end >= self.start)

    @property
    def is_calendar_year(self) -> bool:
        return self.start == date(self.start.year, 1, 1) and self.end == date(
            self.start.year, 12, 31
        )


def period_of(*, year: int | None, start: date | None, end: date | None, today: date) -> Period:
    """The period asked for: a calendar year (this year when nothing is given), or the days
    from `start` to `end`. A wrong one is Invalid with the field it is about."""
    if start is not None or end is not None:
        if start is None:
            raise Invalid(StatisticsError.PERIOD_INCOMPLETE, field="from")
        if end is None:
            raise Invalid(StatisticsError.PERIOD_INCOMPLETE, field="to")
        if end < start:
            raise Invalid(StatisticsError.PERIOD_REVERSED, field="to")
        if start > today:
            raise Invalid(StatisticsError.PERIOD_IN_FUTURE, field="from")
        if start.year < FIRST_YEAR:
            raise Invalid(
                StatisticsError.YEAR_OUT_OF_RANGE, field="from", first=FIRST_YEAR, last=today.year
            )
        if end > add_years(start, MAX_PERIOD_YEARS):
            raise Invalid(StatisticsError.PERIOD_TOO_LONG, field="to", years=MAX_PERIOD_YEARS)
        return Period(start, end)
    chosen = today.year if year is None else year
    if not FIRST_YEAR <= chosen <= today.year:
        raise Invalid(
            StatisticsError.YEAR_OUT_OF_RANGE, field="year", first=FIRST_YEAR, last=today.year
        )
    return Period(date(chosen, 1, 1), date(chosen, 12, 31))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
