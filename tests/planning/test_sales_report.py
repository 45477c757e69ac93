"""The monthly client sales analysis report: prefill figures against independent queries, the
workflow (submit, return needs a comment, resubmit, read), stale saves, scope, the board and the
desk, the PDF download."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import Sum
from django.utils import translation

from amdesk.clients.models import AumSnapshot, Holding
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.planning.models import MonthlySalesReport, PerformanceEntry
from amdesk.planning.selectors import planning_desk
from amdesk.planning.selectors.sales_report import sales_report_figures
from amdesk.planning.services import StaleDocument, document_transition
from amdesk.planning.services.sales_reports import sales_report_save
from tests.clients.factories import make_client, set_holding
from tests.planning.factories import register
from tests.visits.factories import record_visit

pytestmark = pytest.mark.django_db

NOW = "2026-11-10 10:00 +08:00"  # October's report was due on 5 November
OCT = date(2026, 10, 1)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def web(client_for):
    def make(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    with translation.override("en"):
        yield make


@pytest.fixture
def data(account_manager, other_manager):
    """Two clients of the AM's with AUM falling and holdings; registrations in Aug–Oct and last year;
    a visit with opinions; another AM's client that must not count."""
    a = make_client(account_manager, "王一")
    b = make_client(account_manager, "王二")
    other = make_client(other_manager, "赵五")
    for client, sep, octo in ((a, "100000", "50000"), (b, "200000", "210000"), (other, "999", "1")):
        AumSnapshot.objects.create(client=client, as_of=date(2026, 9, 30), amount=Decimal(sep))
        AumSnapshot.objects.create(client=client, as_of=date(2026, 10, 31), amount=Decimal(octo))
    AumSnapshot.objects.create(client=a, as_of=date(2025, 10, 15), amount=Decimal("80000"))
    set_holding(a, "demand-deposit", "30000")
    set_holding(b, "demand-deposit", "70000")
    register(account_manager, {("insurance", date(2026, 10, 9)): "4", ("insurance", date(2026, 10, 12)): "2"})
    register(account_manager, {("insurance", date(2026, 9, 9)): "3"})
    register(account_manager, {("insurance", date(2026, 8, 10)): "3"})
    register(account_manager, {("insurance", date(2025, 10, 9)): "1"})
    register(other_manager, {("insurance", date(2026, 10, 9)): "50"})
    record_visit(account_manager, a, date(2026, 10, 20), opinions="希望网点延长营业时间")
    return a, b


def test_prefill_matches_independent_queries(account_manager, data):
    a, _b = data
    figures = sales_report_figures(owner=account_manager, month=OCT)
    insurance = next(row for row in figures["performance"] if row["name_en"].lower().startswith("insurance"))
    own = PerformanceEntry.objects.filter(sheet__owner=account_manager, item_id=insurance["item"])
    assert (
        Decimal(insurance["month"])
        == own.filter(day__month=10, day__year=2026).aggregate(s=Sum("value"))["s"]
    )
    assert Decimal(insurance["previous"]) == Decimal("3")
    assert Decimal(insurance["last_year"]) == Decimal("1")
    # AUM at the month ends, the AM's clients only
    assert Decimal(figures["aum"]["month"]) == Decimal("260000")
    assert Decimal(figures["aum"]["previous"]) == Decimal("300000")
    assert Decimal(figures["aum"]["last_year"]) == Decimal("80000")
    # holdings by line: independent sum
    total = Holding.objects.filter(client__owner=account_manager).aggregate(s=Sum("balance"))["s"]
    assert sum(Decimal(row["balance"]) for row in figures["holdings"]) == total
    # b) the 50% fall of 王一 is noticed (threshold 20% by default), 王二's rise is not
    assert [row["name"] for row in figures["noticed"]["aum_drops"]] == ["王一"]
    assert figures["noticed"]["aum_drops"][0]["change"] == -50.0
    # c) the visit's opinions
    assert [row["text"] for row in figures["opinions"]["visits"]] == ["希望网点延长营业时间"]
    # d) mean of Aug, Sep, Oct = (3 + 3 + 6) / 3
    forecast = next(row for row in figures["forecast"]["rows"] if row["item"] == insurance["item"])
    assert forecast["history"] == ["3.00", "3.00", "6.00"]
    assert Decimal(forecast["system"]) == Decimal("4")
    assert figures["forecast"]["month"] == "2026-11-01"


def _write(am, **data):
    values = {"problems": "王一资产下降：到期转他行。对策：上门拜访。", "opinions": "", "outlook": ""}
    values.update(data)
    report, _changed = sales_report_save(actor=am, month=OCT, data=values, expected_version=None)
    return report


