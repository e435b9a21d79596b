"""A chart of rates with their confidence intervals: one bar per group, a whisker for its
interval. SVG drawn on the server like ui/charts.py (same axis, colours and markers); the page
puts a table with the same numbers beside it."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from perp_track.ui.charts import BOTTOM, HEIGHT, LEFT, RIGHT, STYLES, TOP, WIDTH, axis


@dataclass(frozen=True, slots=True)
class Bar:
    name: str
    value: float | None  # a rate 0..1; None: nothing to show yet
    low: float | None = None
    high: float | None = None


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def interval_chart(*, title: str, bars: list[Bar]) -> str:
    """Bars of rates (0..1, shown in %) with 95 % interval whiskers; the axis reaches the highest
    interval end, in whole percent."""
    ends = [b.high if b.high is not None else b.value for b in bars]
    highest = max((v for v in ends if v is not None), default=0.1)
    top, _ = axis(max(highest * 100, 1.0), integers=True)
    top = min(top, 100.0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(bars))
    width = min(80.0, slot * 0.5)

    def y(rate: float) -> float:
        return TOP + plot_h - (rate * 100 / top) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(5):
        value = top * tick / 4
        ty = TOP + plot_h - (value / top) * plot_h
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" '
            'stroke="#c9d1d9" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#1b1f24">{round(value)}%</text>'
        )
    for index, bar in enumerate(bars):
        colour = STYLES[index % len(STYLES)][0]
        centre = LEFT + slot * (index + 0.5)
        parts.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11" fill="#1b1f24">{escape(bar.name[:24])}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<text x="{centre:.1f}" y="{TOP + plot_h - 6:.1f}" text-anchor="middle" '
                'font-size="11" fill="#1b1f24">&#8211;</text>'
            )
            continue
        top_y = y(bar.value)
        parts.append(
            f'<rect x="{centre - width / 2:.1f}" y="{top_y:.1f}" width="{width:.1f}" '
            f'height="{TOP + plot_h - top_y:.1f}" fill="{colour}" fill-opacity="0.35" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        if bar.low is not None and bar.high is not None:
            low_y, high_y = y(bar.low), y(bar.high)
            cap = width / 4
            parts.append(
                f'<path d="M{centre:.1f},{low_y:.1f} V{high_y:.1f} '
                f"M{centre - cap:.1f},{low_y:.1f} H{centre + cap:.1f} "
                f'M{centre - cap:.1f},{high_y:.1f} H{centre + cap:.1f}" '
                'stroke="#1b1f24" stroke-width="2" fill="none"/>'
            )
        parts.append(
            f'<text x="{centre + width / 2 + 4:.1f}" y="{top_y - 4:.1f}" font-size="11" '
            f'fill="#1b1f24">{_pct(bar.value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
