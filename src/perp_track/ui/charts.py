"""Charts drawn on the server as SVG: no script, readable without colour (each series has its
own marker and dash), and always next to a table holding the same numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 32, 16, 40
# Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by marker and dash too.
STYLES = (
    ("#1d4f91", "", "circle"),
    ("#a4171f", "6 3", "square"),
    ("#1e6b33", "2 3", "triangle"),
    ("#7a4b00", "10 4 2 4", "diamond"),
    ("#5b2a86", "1 2", "circle"),
    ("#000000", "", "square"),
)


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: list[float | None]  # one per x label; None where there is nothing to show


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def axis(top: float, *, integers: bool) -> tuple[float, float]:
    """The axis' top and its step for four gridlines, on round numbers (1, 2, 2.5 or 5 times a
    power of ten); whole numbers only when the values are counts (no 2.48 days)."""
    raw = top / 4 if top > 0 else 0.25
    magnitude = 10 ** math.floor(math.log10(raw))
    step = 10 * magnitude
    for factor in (1, 2, 2.5, 5, 10):
        candidate = factor * magnitude
        if integers and candidate != int(candidate):
            continue
        if candidate >= raw - 1e-9:
            step = candidate
            break
    if integers:
        step = max(1.0, float(math.ceil(step)))
    return step * 4, step


def _runs(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """The stretches without a missing month: the line breaks where there is no data."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def line_chart(
    *,
    title: str,
    labels: list[str],
    series: list[Series],
    maximum: float | None = None,
    unit: str = "%",
    scale: float = 100.0,
    integers: bool | None = None,
) -> str:
    """An SVG line chart; values are multiplied by `scale` for the axis (rates shown as %).
    Counts (no unit, unless told otherwise) get whole-number ticks."""
    whole = unit == "" if integers is None else integers
    shown = [v * scale for s in series for v in s.values if v is not None]
    highest = maximum if maximum is not None else max(shown, default=1.0) or 1.0
    top, _step = axis(highest, integers=whole)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(labels) - 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(v: float) -> float:
        return TOP + plot_h - (v / top) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(5):
        value = top * tick / 4
        ty = y(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" '
            'stroke="#c9d1d9" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#1b1f24">{_tick(value, whole)}{escape(unit)}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11" fill="#1b1f24">{escape(label)}</text>'
        )
    for index, s in enumerate(series):
        colour, dash, shape = STYLES[index % len(STYLES)]
        runs = _runs([None if v is None else (x(i), y(v * scale)) for i, v in enumerate(s.values)])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
            parts.extend(_marker(shape, px, py, colour) for px, py in run)
    parts.append("</svg>")
    return "".join(parts)


def _tick(value: float, whole: bool) -> str:
    return str(round(value)) if whole else f"{value:.3g}"


def legend(series: list[Series]) -> list[tuple[str, str, str, str]]:
    """(name, colour, dash, marker shape) for the legend the page writes beside the chart."""
    return [(s.name, *STYLES[i % len(STYLES)]) for i, s in enumerate(series)]
