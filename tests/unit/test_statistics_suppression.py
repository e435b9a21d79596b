"""Small cells of the statutory statistics: primary suppression, complements, and proof that no
suppressed cell can be worked out from what is published (checked here by an independent,
exact elimination over the rationals)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perp_track.errors import Invalid
from perp_track.statistics import figures
from perp_track.statistics.rules import Cell, Mark, Period, Sum, period_of, protect, recoverable

T = 5


def table(values: list[list[int]]) -> figures.Table:
    rows = [f"r{i}" for i in range(len(values))]
    columns = [f"c{j}" for j in range(len(values[0]))]
    return figures._table(
        "t", rows, columns, lambda r, c: (values[int(r[1:])][int(c[1:])], None), row_totals=True
    )


def protected(values: list[list[int]]) -> figures.Table:
    t = table(values)
    protect(t.all_cells(), t.sums(), T)
    return t


def exactly_known(cells: list[Cell], sums: list[Sum]) -> list[Cell]:
    """Independent of rules.recoverable: dense Gauss-Jordan over Fractions. A hidden cell is
    known when some combination of the sums has it as its only unknown."""
    hidden = [c for c in cells if c.hidden]
    index = {id(c): i for i, c in enumerate(hidden)}
    matrix: list[list[Fraction]] = []
    for s in sums:
        row = [Fraction(0)] * len(hidden)
        for member, sign in ((s.whole, -1), *((p, 1) for p in s.parts)):
            if id(member) in index:
                row[index[id(member)]] += sign
        if any(row):
            matrix.append(row)
    pivot_cols: list[int] = []
    r = 0
    for col in range(len(hidden)):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][col]
        matrix[r] = [v / lead for v in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][col] != 0:
                factor = matrix[i][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivot_cols.append(col)
        r += 1
    known = []
    for i, col in enumerate(pivot_cols):
        if sum(1 for v in matrix[i] if v != 0) == 1:
            known.append(hidden[col])
    return known


def marks(t: figures.Table) -> list[list[str]]:
    sign = {Mark.SHOWN: ".", Mark.SMALL: "S", Mark.COMPLEMENT: "C"}
    return [[sign[c.mark] for c in line] for line in t.cells]


def test_a_small_count_is_hidden_as_less_than_the_threshold_and_zero_is_published():
    t = protected([[0, 3, 7, 9]])
    zero, small, *_ = t.cells[0]
    assert zero.mark is Mark.SHOWN and zero.value == 0
    assert small.mark is Mark.SMALL
    assert all(c.value >= T or c.value == 0 or c.hidden for c in t.all_cells())


def test_one_hidden_cell_in_a_row_with_its_total_gets_a_second_one():
    # 3 is small; with the total 19 published, 19 - 7 - 9 = 3 gives it away: the smallest other
    # non-zero cell (7) is hidden too, as a complement, and the total stays published.
    t = table([[3, 7, 9]])
    assert exactly_known(t.all_cells(), t.sums()) == []  # nothing hidden yet
    protect(t.all_cells(), t.sums(), T)
    three, seven, nine = t.cells[0]
    assert (three.mark, seven.mark, nine.mark) == (Mark.SMALL, Mark.COMPLEMENT, Mark.SHOWN)
    assert t.row_totals is not None and t.row_totals[0].mark is Mark.SHOWN
    assert exactly_known(t.all_cells(), t.sums()) == []


def test_complements_follow_the_columns_too():
    t = protected([[2, 7, 20], [8, 9, 30], [11, 12, 40]])
    # 2 is small; its row gives up 7 (the smallest other), its column 8, and 8's row 9: the
    # least a small cell of a two-way table costs is a rectangle of four.
    assert marks(t) == [["S", "C", "."], ["C", "C", "."], [".", ".", "."]]
    assert exactly_known(t.all_cells(), t.sums()) == []
    # The published cells still add up: what is shown is true.
    assert t.grand_total is not None and t.grand_total.value == 139


def test_the_exact_check_catches_what_the_line_rule_misses():
    # Two rectangles of small cells joined by one more small cell (a "bridge"): every row and
    # column holding a hidden cell holds two, yet the bridge follows from the sums.
    big = 50
    values = [[big] * 4 for _ in range(4)]
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)]:
        values[i][j] = 2
    t = table(values)
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)]:
        t.cells[i][j].mark = Mark.SMALL
    before = exactly_known(t.all_cells(), t.sums())
    assert before == [t.cells[0][2]]
    assert recoverable(t.all_cells(), t.sums()) == before
    # protect() starts again from the values and ends with nothing recoverable.
    for c in t.all_cells():
        c.mark = Mark.SHOWN
    protect(t.all_cells(), t.sums(), T)
    assert t.cells[0][2].hidden
    assert exactly_known(t.all_cells(), t.sums()) == []
    assert recoverable(t.all_cells(), t.sums()) == []


def test_a_house_figure_cannot_be_had_from_the_national_one():
    # House A has 3 completed mediations; B has 40. The national cell (43) and B's would give A's
    # away: the protection is run over the houses and the country together.
    a, b, nation = table([[3, 20]]), table([[40, 60]]), table([[43, 80]])
    cells = [*a.all_cells(), *b.all_cells(), *nation.all_cells()]
    sums = [*a.sums(), *b.sums(), *nation.sums()]
    for whole, left, right in zip(nation.all_cells(), a.all_cells(), b.all_cells(), strict=True):
        sums.append(Sum(whole, [left, right]))
    protect(cells, sums, T)
    assert a.cells[0][0].mark is Mark.SMALL
    assert exactly_known(cells, sums) == []
    assert recoverable(cells, sums) == []


def test_events_are_protected_by_the_persons_behind_them():
    # 12 breach reports by 2 bans: few persons, however many reports.
    cell = Cell(12, persons=2)
    other = Cell(30, persons=30)
    total = Cell(42, persons=32, total=True)
    protect([cell, other, total], [Sum(total, [cell, other])], T)
    assert cell.mark is Mark.SMALL and other.mark is Mark.COMPLEMENT


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=5),
        min_size=1,
        max_size=5,
    ).filter(lambda rows: len({len(r) for r in rows}) == 1)
)
def test_no_hidden_cell_is_ever_recoverable(values: list[list[int]]) -> None:
    t = protected(values)
    cells = t.all_cells()
    # Every small count is hidden; nothing hidden can be worked out; what is shown is the data.
    assert all(c.hidden for c in cells if 0 < c.value < T)
    assert [c for c in exactly_known(cells, t.sums()) if c.value > 0] == []
    for s in t.sums():
        assert sum(1 for m in s.members() if m.hidden) != 1


def test_medians_and_quartiles_only_for_groups_of_the_threshold():
    assert figures._spread([1.0, 2.0, 3.0, 4.0], T) is None
    assert figures._spread([10.0, 20.0, 30.0, 40.0, 50.0], T) == (20.0, 30.0, 40.0)


TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("year", "start", "end", "field"),
    [
        (None, date(2026, 3, 1), date(2026, 2, 1), "to"),
        (None, date(2026, 3, 1), None, "to"),
        (None, None, date(2026, 3, 1), "from"),
        (None, date(2027, 1, 1), date(2027, 2, 1), "from"),
        (None, date(2015, 1, 1), date(2026, 2, 1), "to"),
        (2027, None, None, "year"),
        (1999, None, None, "year"),
    ],
)
def test_a_wrong_period_names_its_field(year, start, end, field):
    with pytest.raises(Invalid) as caught:
        period_of(year=year, start=start, end=end, today=TODAY)
    assert caught.value.params["field"] == field


def test_the_period_is_this_calendar_year_unless_asked():
    assert period_of(year=None, start=None, end=None, today=TODAY) == Period(
        date(2026, 1, 1), date(2026, 12, 31)
    )
    assert period_of(year=2025, start=None, end=None, today=TODAY).is_calendar_year
    custom = period_of(year=2020, start=date(2026, 1, 1), end=date(2026, 6, 30), today=TODAY)
    assert custom == Period(date(2026, 1, 1), date(2026, 6, 30)) and not custom.is_calendar_year
