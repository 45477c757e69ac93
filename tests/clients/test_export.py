"""Client export (.xlsx, .csv) and the import template: filters and scope as on screen, masking,
formula-looking cells kept as text, the audit log, the API twin, the command, flat query counts."""

import csv
import io
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from amdesk.clients import exporting
from amdesk.clients.columns import COLUMNS, EXPORT_EXTRA, EXPORT_ONLY_HEADERS, HEADER_INDEX, header_key
from amdesk.clients.models import VipLevel
from amdesk.clients.services import aum_record
from amdesk.core.audit_events import AuditEvent, AuditResult
from amdesk.core.models import AuditEntry
from tests.clients.factories import make_client, make_corporate

HEADERS = [column.header for column in (*COLUMNS, *EXPORT_EXTRA)]


@pytest.fixture
def browser_for():
    def make(user) -> Browser:
        browser = Browser()
        browser.force_login(user)
        return browser

    return make


@pytest.fixture
def clients(account_manager, team2_manager, other_manager):
    return {
        "mine": make_client(account_manager, "王小明", mobile="13812345678", tier="key", grade=3),
        "mine_ordinary": make_client(account_manager, "陈一般"),
        "team2": make_client(team2_manager, "李四"),
        "other": make_client(other_manager, "赵敏"),
    }


# Reading a file back as a person's spreadsheet program would


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read(content: bytes, fmt: str) -> list[dict]:
    rows = xlsx_rows(content) if fmt == "xlsx" else csv_rows(content)
    assert rows[0] == HEADERS
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def names(content: bytes, fmt: str) -> set[str]:
    return {row["客户名称"] for row in read(content, fmt)}


def export(browser, fmt: str, **filters):
    response = browser.get("/clients/export/", {**filters, "format": fmt})
    assert response.status_code == 200, response.content[:300]
    return body(response)


# What the file holds


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_file_holds_the_list_as_filtered_on_screen(clients, browser_for, supervisor, fmt):
    browser = browser_for(supervisor)
    assert names(export(browser, fmt, tier="key"), fmt) == {"王小明"}
    assert names(export(browser, fmt, q="李"), fmt) == {"李四"}
    assert names(export(browser, fmt, q="wxm"), fmt) == {"王小明"}
    assert names(export(browser, fmt), fmt) == {"王小明", "陈一般", "李四"}
    # the sort of the list is the order of the file
    rows = read(export(browser, fmt, sort="name"), fmt)
    assert [row["客户名称"] for row in rows] == sorted(["王小明", "陈一般", "李四"])


