"""Inline SVG charts for the class report: horizontal bars, drawn here, no library, no script.

Each chart is one ``<svg role="img">`` with a ``<title>`` and a text label and value beside
every bar, so that it reads without colour, prints in black and white and needs nothing from
the network. Every text from the data is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 720
LABEL_WIDTH = 230
VALUE_WIDTH = 52
BAR_HEIGHT = 13
GAP = 7
SERIES_COLOURS = ("#1f4e79", "#c55a11", "#548235")
"""Dark blue, dark orange, dark green: apart in hue and in lightness (readable in greyscale)."""


@dataclass(frozen=True)
class Row:
    """One group of bars: a name and one value per series (None: no value)."""

    name: str
    values: tuple[float | None, ...]


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def bar_chart(title: str, series: tuple[str, ...], rows: list[Row]) -> Markup:
    """Horizontal bars on a 0–1 scale, one group per row, one bar per series."""
    group = len(series) * BAR_HEIGHT + GAP
    legend_height = 22
    height = legend_height + len(rows) * group + 18
    scale = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    x = LABEL_WIDTH
    for index, name in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="14" class="legend">{escape(name)}</text>')
        x += 24 + 8 * len(name)
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        tx = LABEL_WIDTH + tick * scale
        parts.append(
            f'<line x1="{tx:.1f}" y1="{legend_height}" x2="{tx:.1f}" y2="{height - 16}" class="grid" stroke="#bbb"/>'
        )
        parts.append(f'<text x="{tx:.1f}" y="{height - 4}" class="tick" text-anchor="middle">{tick:g}</text>')
    for number, row in enumerate(rows):
        top = legend_height + number * group
        middle = top + len(series) * BAR_HEIGHT / 2
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{middle + 4:.1f}" text-anchor="end" class="name">{escape(row.name)}</text>'
        )
        for index, value in enumerate(row.values):
            y = top + index * BAR_HEIGHT
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            width = 0.0 if value is None else max(0.0, min(1.0, value)) * scale
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT - 2}" fill="{colour}">'
                f"<title>{escape(row.name)}, {escape(series[index])}: {_fmt(value)}</title></rect>"
            )
            parts.append(f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + 10}" class="value">{_fmt(value)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
