"""The formatters: .xlsx rows, a PDF whose first page is drawn and whose text layer holds the title."""

import io

import openpyxl
import pypdfium2
from django.utils.translation import override

from amdesk.reports.framework.base import Chart, Column, ReportData, Section, Series, Table, Text
from amdesk.reports.framework.render import render_pdf, render_xlsx, report_json
from amdesk.reports.framework.values import ROW_KIND, SUBTOTAL


def sample(rows: int = 3) -> ReportData:
    people = [
        {"name": f"客户经理{n}", "team": "公司金融团队", "received": n, "rate": 50.0 + n} for n in range(rows)
    ]
    people.append(
        {
            "name": "公司金融团队 小计",
            "team": "公司金融团队",
            "received": 99,
            "rate": 75.0,
            ROW_KIND: SUBTOTAL,
        }
    )
    return ReportData(
        title="服务时效报表",
        subtitle="公司金融团队 · 2026-11",
        period_label="2026-11",
        sections=[
            Section(
                "工单与时效",
                [
                    Text("目标", "首次反馈 6 小时内。\n\n处理率 100%。", ["满意度低于目标"]),
                    Table(
                        "按客户经理",
                        [
                            Column("name", "客户经理"),
                            Column("team", "团队"),
                            Column("received", "受理", "int"),
                            Column("rate", "处理率", "percent"),
                        ],
                        people,
                        {"name": "合计", "received": 123, "rate": 80.0},
                    ),
                    Chart(
                        "处理率",
                        "bar",
                        [p["name"] for p in people[:rows]],
                        [Series("处理率", [p["rate"] for p in people[:rows]])],
                        unit="%",
                    ),
                    Table("=SUM(A1)", [Column("name", "名称")], [{"name": '=HYPERLINK("x")'}]),
                ],
            )
        ],
    )


def test_xlsx_has_rows_totals_and_the_chart_as_a_table():
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(sample())))
    values = [[c for c in row if c is not None] for row in book.active.iter_rows(values_only=True)]
    flat = [v for row in values for v in row]
    assert flat[0] == "服务时效报表"
    assert ["客户经理1", "公司金融团队", 1, 51.0] in values
    assert ["合计", 123, 80.0] in values
    assert '=HYPERLINK("x")' in flat  # text, never a formula
    assert values.count(["客户经理2", 52.0]) == 1  # the chart's own table


def test_pdf_first_page_is_drawn_and_holds_the_chinese_title():
    with override("zh-hans"):
        content = render_pdf(sample(rows=80))  # long enough for the table to run over a page
    document = pypdfium2.PdfDocument(content)
    assert len(document) >= 2
    page = document[0]
    image = page.render(scale=1).to_pil().convert("L")
    histogram = image.histogram()
    dark = sum(histogram[:200]) / sum(histogram)
    assert image.getextrema()[0] < 100 and dark > 0.005
    text = page.get_textpage().get_text_range()
    assert "服务时效报表" in text
    assert "第 1 页 / 共" in text
    second = document[1].get_textpage().get_text_range()
    assert "受理" in second  # the header repeats on the next page


def test_pdf_twice_in_one_process_uses_the_cached_font_and_stays_right():
    first, second = render_pdf(sample()), render_pdf(sample())
    for content in (first, second):
        page = pypdfium2.PdfDocument(content)[0]
        assert "工单与时效" in page.get_textpage().get_text_range()


def test_json_marks_subtotals():
    data = report_json(sample())
    table = data["sections"][0]["blocks"][1]
    assert table["rows"][-1]["subtotal"] is True
    assert table["totals"]["received"] == 123
    assert data["sections"][0]["blocks"][2]["series"][0]["values"] == [50.0, 51.0, 52.0]


def test_period_labels_read_as_people_write_them():
    from amdesk.reports.framework.base import ReportPeriod

    with override("zh-hans"):
        assert ReportPeriod.parse("2026-Q4").label == "2026年第4季度"
        assert ReportPeriod.parse("2026-11").label == "2026年11月"
        assert ReportPeriod.parse("2026-01").label == "2026年1月"
        assert ReportPeriod.parse("2026").label == "2026年"
    with override("en"):
        assert ReportPeriod.parse("2026-Q4").label == "2026 Q4"
        assert ReportPeriod.parse("2026-01").label == "2026-01"
        assert ReportPeriod.parse("2026").label == "2026"


def test_pdf_draws_a_line_chart():
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    chart = Chart(
        "管户资产趋势",
        "line",
        months,
        [Series("本年", [10, 12, 15, None, 18, 20, 19, 22, 25, 24, 28, 30]), Series("上年", [8] * 12)],
        unit="万元",
    )
    data = ReportData("趋势", "", "2026", [Section("资产", [chart])])
    page = pypdfium2.PdfDocument(render_pdf(data))[0]
    image = page.render(scale=2).to_pil().convert("RGB")
    # the first series' blue line and the second's green one are drawn (far more than the legend's
    # swatches), and the table after the chart is not filled with the last colour
    pixels = {colour: count for count, colour in image.getcolors(maxcolors=1 << 20)}
    assert pixels.get((84, 112, 198), 0) > 600 and pixels.get((145, 204, 117), 0) > 600
    assert pixels.get((145, 204, 117), 0) < 5000
    text = page.get_textpage().get_text_range()
    assert "2026-01" in text and "本年" in text and "万元" in text
