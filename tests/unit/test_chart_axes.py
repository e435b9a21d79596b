"""Chart axes on round numbers, whole numbers for counts, and a line that breaks over a month
with no data instead of bridging it."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from perp_track.ui.charts import Series, axis, line_chart

NS = "{http://www.w3.org/2000/svg}"


def _ticks(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    return [t.text or "" for t in root.findall(f"{NS}text") if t.get("text-anchor") == "end"]


@pytest.mark.parametrize(("top", "expected"), [(9.9, (20, 5)), (7.43, (8, 2)), (3, (4, 1))])
def test_counts_get_whole_number_steps(top: float, expected: tuple[int, int]) -> None:
    assert axis(top, integers=True) == expected


def test_day_counts_are_labelled_in_whole_numbers() -> None:
    svg = line_chart(
        title="Days",
        labels=["Jan", "Feb", "Mar"],
        series=[Series("All", [9.9, 4.0, 7.0])],
        unit="",
        scale=1.0,
    )
    assert _ticks(svg) == ["0", "5", "10", "15", "20"]


def test_rates_keep_their_quarters() -> None:
    svg = line_chart(title="Rate", labels=["Jan"], series=[Series("A", [0.5])], maximum=100)
    assert _ticks(svg) == ["0%", "25%", "50%", "75%", "100%"]


def test_a_month_without_data_breaks_the_line() -> None:
    svg = line_chart(
        title="Rate",
        labels=["Jan", "Feb", "Mar", "Apr", "May"],
        series=[Series("A", [0.5, 0.6, None, 0.7, 0.8])],
        maximum=100,
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    lines = root.findall(f"{NS}polyline")
    assert [len(line.get("points", "").split()) for line in lines] == [2, 2]
    assert len(root.findall(f"{NS}circle")) == 4
