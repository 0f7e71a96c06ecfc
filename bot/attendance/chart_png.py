"""Draws a prepared attendance chart as a PNG with matplotlib: the only module that uses it (see chart.py)."""

import io
from dataclasses import dataclass

# 10 x 14 inches at 100 dpi: 1000 x 1400 px, 28 bars that stay readable on a phone.
FIGSIZE_INCHES = (10.0, 14.0)
DPI = 100
PRESENT_COLOR = "#2e7d32"
ABSENT_COLOR = "#d9d9d9"
NO_SESSION_COLOR = "#c62828"


@dataclass(frozen=True)
class ChartBar:
    """One kecamatan's bar: its tick label, the two lengths and the text at its end."""

    label: str
    present: int
    absent: int
    roster: int
    end_text: str
    has_session: bool


@dataclass(frozen=True)
class ChartSpec:
    """Everything the picture shows, already worded and formatted (plain data, cheap to send to a child)."""

    title: str
    bars: tuple[ChartBar, ...]
    present_label: str
    absent_label: str
    axis_label: str
    group_symbol: str


def draw_png(spec: ChartSpec) -> bytes:
    """Horizontal stacked bars, present and absent PPS per kecamatan, with the totals in the title.

    A bare Figure with the Agg canvas (no pyplot global state), so it is safe off the main thread.
    """
    # Imported here, not above: the bot imports this module for ChartSpec and must not load matplotlib.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure = Figure(figsize=FIGSIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = spec.bars
    positions = list(range(len(bars)))
    present = [bar.present for bar in bars]
    axes.barh(positions, present, color=PRESENT_COLOR, label=spec.present_label)
    axes.barh(
        positions, [bar.absent for bar in bars], left=present, color=ABSENT_COLOR, label=spec.absent_label
    )
    axes.set_yticks(positions, [bar.label for bar in bars], fontsize=11)
    for tick, bar in zip(axes.get_yticklabels(), bars, strict=True):
        if not bar.has_session:
            tick.set_color(NO_SESSION_COLOR)
    # The first kecamatan (by code) on top, as in the tables.
    axes.invert_yaxis()

    widest = max((bar.roster for bar in bars), default=0)
    for position, bar in zip(positions, bars, strict=True):
        axes.text(
            max(bar.roster, bar.present) + widest * 0.01, position, bar.end_text, va="center", fontsize=10
        )
    # Room on the right for the labels at the end of the longest bar.
    axes.set_xlim(0, max(widest, 1) * 1.3)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: f"{int(value):,}".replace(",", spec.group_symbol))
    )
    axes.set_xlabel(spec.axis_label, fontsize=12)
    axes.grid(axis="x", color="#eeeeee")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.margins(y=0.01)
    # Under the axis label, where it can never cover a bar.
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.05), ncols=2, frameon=False, fontsize=12)
    axes.set_title(spec.title, fontsize=15, loc="left")

    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
