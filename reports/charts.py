"""Charts drawn on the server as SVG: readable without JavaScript, printable, accessible.

Every function returns a SafeString built with format_html, so every label is escaped; each
chart has a <title> and <desc> and writes its numbers as text, so it reads (and prints) even
where colours do not.
"""

from collections.abc import Sequence
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_COLOURS = ("#0b5c8e", "#1d8a5b", "#b7791f", "#b42318", "#6b4fa3", "#5b6675")
_ROW = 26  # px per bar in a horizontal bar chart
_LABEL_WIDTH = 190
_CHART_WIDTH = 640


def _fmt(value: float | int) -> str:
    return f"{value:,}".replace(",", "\u202f")  # thin no-break space: unambiguous in uz/ru/en


def _px(value: float) -> str:
    return f"{value:.1f}"


def bar_chart(
    items: Sequence[tuple[str, int]], *, title: str, chart_id: str, colours: Sequence[str] = ()
) -> SafeString:
    """Horizontal bars, one per (label, value), with the value written at the end of each bar."""
    colours = tuple(colours) or BAR_COLOURS
    height = max(len(items), 1) * _ROW + 8
    peak = max((value for _label, value in items), default=0) or 1
    room = _CHART_WIDTH - _LABEL_WIDTH - 70
    bars = format_html_join(
        "",
        '<g class="bar"><title>{}: {}</title>'
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="18" fill="{}" rx="2"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text></g>',
        (
            (
                label,
                _fmt(value),
                _LABEL_WIDTH - 8,
                i * _ROW + 17,
                label[:32],
                _LABEL_WIDTH,
                i * _ROW + 4,
                max(round(room * value / peak), 1 if value else 0),
                colours[i % len(colours)],
                _LABEL_WIDTH + max(round(room * value / peak), 1 if value else 0) + 6,
                i * _ROW + 17,
                _fmt(value),
            )
            for i, (label, value) in enumerate(items)
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {} {}" '
        'width="{}" height="{}" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        _CHART_WIDTH,
        height,
        _CHART_WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        "; ".join(f"{label}: {_fmt(value)}" for label, value in items),
        bars,
    )


def column_chart(points: Sequence[tuple[date, int]], *, title: str, chart_id: str) -> SafeString:
    """Columns over time, one per (day, count), with the first, last and peak days labelled."""
    width, height, bottom, left = _CHART_WIDTH, 180, 24, 40
    plot_w, plot_h = width - left - 10, height - bottom - 16
    peak = max((count for _day, count in points), default=0) or 1
    step = plot_w / max(len(points), 1)
    bar_w = max(step - 2, 1)
    columns = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#0b5c8e"><title>{}: {}</title></rect>',
        (
            (
                _px(left + i * step),
                _px(16 + plot_h - plot_h * count / peak),
                _px(bar_w),
                _px(plot_h * count / peak),
                day.isoformat(),
                _fmt(count),
            )
            for i, (day, count) in enumerate(points)
        ),
    )
    labelled = {0, len(points) - 1} if points else set()
    if points:
        labelled.add(max(range(len(points)), key=lambda i: points[i][1]))
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>',
        (
            (_px(left + i * step + bar_w / 2), height - 6, points[i][0].strftime("%d.%m"))
            for i in sorted(labelled)
        ),
    )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#5b6675"></line>'
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">0</text>',
        left, 16 + plot_h, width - 10, 16 + plot_h,
        left - 4, 24, _fmt(peak),
        left - 4, 16 + plot_h,
    )  # fmt: skip
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {} {}" '
        'width="{}" height="{}" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}{}</svg>',
        width, height, width, height, chart_id, chart_id, chart_id, title, chart_id,
        "; ".join(f"{day.isoformat()}: {_fmt(count)}" for day, count in points),
        axis, columns, labels,
    )  # fmt: skip