def test_workflow_submit_return_with_comment_resubmit_read(account_manager, supervisor, data):
    report = _write(account_manager)
    assert report.state == "draft"
    report = document_transition(actor=account_manager, document=report, action="submit")
    assert report.state == "submitted" and report.figures is not None
    assert report.submitted_late  # due 5 November
    frozen = report.figures
    # a read report does not change later
    AumSnapshot.objects.filter(as_of=date(2026, 10, 31)).update(amount=Decimal("1"))
    assert MonthlySalesReport.objects.get(pk=report.pk).figures == frozen
    with pytest.raises(Exception) as refused:
        document_transition(actor=supervisor, document=report, action="return", comment="")
    assert "comment" in str(refused.value).lower() or "change" in str(refused.value).lower()
    report = document_transition(actor=supervisor, document=report, action="return", comment="请补充对策")
    assert report.state == "returned" and report.figures is None and report.comment == "请补充对策"
    report = _write(account_manager, problems="补充：已安排行长拜访。")
    report = document_transition(actor=account_manager, document=report, action="submit")
    report = document_transition(actor=supervisor, document=report, action="review")
    assert report.state == "reviewed"
    events = list(report.events.values_list("action", flat=True))
    assert events == ["create", "submit", "return", "update", "submit", "review"]
    assert AuditEntry.objects.filter(event=AuditEvent.SALES_REPORT_RETURNED).exists()


def test_an_adjusted_forecast_needs_a_reason(account_manager, data):
    item = PerformanceEntry.objects.filter(sheet__owner=account_manager).first().item_id
    with pytest.raises(Exception) as refused:
        _write(account_manager, forecast={str(item): {"value": "9", "reason": ""}})
    assert f"reason-{item}" in refused.value.message_dict
    report = _write(account_manager, forecast={str(item): {"value": "9", "reason": "年末理财到期"}})
    assert report.forecast == {str(item): {"value": "9.00", "reason": "年末理财到期"}}


def test_a_stale_save_is_refused(account_manager, data):
    report = _write(account_manager)
    sales_report_save(
        actor=account_manager, month=OCT, data={"opinions": "x"}, expected_version=report.version
    )
    with pytest.raises(StaleDocument):
        sales_report_save(
            actor=account_manager, month=OCT, data={"opinions": "y"}, expected_version=report.version
        )


def test_a_month_not_over_is_not_reported(account_manager):
    with pytest.raises(Exception):  # noqa: B017
        sales_report_save(actor=account_manager, month=date(2026, 11, 1), data={"problems": "x"})


def test_page_scope(web, account_manager, supervisor, other_supervisor, branch_head, data):
    report = _write(account_manager)
    url = f"/planning/month/2026-10/sales-report/?owner={account_manager.pk}"
    assert web(account_manager).get("/planning/month/2026-10/sales-report/").status_code == 200
    assert web(supervisor).get(url).status_code == 200
    assert web(branch_head).get(url).status_code == 200
    assert web(other_supervisor).get(url).status_code == 404
    download = f"/planning/sales-reports/{report.pk}/download/?format=xlsx"
    assert web(other_supervisor).get(download).status_code == 404
    response = web(supervisor).get(download)
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert AuditEntry.objects.filter(event=AuditEvent.SALES_REPORT_DOWNLOADED).count() == 1


def test_page_keeps_what_was_typed_on_an_error(web, account_manager, data):
    am = web(account_manager)
    page = am.get("/planning/month/2026-10/sales-report/")
    assert b"msr-chart-performance" in page.content and b"msr-charts" in page.content
    item = PerformanceEntry.objects.filter(sheet__owner=account_manager).first().item_id
    response = am.post(
        "/planning/month/2026-10/sales-report/",
        {
            "version": 0,
            "problems": "我写的分析",
            f"forecast-{item}": "12",
            f"reason-{item}": "",
            "decision": "save",
        },
    )
    assert response.status_code == 400
    assert "我写的分析" in response.content.decode() and 'value="12"' in response.content.decode()
    assert not MonthlySalesReport.objects.exists()
    response = am.post(
        "/planning/month/2026-10/sales-report/",
        {
            "version": 0,
            "problems": "我写的分析",
            f"forecast-{item}": "12",
            f"reason-{item}": "旺季",
            "decision": "submit",
        },
    )
    assert response.status_code == 302
    assert MonthlySalesReport.objects.get().state == "submitted"


