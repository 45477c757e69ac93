"""ReportData → a print-ready A4 PDF (fpdf2), with Noto Sans SC embedded as a subset (ADR 0021).

Tables repeat their header on every page they run over; bar and pie charts are drawn as simple
horizontal bars and line charts as lines over a value axis, with fpdf2's primitives (heat maps are
printed as their table only), and their numbers follow as a table; every page carries "第 n 页 / 共 m 页"
and the time it was generated.

Parsing the 10 MB font takes ~0.3 s per style. The parsed metrics (cmap, widths, glyph ids) do
not change between documents, so they are kept per process; each document gets a fresh, lazily
opened fontTools object because fpdf2 subsets that object in place when it writes the file.
"""

from __future__ import annotations

import copy
import math
import threading
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from .base import Chart, ReportData, Table, Text
from .values import cell_text, is_subtotal

FAMILY = "notosanssc"
_PAGE_WIDTH = 210
_MARGIN = 14
_CONTENT = _PAGE_WIDTH - 2 * _MARGIN
_BAR_COLOURS = [(84, 112, 198), (145, 204, 117), (250, 200, 88), (238, 102, 102), (115, 192, 222)]

_parsed: dict[str, TTFFont] = {}
_lock = threading.Lock()


def _add_fonts(pdf: FPDF) -> None:
    """Add the regular and bold faces, from the per-process cache when it can be used."""
    for style, path in settings.PDF_FONTS.items():
        key = f"{FAMILY}{style}"
        with _lock:
            template = _parsed.get(key)
            if template is None:
                scratch = FPDF()
                scratch.add_font(FAMILY, style, str(path))
                template = _parsed[key] = scratch.fonts[key]
        try:
            font = copy.copy(template)
            font.i = len(pdf.fonts) + 1
            font.ttfont = ttLib.TTFont(str(path), recalcTimestamp=False, lazy=True)
            font._hbfont = None
            font.missing_glyphs = []
            font.biggest_size_pt = 0
            font.subset = SubsetMap(font)
            pdf.fonts[key] = font
        except (AttributeError, TypeError):  # another fpdf2 version: parse it again, slower but right
            pdf.add_font(FAMILY, style, str(path))


class _Document(FPDF):
    def __init__(self, data: ReportData, generated: datetime):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.data = data
        self.generated = generated
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(True, margin=18)
        self.alias_nb_pages("{nb}")
        self.set_title(str(data.title))
        self.set_creator("AMDesk")

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(110, 110, 110)
        stamp = _("Generated %(when)s") % {"when": f"{self.generated:%Y-%m-%d %H:%M}"}
        self.cell(_CONTENT / 2, 6, stamp, align="L")
        self.cell(
            _CONTENT / 2,
            6,
            _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"},
            align="R",
        )
        self.set_text_color(0, 0, 0)


