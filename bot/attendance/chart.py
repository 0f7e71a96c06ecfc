"""The attendance chart: present vs absent PPS per kecamatan, as a PNG sized for a phone screen.

matplotlib costs the process that loads it ~40 MB that it never gives back, so the bot draws in a short-lived
child process (``draw_chart_in_child``): the child loads matplotlib, draws, sends the PNG and ends. Only the
picture's words and numbers cross (``ChartSpec``), so the child imports matplotlib and, of ours, only the drawing and the small bot.attendance.child.
"""

from babel.numbers import get_group_symbol

from bot.attendance.chart_png import ChartBar, ChartSpec, draw_png
from bot.attendance.child import ChildFailed, build_in_child
from bot.attendance.exports import format_count, format_ratio, report_text
from bot.attendance.recap import AttendanceRecap, KecamatanAttendance
from bot.texts import normalize_language

CHART_TIMEOUT = 120.0
"""Seconds the child may take. Drawing takes about one; starting Python and matplotlib a few on a busy machine."""


class ChartFailed(ChildFailed):
    """The chart process ended without a chart (it crashed, was killed, or took too long)."""


def _label(line: KecamatanAttendance, language: str) -> str:
    if line.has_session:
        return line.name
    return report_text(language, "report.chart.no_session", name=line.name)


def chart_spec(recap: AttendanceRecap, *, language: str) -> ChartSpec:
    """What the chart shows, worded in the language: a label, two lengths and an end text per kecamatan."""
    bars = []
    for line in recap.kecamatan:
        count = report_text(
            language,
            "report.chart.bar_label",
            present=format_count(line.pps.present, language),
            roster=format_count(line.pps.roster, language),
        )
        bars.append(
            ChartBar(
                label=_label(line, language),
                present=line.pps.present,
                absent=max(line.pps.absent, 0),
                roster=line.pps.roster,
                end_text=f"{count}  {format_ratio(line.pps.present_ratio, language)}",
                has_session=line.has_session,
            )
        )
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
    return ChartSpec(
        title=f"{title}\n{subtitle}",
        bars=tuple(bars),
        present_label=report_text(language, "report.chart.present"),
        absent_label=report_text(language, "report.chart.absent"),
        axis_label=report_text(language, "report.chart.axis"),
        group_symbol=get_group_symbol(normalize_language(language)),
    )


def attendance_chart_png(recap: AttendanceRecap, *, language: str) -> bytes:
    """The chart drawn in this process (for one-shot commands such as `rehearse`, which end soon after)."""
    return draw_png(chart_spec(recap, language=language))


async def draw_chart_in_child(
    recap: AttendanceRecap, *, language: str, timeout: float = CHART_TIMEOUT
) -> bytes:
    """The chart, drawn in a short-lived child process, so this process never loads matplotlib.

    The waiting happens on worker threads, so the event loop keeps answering others meanwhile. Raises
    ChartFailed when the child dies without a chart or exceeds ``timeout``; a cancelled caller kills it.
    """
    try:
        return await build_in_child(
            draw_png, chart_spec(recap, language=language), name="attendance-chart", timeout=timeout
        )
    except ChildFailed as error:
        raise ChartFailed(str(error)) from error