def test_overdue_on_board_and_desk(web, account_manager, supervisor, data):
    # Nobody wrote October's report; it was due 5 November
    page = web(supervisor).get("/planning/board/?period=month&date=2026-11-10")
    cell = page.content.decode().split(f'data-testid="board-sales-report-{account_manager.username}"')[1][
        :600
    ]
    assert 'data-state="missing"' in cell and "data-overdue" in cell
    assert planning_desk(account_manager, today=date(2026, 11, 10))["sales_report_overdue"] is True
    desk = planning_desk(supervisor, today=date(2026, 11, 10))
    assert desk["team_sales_reports_overdue"] >= 1
    export = web(supervisor).get("/planning/board/?period=month&date=2026-11-10&format=xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert account_manager.full_name in values


def test_pdf_download_holds_the_title(web, account_manager, data):
    import pypdfium2

    report = _write(account_manager)
    response = web(account_manager).get(f"/planning/sales-reports/{report.pk}/download/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    text = pdf[0].get_textpage().get_text_range()
    assert "Monthly client sales analysis report" in text or "客户月度销售情况分析报告" in text


def test_team_list_has_no_query_per_person(
    web, account_manager, team2_manager, supervisor, django_assert_num_queries
):
    from amdesk.planning.selectors.sales_report import report_cells

    _write(account_manager)
    with django_assert_num_queries(2):  # the settings row (due moment) and the reports
        cells = report_cells([account_manager, team2_manager, supervisor], OCT)
    assert cells[0].report is not None and cells[1].state == "missing" and cells[1].overdue
    page = web(supervisor).get("/planning/sales-reports/?month=2026-10")
    assert page.status_code == 200 and f"msr-team-{team2_manager.username}".encode() in page.content


def test_the_page_marks_an_unwritten_report_overdue_and_shows_the_forecast_basis(web, account_manager, data):
    # Given October's report was due on 5 November and is not written (today is 10 November)
    page = web(account_manager).get("/planning/month/2026-10/sales-report/").content.decode()
    # Then the page says it is overdue, and the forecast form shows the months it is made from
    assert 'data-testid="msr-overdue"' in page
    form = page.split('data-testid="msr-forecast-form"')[1].split("</table>")[0]
    assert all(month in form for month in ("2026-08", "2026-09", "2026-10", "2025-11"))
    # Once submitted it is no longer overdue (it is late)
    report = _write(account_manager)
    document_transition(actor=account_manager, document=report, action="submit")
    page = web(account_manager).get("/planning/month/2026-10/sales-report/").content.decode()
    assert 'data-testid="msr-overdue"' not in page and 'data-testid="msr-late"' in page


def test_rates_have_no_sign_changes_have_one_and_missing_aum_is_a_dash(team2_manager, data):
    from amdesk.planning.selectors.sales_report import sales_report_sections
    from amdesk.planning.views.sales_reports import _text

    assert (_text(63.2, "percent"), _text(10.0, "percent", True), _text(-2.5, "percent", True)) == (
        "63.2%",
        "+10.0%",
        "-2.5%",
    )
    assert (_text("38.00", "number"), _text("30.33", "number"), _text("", "money")) == ("38", "30.33", "—")
    sections = {
        s["key"]: s for s in sales_report_sections(sales_report_figures(owner=team2_manager, month=OCT))
    }
    behind = next(b for b in sections["b"]["blocks"] if b["id"] == "msr-behind")
    assert not next(c for c in behind["columns"] if c["key"] == "rate")["signed"]
    performance = next(b for b in sections["a"]["blocks"] if b["id"] == "msr-performance")
    assert next(c for c in performance["columns"] if c["key"] == "mom")["signed"]
    # Given a client whose AUM was first recorded this September: no total a year ago, not a total of 0
    client = make_client(team2_manager, "新客户")
    AumSnapshot.objects.create(client=client, as_of=date(2026, 9, 30), amount=Decimal("5000"))
    aum = sales_report_figures(owner=team2_manager, month=OCT)["aum"]
    assert (aum["month"], aum["previous"], aum["last_year"]) == ("5000.00", "5000.00", "")


def test_special_visits_show_what_the_client_said(account_manager, data):
    a, _b = data
    record_visit(
        account_manager,
        a,
        date(2026, 10, 22),
        kind="special",
        special_reason="客户住院",
        opinions="希望上门办理",
    )
    from amdesk.planning.selectors.sales_report import sales_report_sections

    [c] = [
        s
        for s in sales_report_sections(sales_report_figures(owner=account_manager, month=OCT))
        if s["key"] == "c"
    ]
    special = next(b for b in c["blocks"] if b["id"] == "msr-special")
    assert special["rows"] == [
        {"on": "2026-10-22", "client": "王一", "reason": "客户住院", "text": "希望上门办理"}
    ]


def test_the_list_page_marks_own_overdue_and_hides_my_reports_from_who_writes_none(
    web, account_manager, supervisor, data
):
    # Given the account manager has not started October's report, due 5 November
    page = web(account_manager).get("/planning/sales-reports/").content.decode()
    assert 'data-testid="msr-current-overdue"' in page
    # When he saves a draft, the draft is marked overdue in his list
    _write(account_manager)
    page = web(account_manager).get("/planning/sales-reports/").content.decode()
    own = page.split('data-testid="msr-own"')[1].split("</table>")[0]
    assert 'data-testid="msr-current-overdue"' not in page and "data-overdue" in own
    # A supervisor who writes no report sees his team's only
    page = web(supervisor).get("/planning/sales-reports/").content.decode()
    assert 'data-testid="msr-own"' not in page and 'data-testid="msr-team"' in page