def render_pdf(data: ReportData) -> bytes:
    pdf = _Document(data, timezone.localtime())
    _add_fonts(pdf)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(_CONTENT, 9, str(data.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    pdf.set_text_color(80, 80, 80)
    if data.subtitle:
        pdf.multi_cell(_CONTENT, 6, str(data.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        _CONTENT, 6, _("Period: %(period)s") % {"period": data.period_label}, new_x="LMARGIN", new_y="NEXT"
    )
    for note in data.notes:
        pdf.multi_cell(_CONTENT, 5, str(note), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    for section in data.sections:
        pdf.ln(4)
        pdf.set_font(FAMILY, "B", 13)
        pdf.multi_cell(_CONTENT, 8, str(section.title), new_x="LMARGIN", new_y="NEXT")
        for block in section.blocks:
            if isinstance(block, Table):
                _table(pdf, block)
            elif isinstance(block, Chart):
                _chart(pdf, block)
            elif isinstance(block, Text):
                _text(pdf, block)
    return bytes(pdf.output())


def _block_title(pdf: FPDF, title) -> None:
    if title:
        pdf.ln(2)
        pdf.set_font(FAMILY, "B", 10)
        pdf.multi_cell(_CONTENT, 6, str(title), new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, table: Table) -> None:
    _block_title(pdf, table.title)
    if not table.columns:
        return
    pdf.set_font(FAMILY, "", 8)
    widths = _widths(pdf, table)
    aligns = tuple("LEFT" if col.kind in ("text", "date") else "RIGHT" for col in table.columns)
    rows = [[cell_text(row.get(col.key), col.kind) for col in table.columns] for row in table.rows]
    emphasised = [is_subtotal(row) for row in table.rows]
    if table.totals:
        rows.append([cell_text(table.totals.get(col.key), col.kind) for col in table.columns])
        emphasised.append(True)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        text_align=aligns,
        line_height=5,
        repeat_headings=1,
        first_row_as_headings=True,
        headings_style=_heading_style(),
        borders_layout="HORIZONTAL_LINES",
    ) as grid:
        header = grid.row()
        for col in table.columns:
            header.cell(str(col.label))
        for cells, bold in zip(rows, emphasised, strict=True):
            line = grid.row(style=_bold_style() if bold else None)
            for text in cells:
                line.cell(text)
    if table.note:
        pdf.set_font(FAMILY, "", 8)
        pdf.set_text_color(100, 100, 100)
        pdf.multi_cell(_CONTENT, 5, str(table.note), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FAMILY, emphasis="BOLD", fill_color=(235, 238, 244))


def _bold_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FAMILY, emphasis="BOLD")


def _widths(pdf: FPDF, table: Table) -> list[float]:
    """Columns as wide as their longest text (header or cell), scaled to the page."""
    wanted = []
    for col in table.columns:
        texts = [str(col.label)] + [cell_text(row.get(col.key), col.kind) for row in table.rows[:200]]
        wanted.append(max(8.0, min(60.0, max(pdf.get_string_width(t) for t in texts) + 3)))
    total = sum(wanted)
    return [w * _CONTENT / total for w in wanted] if total > _CONTENT or total < _CONTENT * 0.6 else wanted


def _chart(pdf: FPDF, chart: Chart) -> None:
    _block_title(pdf, chart.title)
    values = [v for s in chart.series for v in s.values if isinstance(v, int | float)]
    if chart.categories and values and chart.kind == "line":
        _lines(pdf, chart, values)
    elif chart.categories and values and chart.kind in ("bar", "pie"):
        _bars(pdf, chart, max(max(values), 0) or 1)
    table = chart.as_table()
    table.title = ""
    _table(pdf, table)


def _bars(pdf: FPDF, chart: Chart, top: float) -> None:
    """Horizontal bars: one line per category, one bar per series (readable with long names)."""
    label_width = 38
    bar_area = _CONTENT - label_width - 18
    series = chart.series[: len(_BAR_COLOURS)]
    bar_h = 3.2
    line_h = bar_h * len(series) + 2
    needed = line_h * min(len(chart.categories), 12) + 8
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font(FAMILY, "", 7)
    x0 = _MARGIN + label_width
    for n, category in enumerate(chart.categories):
        if pdf.get_y() + line_h > pdf.page_break_trigger:  # break between bars, never inside one
            pdf.add_page()
            pdf.set_font(FAMILY, "", 7)
        y = pdf.get_y()
        pdf.set_xy(_MARGIN, y)
        pdf.cell(label_width - 2, line_h - 2, _truncate(pdf, str(category), label_width - 2), align="R")
        for i, s in enumerate(series):
            value = s.values[n] if n < len(s.values) else None
            if not isinstance(value, int | float):
                continue
            width = max(0.0, bar_area * value / top)
            pdf.set_fill_color(*_BAR_COLOURS[i])
            pdf.rect(x0, y + i * bar_h, width, bar_h - 0.6, style="F")
            pdf.set_xy(x0 + width + 1, y + i * bar_h - 0.4)
            pdf.cell(16, bar_h, cell_text(value, "number"))
        pdf.set_y(y + line_h)
    if len(series) > 1:  # the legend
        pdf.set_x(x0)
        for i, s in enumerate(series):
            pdf.set_fill_color(*_BAR_COLOURS[i])
            pdf.rect(pdf.get_x(), pdf.get_y() + 1, 3, 3, style="F")
            pdf.set_x(pdf.get_x() + 4)
            pdf.cell(pdf.get_string_width(str(s.name)) + 4, 5, str(s.name))
        pdf.ln(6)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)


def _axis(low: float, high: float, steps: int = 4) -> list[float]:
    """Round tick values from at most `low` to at least `high` (0 included when the data allow)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / steps
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high - 1e-9:
        ticks.append(ticks[-1] + step)
    return ticks


def _lines(pdf: FPDF, chart: Chart, values: list[float]) -> None:
    """A line per series over the categories (a trend), the value axis on the left, a legend below."""
    height, label_width = 52.0, 16.0
    series = chart.series[: len(_BAR_COLOURS)]
    if pdf.get_y() + height + 16 > pdf.page_break_trigger:
        pdf.add_page()
    ticks = _axis(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    left, top = _MARGIN + label_width, pdf.get_y() + 3
    width, bottom = _CONTENT - label_width - 2, top + height
    count = len(chart.categories)

    def x_of(n: int) -> float:
        return left + (n + 0.5) * width / count

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * height

    pdf.set_font(FAMILY, "", 7)
    pdf.set_line_width(0.1)
    for tick in ticks:  # grid lines and the value axis' labels
        pdf.set_draw_color(*((220, 220, 220) if tick else (120, 120, 120)))
        pdf.line(left, y_of(tick), left + width, y_of(tick))
        pdf.set_xy(_MARGIN, y_of(tick) - 2)
        pdf.cell(label_width - 1, 4, cell_text(tick, "number"), align="R")
    pdf.set_draw_color(120, 120, 120)
    pdf.line(left, top, left, bottom)
    every = max(1, math.ceil(count * 14 / width))  # category labels ~14 mm apart at least
    for n, category in enumerate(chart.categories):
        if n % every == 0:
            pdf.set_xy(x_of(n) - 7, bottom + 0.5)
            pdf.cell(14, 4, _truncate(pdf, str(category), 14), align="C")
    pdf.set_line_width(0.5)
    for i, s in enumerate(series):
        pdf.set_draw_color(*_BAR_COLOURS[i])
        pdf.set_fill_color(*_BAR_COLOURS[i])
        run: list[tuple[float, float]] = []
        for n in range(count):  # a missing value breaks the line
            value = s.values[n] if n < len(s.values) else None
            if not isinstance(value, int | float):
                if len(run) > 1:
                    pdf.polyline(run)
                run = []
                continue
            point = (x_of(n), y_of(value))
            run.append(point)
            pdf.ellipse(point[0] - 0.7, point[1] - 0.7, 1.4, 1.4, style="F")
        if len(run) > 1:
            pdf.polyline(run)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(left, bottom + 5)
    _legend(pdf, series, chart.unit)
    pdf.set_fill_color(255, 255, 255)  # the chart's table after it is not filled with the last colour


def _legend(pdf: FPDF, series, unit) -> None:
    if len(series) > 1 or unit:  # the legend, and the unit
        for i, s in enumerate(series):
            pdf.set_fill_color(*_BAR_COLOURS[i])
            pdf.rect(pdf.get_x(), pdf.get_y() + 1.5, 4, 1.5, style="F")
            pdf.set_x(pdf.get_x() + 5)
            pdf.cell(pdf.get_string_width(str(s.name)) + 4, 5, str(s.name))
        if unit:
            pdf.cell(pdf.get_string_width(str(unit)) + 4, 5, f"({unit})")
        pdf.ln(6)
    else:
        pdf.ln(2)


def _truncate(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _text(pdf: FPDF, block: Text) -> None:
    _block_title(pdf, block.title)
    pdf.set_font(FAMILY, "", 9)
    for paragraph in [p for p in (block.body or "").split("\n\n") if p.strip()]:
        pdf.multi_cell(_CONTENT, 5, paragraph.strip(), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    for item in block.items:
        pdf.set_x(_MARGIN + 3)
        pdf.multi_cell(_CONTENT - 3, 5, f"• {item}", new_x="LMARGIN", new_y="NEXT")
