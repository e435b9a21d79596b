"""The server-drawn SVG charts: valid XML, a title for assistive technology, gaps kept."""

from __future__ import annotations

from xml.etree import ElementTree

from perp_track.ui.charts import Series, legend, line_chart

NS = "{http://www.w3.org/2000/svg}"


def test_a_line_per_series_with_its_own_marker_and_a_title():
    svg = line_chart(
        title="Attendance <by month>",
        labels=["Jan", "Feb", "Mar"],
        series=[Series("A", [0.5, 1.0, 0.75]), Series("B", [None, 0.25, 0.5])],
        maximum=100,
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Attendance <by month>"
    lines = root.findall(f"{NS}polyline")
    assert len(lines) == 2
    # The second series starts at the second month: its gap is not drawn as zero.
    assert len(lines[1].get("points").split()) == 2
    assert lines[1].get("stroke-dasharray")  # told apart without colour
    assert len(root.findall(f"{NS}circle")) == 3 and len(root.findall(f"{NS}rect")) == 2
    # 100 % sits at the top of the plot, 50 % half-way down.
    first_y = float(lines[0].get("points").split()[0].split(",")[1])
    top_y = float(lines[0].get("points").split()[1].split(",")[1])
    assert top_y < first_y
    assert [name for name, *_ in legend([Series("A", []), Series("B", [])])] == ["A", "B"]


def test_an_empty_chart_still_draws_its_axes():
    root = ElementTree.fromstring(line_chart(title="Nothing", labels=["Jan"], series=[]))  # noqa: S314 - our own output
    assert root.findall(f"{NS}line")
    assert not root.findall(f"{NS}polyline")
