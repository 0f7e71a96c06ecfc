"""The attendance chart: present vs absent PPS per kecamatan, as a PNG sized for a phone screen."""

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.attendance.exports import format_count, format_ratio, report_text
from bot.attendance.recap import AttendanceRecap, KecamatanAttendance

# 10 x 14 inches at 100 dpi: 1000 x 1400 px, 28 bars that stay readable on a phone.
FIGSIZE_INCHES = (10.0, 14.0)
DPI = 100
PRESENT_COLOR = "#2e7d32"
ABSENT_COLOR = "#d9d9d9"
NO_SESSION_COLOR = "#c62828"


def _label(line: KecamatanAttendance, language: str) -> str:
    if line.has_session:
        return line.name
    return report_text(language, "report.chart.no_session", name=line.name)


def attendance_chart_png(recap: AttendanceRecap, *, language: str) -> bytes:
    """Horizontal stacked bars, present and absent PPS per kecamatan, with the total in the title.

    Uses a bare Figure with the Agg canvas (no pyplot global state), so it is safe off the main
    thread; it takes a few hundred milliseconds, so async callers run it in a worker thread.
    """
    figure = Figure(figsize=FIGSIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    lines = recap.kecamatan
    positions = list(range(len(lines)))
    present = [line.pps.present for line in lines]
    absent = [max(line.pps.absent, 0) for line in lines]
    axes.barh(positions, present, color=PRESENT_COLOR, label=report_text(language, "report.chart.present"))
    axes.barh(
        positions,
        absent,
        left=present,
        color=ABSENT_COLOR,
        label=report_text(language, "report.chart.absent"),
    )
    axes.set_yticks(positions, [_label(line, language) for line in lines], fontsize=11)
    for tick, line in zip(axes.get_yticklabels(), lines, strict=True):
        if not line.has_session:
            tick.set_color(NO_SESSION_COLOR)
    # The first kecamatan (by code) on top, as in the tables.
    axes.invert_yaxis()

    widest = max((line.pps.roster for line in lines), default=0)
    for position, line in zip(positions, lines, strict=True):
        text = report_text(
            language,
            "report.chart.bar_label",
            present=format_count(line.pps.present, language),
            roster=format_count(line.pps.roster, language),
        )
        axes.text(
            max(line.pps.roster, line.pps.present) + widest * 0.01,
            position,
            f"{text}  {format_ratio(line.pps.present_ratio, language)}",
            va="center",
            fontsize=10,
        )
    # Room on the right for the labels at the end of the longest bar.
    axes.set_xlim(0, max(widest, 1) * 1.3)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: format_count(int(value), language)))
    axes.set_xlabel(report_text(language, "report.chart.axis"), fontsize=12)
    axes.grid(axis="x", color="#eeeeee")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.margins(y=0.01)
    # Under the axis label, where it can never cover a bar.
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.05), ncols=2, frameon=False, fontsize=12)

    title = report_text(
        language,
        "report.chart.title",
        present=format_count(recap.pps.present, language),
        roster=format_count(recap.pps.roster, language),
        percent=format_ratio(recap.pps.present_ratio, language),
    )
    subtitle = report_text(
        language,
        "report.chart.subtitle",
        present=format_count(recap.ppk.present, language),
        roster=format_count(recap.ppk.roster, language),
        percent=format_ratio(recap.ppk.present_ratio, language),
    )
    axes.set_title(f"{title}\n{subtitle}", fontsize=15, loc="left")

    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
