"""Charts as data: one definition, drawn as a PNG for the page and, later, for the .docx
report (the same picture in both).

matplotlib draws them: a well-kept library that writes PNG and SVG without a browser or
a display, and whose bundled DejaVu Sans has every Vietnamese letter. A PNG, not inline
SVG, because the Content-Security-Policy allows no inline styles, which SVG needs.
"""

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display on a server

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

RED, GREY = "#c8102e", "#d9d9d9"


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, one per label. A rate is drawn against 100% (a grey bar behind)."""

    title: str
    labels: list[str]
    values: list[float]
    unit: str = ""
    out_of: float | None = None  # 100 for rates


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


MOST_BARS = 40  # more than this no page or printed report shows legibly


def lowest_and_highest(bars: list[tuple[str, float]], most: int = MOST_BARS) -> tuple[list[tuple[str, float]], str]:
    """At most `most` bars: for a province's thousand sub-units, the lowest and the highest
    half each (the full list is in the table), with a note for the title; else all, no note."""
    if len(bars) <= most:
        return bars, ""
    ranked = sorted(bars, key=lambda b: b[1])
    half = most // 2
    return ranked[:half] + ranked[-half:], f"{half} đơn vị thấp nhất và {half} đơn vị cao nhất trong {len(bars)} đơn vị"


TITLE_SIZE, TITLE_MARGIN = 10, 0.02  # points; the gap each side, as a share of the picture's width
TITLE_LINE = 0.2  # inches a title line takes


def _title_lines(title: str, figure: Figure) -> list[str]:
    """The title broken between words so that every line, as drawn, fits the picture's width
    (a count of letters would not: the units' names push the plot to the right)."""
    renderer = FigureCanvasAgg(figure).get_renderer()
    room, font = figure.bbox.width * (1 - 2 * TITLE_MARGIN), FontProperties(size=TITLE_SIZE)
    lines: list[str] = []
    for word in title.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and renderer.get_text_width_height_descent(joined, font, ismath=False)[0] <= room:
            lines[-1] = joined
        else:
            lines.append(word)
    return lines


def figure(chart: Bars, width: float = 7.0) -> Figure:
    rows = max(len(chart.labels), 1)
    height = 0.9 + 0.38 * rows
    figure = Figure(figsize=(width, height), dpi=150)
    lines = _title_lines(chart.title, figure)
    figure.set_size_inches(width, height + TITLE_LINE * (len(lines) - 1))  # the same width: the lines still fit
    ax = figure.add_subplot()
    positions = list(range(rows))[::-1]
    if chart.out_of:
        ax.barh(positions, [chart.out_of] * len(chart.values), color=GREY, height=0.6)
    ax.barh(positions, chart.values, color=RED, height=0.6)
    ax.set_yticks(positions, [label if len(label) <= 40 else label[:38] + "…" for label in chart.labels], fontsize=8)
    top = chart.out_of or max(chart.values or [1]) or 1
    ax.set_xlim(0, top * 1.18)
    for y, value in zip(positions, chart.values, strict=True):
        suffix = "%" if chart.out_of == 100 else ""
        ax.text(value + top * 0.01, y, _number(value) + suffix, va="center", fontsize=8)
    # the title belongs to the picture, from its left edge: over the plot alone, a long one (a target's,
    # a province's "lowest and highest" note) ran off the right edge behind long unit names. Its top
    # sits a little under the picture's edge, as tight_layout keeps only a pad's room above it.
    figure.suptitle("\n".join(lines), x=TITLE_MARGIN, y=1 - 0.05 / figure.get_figheight(), ha="left", va="top",
                    fontsize=TITLE_SIZE)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=7)
    figure.tight_layout()
    return figure


def png(chart: Bars, width: float = 7.0) -> bytes:
    out = io.BytesIO()
    figure(chart, width).savefig(out, format="png")
    return out.getvalue()