def test_every_header_is_one_the_import_reads():
    for header in HEADERS:
        key = header_key(header)
        assert key in HEADER_INDEX or key in EXPORT_ONLY_HEADERS, header
    # and the export's own columns never pass for a column the import would set
    assert not EXPORT_ONLY_HEADERS & HEADER_INDEX.keys()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_cells_are_written_as_the_import_reads_them(preset, account_manager, browser_for, fmt):
    gold = VipLevel.objects.get(code="vip-gold")
    client = make_client(
        account_manager,
        "王小明",
        mobile="13812345678",
        tier="key",
        grade=3,
        lifecycle="won",
        vip_level=gold,
        onboarded_on=date(2024, 3, 5),
        tags=["高净值", "代发工资"],
    )
    aum_record(actor=account_manager, client=client, as_of=date(2026, 10, 31), amount=Decimal("2500000"))
    make_corporate(account_manager, "杭州某某科技有限公司", credit_code="91330106MA27XR2A4Q")
    rows = {row["客户名称"]: row for row in read(export(browser_for(account_manager), fmt), fmt)}
    person, company = rows["王小明"], rows["杭州某某科技有限公司"]
    assert person["客户类型"] == "个人" and company["客户类型"] == "企业"
    assert person["客户阶段"] == "已成交客户"
    assert person["客户分层"] == "重点客户" and company["客户分层"] == "一般客户"
    assert person["客户等级"] == "三级"
    assert person["VIP等级"] == "金卡客户"
    assert person["性别"] in ("男", "女") and person["生日历法"] == "公历"
    assert person["客户经理工号"] == account_manager.employee_no
    assert person["管户经理姓名"] == account_manager.full_name
    assert person["所属机构"] == account_manager.org_node.name
    assert person["标签"] == "代发工资、高净值"
    assert company["统一社会信用代码"] == "91330106MA27XR2A4Q"  # not personal data: not masked
    client.refresh_from_db()
    if fmt == "xlsx":  # real dates and numbers, which Excel sorts and sums
        assert person["入网日期"] == datetime(2024, 3, 5)
        assert person["出生日期"] == datetime.combine(client.birth_date, datetime.min.time())
        assert person["资产规模（元）"] == 2500000
        assert person["客户编号"] == client.pk
    else:
        assert person["入网日期"] == "2024-03-05"
        assert person["出生日期"] == client.birth_date.isoformat()
        assert person["资产规模（元）"] == "2500000.00"
        assert person["客户编号"] == str(client.pk)


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("account_manager", {"王小明", "陈一般"}),
        ("supervisor", {"王小明", "陈一般", "李四"}),
        ("other_supervisor", {"赵敏"}),
        ("branch_head", {"王小明", "陈一般", "李四", "赵敏"}),
    ],
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_each_role_exports_only_the_clients_in_its_scope(
    request, clients, browser_for, viewer, expected, fmt
):
    assert names(export(browser_for(request.getfixturevalue(viewer)), fmt), fmt) == expected


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_filters_cannot_reach_outside_the_scope(clients, browser_for, account_manager, other_manager, fmt):
    browser = browser_for(account_manager)
    assert names(export(browser, fmt, owner=other_manager.employee_no), fmt) == set()
    assert names(export(browser, fmt, org="TM3"), fmt) == set()
    assert names(export(browser, fmt, q="赵敏"), fmt) == set()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_identity_numbers_and_mobiles_are_masked_for_everyone(clients, browser_for, branch_head, fmt):
    mine = clients["mine"]
    content = export(browser_for(branch_head), fmt)
    row = next(row for row in read(content, fmt) if row["客户名称"] == "王小明")
    assert row["手机号码"] == "138****5678"
    assert row["身份证号码"] == mine.id_number[:3] + "*" * 11 + mine.id_number[-4:]
    raw = content if fmt == "csv" else zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"13812345678" not in raw and mine.id_number.encode() not in raw


RISKY = {
    "name": "=1+2",
    "remarks": "@SUM(A1)",
    "address": "+86 571 8888 0000",
    "occupation": "-1",
    "source": '\t=HYPERLINK("http://example.com")',
    "industry": "\r=cmd|' /C calc'!A0",
}
RISKY_HEADERS = {
    "name": "客户名称",
    "remarks": "备注",
    "address": "地址",
    "occupation": "职业",
    "source": "客户来源",
    "industry": "所属行业",
}


def test_formula_looking_cells_stay_text_in_xlsx(org, account_manager, browser_for):
    make_client(account_manager, **RISKY)
    content = export(browser_for(account_manager), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for field, value in RISKY.items():
        cell = sheet.cell(row=2, column=header.index(RISKY_HEADERS[field]) + 1)
        # a string cell, never a formula (a CR is written as the line break Excel uses)
        assert cell.data_type == "s" and cell.value == value.replace("\r", "\n"), (field, cell.value)
    # no formula anywhere in the sheet's XML
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")


def test_formula_looking_cells_are_quoted_in_csv(org, account_manager, browser_for):
    make_client(account_manager, **RISKY)
    row = read(export(browser_for(account_manager), "csv"), "csv")[0]
    for field, value in RISKY.items():
        assert row[RISKY_HEADERS[field]] == "'" + value, field
    assert row["客户名称"] == "'=1+2" and row["备注"] == "'@SUM(A1)" and row["职业"] == "'-1"


# The download


def test_the_download_is_named_by_date_and_never_cached(clients, browser_for, account_manager):
    browser = browser_for(account_manager)
    xlsx = browser.get("/clients/export/", {"format": "xlsx"})
    assert xlsx["Content-Type"] == exporting.XLSX_CONTENT_TYPE
    assert xlsx["Content-Disposition"].startswith("attachment;") and ".xlsx" in xlsx["Content-Disposition"]
    assert xlsx["Cache-Control"] == "no-store"
    csv_response = browser.get("/clients/export/", {"format": "csv"})
    assert csv_response.streaming and csv_response["Content-Type"].startswith("text/csv")
    assert ".csv" in csv_response["Content-Disposition"] and csv_response["Cache-Control"] == "no-store"
    body(csv_response)
    assert browser.get("/clients/export/", {"format": "pdf"}).status_code == 400


def test_export_needs_a_signed_in_user(clients):
    response = Browser().get("/clients/export/", {"format": "csv"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Browser().get("/clients/import-template/").status_code == 302


def test_the_list_page_offers_export_with_its_filters(clients, browser_for, supervisor):
    page = browser_for(supervisor).get("/clients/", {"tier": "key"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'href="/clients/export/?tier=key&amp;format=xlsx"' in page
    assert 'href="/clients/export/?tier=key&amp;format=csv"' in page
    assert 'href="/clients/import-template/"' in page


def test_a_sheet_too_long_for_excel_goes_on_into_the_next(clients, browser_for, branch_head, monkeypatch):
    monkeypatch.setattr(exporting, "XLSX_MAX_ROWS", 3)  # the header and two clients per sheet
    workbook = openpyxl.load_workbook(io.BytesIO(export(browser_for(branch_head), "xlsx")))
    assert len(workbook.worksheets) == 2
    seen = []
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADERS and len(rows) == 3
        seen += [row[0] for row in rows[1:]]
    assert set(seen) == {"王小明", "陈一般", "李四", "赵敏"}


# The audit log


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_each_export_is_logged_with_its_row_count_and_no_personal_data(clients, browser_for, supervisor, fmt):
    export(browser_for(supervisor), fmt, tier="ordinary", q="13812345678")
    export(browser_for(supervisor), fmt, tier="ordinary")
    first, second = AuditEntry.objects.filter(event=AuditEvent.CLIENTS_EXPORTED).order_by("id")
    assert first.actor == supervisor and first.result == AuditResult.SUCCESS
    assert first.detail["rows"] == 0 and first.detail["searched"] is True
    assert "13812345678" not in str(first.detail)  # the search may be a mobile or ID number: not kept
    assert second.detail == {
        "format": fmt,
        "rows": 2,
        "complete": True,
        "channel": "web",
        "filters": {"tier": "ordinary"},
        "searched": False,
    }


# A real transaction: closing the response ends the request, which closes the database
# connection (request_finished), as a server does; a test transaction would not survive that.
@pytest.mark.django_db(transaction=True)
def test_a_csv_download_cut_off_is_logged_with_the_rows_sent(clients, browser_for, branch_head, monkeypatch):
    monkeypatch.setattr(exporting, "CSV_CHUNK_BYTES", 1)  # one chunk per row
    response = browser_for(branch_head).get("/clients/export/", {"format": "csv"})
    chunks = iter(response.streaming_content)
    next(chunks), next(chunks)  # the header, one client: then the browser goes away
    assert not AuditEntry.objects.filter(event=AuditEvent.CLIENTS_EXPORTED).exists()
    response.close()
    entry = AuditEntry.objects.get(event=AuditEvent.CLIENTS_EXPORTED)
    assert entry.result == AuditResult.FAILURE
    assert entry.detail["complete"] is False and entry.detail["rows"] == 1


# Query counts


def _queries(browser, fmt: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        export(browser, fmt)
    return len(queries)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_queries_do_not_grow_with_rows(org, account_manager, supervisor, browser_for, fmt):
    for n in range(5):
        make_client(account_manager, f"客户{n}", tags=["代发工资"])
    browser = browser_for(supervisor)
    export(browser, fmt)  # warm caches (session, content types)
    few = _queries(browser, fmt)
    for n in range(5, 30):
        make_client(account_manager, f"客户{n}", tags=["代发工资", "高净值"])
    assert _queries(browser, fmt) == few
    assert len(read(export(browser, fmt), fmt)) == 30


# The import template


def column_format(sheet, letter: str) -> str:
    """The number format of a whole column (Excel stores neighbouring alike columns as one range)."""
    index = openpyxl.utils.column_index_from_string(letter)
    dimension = next(d for d in sheet.column_dimensions.values() if d.min <= index <= d.max)
    return dimension.number_format


def test_the_import_template_has_the_headers_an_example_and_lists(preset, browser_for, account_manager):
    response = browser_for(account_manager).get("/clients/import-template/")
    assert response.status_code == 200
    assert response["Content-Type"] == exporting.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, guide, lists = workbook.worksheets
    assert workbook.active.title == sheet.title
    headers = [cell.value for cell in sheet[1]]
    assert [header_key(text) for text in headers] == [header_key(column.header) for column in COLUMNS]
    assert headers[0] == "客户名称*"  # required
    example = [cell.value for cell in sheet[2]]
    assert example == [column.example or None for column in COLUMNS]

    letter = {column.field: openpyxl.utils.get_column_letter(i + 1) for i, column in enumerate(COLUMNS)}
    validations = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
    for column in COLUMNS:
        if column.kind == "choice":
            dv = validations[f"{letter[column.field]}2"]
            assert dv.type == "list"
            assert dv.formula1 == '"' + ",".join(words[0] for words in column.words.values()) + '"'
    assert validations[f"{letter['kind']}2"].formula1 == '"个人,企业"'
    # VIP levels, tiers and grades: preset data from the database, through ranges of a hidden sheet
    vip = validations[f"{letter['vip_level']}2"]
    assert lists.title in vip.formula1 and "$A$1:$A$3" in vip.formula1
    assert "$B$1:$B$2" in validations[f"{letter['tier']}2"].formula1
    assert "$C$1:$C$5" in validations[f"{letter['grade']}2"].formula1
    assert lists.sheet_state == "hidden"
    columns = list(zip(*lists.iter_rows(values_only=True), strict=True))
    assert [[name for name in column if name] for column in columns] == [
        ["钻石客户", "金卡客户", "银卡客户"],
        ["重点客户", "一般客户"],
        ["一级", "二级", "三级", "四级", "五级"],
    ]

    # identifier columns are text, so Excel keeps all 18 digits of an ID number
    for field in ("id_number", "credit_code", "mobile", "owner"):
        assert column_format(sheet, letter[field]) == "@", field
    assert sheet[f"{letter['id_number']}2"].number_format == "@"

    # the instructions list every column with whether it is required
    described = [row[0] for row in guide.iter_rows(values_only=True)]
    for column in COLUMNS:
        assert (f"{column.header}*" if column.field == "name" else column.header) in described
    entry = AuditEntry.objects.get(event=AuditEvent.IMPORT_TEMPLATE_DOWNLOADED)
    assert entry.actor == account_manager


def test_an_inactive_vip_level_is_not_offered(preset, browser_for, account_manager):
    VipLevel.objects.filter(code="vip-silver").update(is_active=False)
    workbook = openpyxl.load_workbook(
        io.BytesIO(browser_for(account_manager).get("/clients/import-template/").content)
    )
    assert "银卡客户" not in [row[0] for row in workbook.worksheets[2].iter_rows(values_only=True)]


# The API twin


def api_names(response, fmt: str) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    return names(body(response), fmt)


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("account_manager", {"王小明", "陈一般"}),
        ("supervisor", {"王小明", "陈一般", "李四"}),
        ("admin", {"王小明", "陈一般", "李四", "赵敏"}),
    ],
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_api_export_has_the_scope_of_the_list_api(request, clients, api_for, viewer, expected, fmt):
    api = api_for(request.getfixturevalue(viewer))
    listed = {row["name"] for row in api.get("/api/v1/clients/").json()["results"]}
    assert api_names(api.get("/api/v1/clients/export/", {"format": fmt}), fmt) == listed == expected


def test_api_export_takes_the_list_filters(clients, api_for, supervisor):
    api = api_for(supervisor)
    assert api_names(api.get("/api/v1/clients/export/", {"format": "csv", "tier": "key"}), "csv") == {
        "王小明"
    }
    assert api_names(api.get("/api/v1/clients/export/", {"q": "李"}), "xlsx") == {"李四"}  # xlsx by default
    entry = AuditEntry.objects.filter(event=AuditEvent.CLIENTS_EXPORTED).latest("id")
    assert entry.detail["channel"] == "api" and entry.detail["rows"] == 1


def test_api_export_refuses_what_the_list_api_refuses(clients, api_for, account_manager):
    anonymous = APIClient()
    assert (
        anonymous.get("/api/v1/clients/export/", {"format": "csv"}).status_code
        == anonymous.get("/api/v1/clients/").status_code
        in (401, 403)
    )
    api = api_for(account_manager)
    for bad in [{"grade": "abc"}, {"tier": "gold"}, {"sort": "salary"}]:
        assert api.get("/api/v1/clients/", bad).status_code == 400
        response = api.get("/api/v1/clients/export/", {**bad, "format": "csv"})
        assert response.status_code == 400 and response.json()["code"] == "invalid"
        assert set(response.json()["fields"]) == set(bad)
    wrong = api.get("/api/v1/clients/export/", {"format": "pdf"})
    assert wrong.status_code == 400 and "format" in wrong.json()["fields"]
    assert not AuditEntry.objects.filter(event=AuditEvent.CLIENTS_EXPORTED).exists()


def test_api_import_template(preset, api_for, account_manager):
    response = api_for(account_manager).get("/api/v1/clients/import-template/")
    assert response.status_code == 200 and response["Content-Type"] == exporting.XLSX_CONTENT_TYPE
    headers = [cell.value for cell in openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert header_key(headers[0]) == header_key("客户名称")
    assert AuditEntry.objects.get(event=AuditEvent.IMPORT_TEMPLATE_DOWNLOADED).detail == {"channel": "api"}


def test_the_schema_documents_the_file_endpoints(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular warned while generating the schema"
    validate_schema(schema)
    operation = schema["paths"]["/api/v1/clients/export/"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {exporting.XLSX_CONTENT_TYPE, "text/csv"}
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert {"format", "q", "tier", "owner", "sort"} <= parameters
    assert "/api/v1/clients/import-template/" in schema["paths"]


# The command


def test_command_exports_with_the_list_filters(clients, supervisor, tmp_path):
    out = tmp_path / "重点客户.csv"
    stdout = io.StringIO()
    call_command(
        "export-clients",
        "--as",
        supervisor.username,
        "--out",
        str(out),
        "--filter",
        "tier=key",
        stdout=stdout,
    )
    assert names(out.read_bytes(), "csv") == {"王小明"}
    assert "1" in stdout.getvalue() and str(out) in stdout.getvalue()
    xlsx = tmp_path / "all.xlsx"
    call_command(
        "export-clients", "--as", supervisor.username, "--out", str(xlsx), "--filter", "q=李", stdout=stdout
    )
    assert names(xlsx.read_bytes(), "xlsx") == {"李四"}
    entry = AuditEntry.objects.filter(event=AuditEvent.CLIENTS_EXPORTED).latest("id")
    assert entry.actor == supervisor and entry.detail["channel"] == "cli" and entry.detail["rows"] == 1


def test_command_keeps_to_the_users_scope(clients, account_manager, tmp_path):
    out = tmp_path / "mine.xlsx"
    call_command("export-clients", "--as", account_manager.username, "--out", str(out), stdout=io.StringIO())
    assert names(out.read_bytes(), "xlsx") == {"王小明", "陈一般"}


@pytest.mark.parametrize(
    "arguments",
    [
        ["--as", "nobody", "--out", "{dir}/x.csv"],
        ["--as", "sup", "--out", "{dir}/x.csv", "--filter", "colour=red"],
        ["--as", "sup", "--out", "{dir}/x.csv", "--filter", "tier"],
        ["--as", "sup", "--out", "{dir}/x.csv", "--filter", "grade=abc"],
        ["--as", "sup", "--out", "{dir}/x.pdf"],
        ["--as", "sup", "--out", "{dir}/missing/x.csv"],
    ],
)
def test_command_refuses_bad_input_and_writes_nothing(clients, supervisor, tmp_path, arguments):
    with pytest.raises(CommandError):
        call_command("export-clients", *[part.format(dir=tmp_path) for part in arguments])
    assert list(tmp_path.iterdir()) == []
    assert not AuditEntry.objects.filter(event=AuditEvent.CLIENTS_EXPORTED).exists()


def test_command_exits_non_zero_with_a_message(db, tmp_path, capsys):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(
        ["amdesk", "export-clients", "--as", "nobody", "--out", str(tmp_path / "x.csv")]
    )
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code == 1 and "nobody" in capsys.readouterr().err


def test_an_xlsx_beyond_the_page_limit_is_refused_with_the_way_out(
    clients, browser_for, branch_head, settings
):
    settings.AMDESK_EXPORT_XLSX_MAX_ROWS = 1
    browser = browser_for(branch_head)
    response = browser.get("/clients/export/", {"format": "xlsx", "tier": ""}, follow=True)
    assert response.redirect_chain and response.redirect_chain[0][0].startswith("/clients/?")
    assert "CSV" in response.content.decode()
    assert not AuditEntry.objects.filter(event=AuditEvent.CLIENTS_EXPORTED).exists()
    # CSV streams at any size
    assert browser.get("/clients/export/", {"format": "csv"}).status_code == 200
    api = APIClient()
    api.force_authenticate(branch_head)
    assert api.get("/api/v1/clients/export/", {"format": "xlsx"}).status_code == 400


def test_a_client_without_an_aum_snapshot_has_an_empty_aum_date(account_manager, browser_for):
    # Given a client with an AUM snapshot and one without
    make_client(account_manager, "陈一般")
    measured = make_client(account_manager, "王小明")
    as_of = timezone.localdate() - timedelta(days=30)
    aum_record(actor=account_manager, client=measured, as_of=as_of, amount=Decimal("2500000"))
    # When the list is exported, the date column holds a real date or nothing, never an error
    sheet = openpyxl.load_workbook(io.BytesIO(export(browser_for(account_manager), "xlsx"))).worksheets[0]
    column = [cell.value for cell in sheet[1]].index("资产规模日期")
    cells = {row[0].value: row[column] for row in sheet.iter_rows(min_row=2)}
    assert cells["陈一般"].value is None and cells["陈一般"].data_type == "n"
    assert cells["王小明"].is_date and cells["王小明"].value == datetime.combine(as_of, datetime.min.time())
    assert [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "e"] == []
    # …and the CSV leaves it empty too
    rows = {row["客户名称"]: row for row in read(export(browser_for(account_manager), "csv"), "csv")}
    assert rows["陈一般"]["资产规模日期"] == "" and rows["王小明"]["资产规模日期"] == as_of.isoformat()
