"""Client import files: upload checks, encodings and separators, header rows, cleaned cells."""

import csv
import io
import zipfile
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.utils import timezone, translation
from stdnum.cn import ric

from amdesk.clients.imports import services as imports
from amdesk.clients.imports.reader import UnusableFile
from amdesk.clients.models import Client, ImportRow, VipLevel
from tests.clients.factories import resident_id
from tests.clients.import_files import csv_file, run_import, upload, xlsx_file

pytestmark = pytest.mark.django_db

FIRST = 3  # xlsx_file(): title row, header row, then the data


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.AMDESK_IMPORT_DIR = tmp_path / "imports"
    return settings.AMDESK_IMPORT_DIR


@pytest.fixture(autouse=True)
def english():
    """Reasons compared in English: they are written in the importer's language."""
    with translation.override("en"):
        yield


def reasons(job) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    for problem in job.problems.all():
        found.setdefault(problem.row_no, []).append(f"{problem.column}：{problem.message}")
    return {row_no: "；".join(texts) for row_no, texts in found.items()}


def leftovers(folder):
    return sorted(str(path) for path in folder.rglob("*")) if folder.exists() else []


def make_zip(path, entries: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def workbook_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


LETTERS = [bytes([letter]) for letter in b"abcdefghi"]


def entity_bomb(path):
    """A real workbook whose sheet declares nested entities ("billion laughs")."""
    good = zipfile.ZipFile(io.BytesIO(workbook_bytes([["客户名称", "手机号码"], ["王芳", "13800138000"]])))
    doctype = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            b'<!ENTITY %s "%s">' % (name, b"&%s;" % prev * 10)
            for prev, name in zip(LETTERS, LETTERS[1:], strict=False)
        )
        + b"]>"
    )
    entries = {}
    for name in good.namelist():
        data = good.read(name)
        if name == "xl/worksheets/sheet1.xml":
            data = doctype + data.split(b"?>", 1)[-1].replace(b"<v>", b"<v>&i;", 1)
        entries[name] = data
    return make_zip(path, entries)


# -- checks before the file is opened


def _empty(path):
    path.write_bytes(b"")
    return path


def _xls(path):
    path.with_suffix(".xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    return path.with_suffix(".xls")


def _not_a_zip(path):
    path.write_bytes("客户名称,手机号码\n王芳,13800138000\n".encode())
    return path


def _zip_not_workbook(path):
    return make_zip(path, {"readme.txt": b"hello", "data/clients.csv": b"a,b\n"})


def _zip_with_workbook_names_but_junk(path):
    return make_zip(path, {"[Content_Types].xml": b"<junk", "xl/workbook.xml": b"<also junk"})


def _too_many_entries(path):
    return make_zip(path, {f"xl/part{n}.xml": b"<x/>" for n in range(20)})


def _unzips_too_big(path):
    return make_zip(path, {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b" " * 2_000_000})


def _workbook_named_csv(path):
    path.with_suffix(".csv").write_bytes(workbook_bytes([["客户名称"], ["王芳"]]))
    return path.with_suffix(".csv")


def _pdf(path):
    path.with_suffix(".pdf").write_bytes(b"%PDF-1.4 hello")
    return path.with_suffix(".pdf")


def _entity_bomb(path):
    return entity_bomb(path)


@pytest.mark.parametrize(
    ("build", "says"),
    [
        (_empty, "empty"),
        (_xls, "save the file as .xlsx"),
        (_not_a_zip, "not a real .xlsx"),
        (_zip_not_workbook, "not an Excel workbook"),
        (_zip_with_workbook_names_but_junk, "damaged"),
        (_too_many_entries, "20 parts"),
        (_unzips_too_big, "unpacks to"),
        (_workbook_named_csv, "rename it to .xlsx"),
        (_pdf, "Only .xlsx and .csv"),
        (_entity_bomb, "damaged"),
    ],
)
def test_unusable_file_is_refused_and_not_kept(build, says, account_manager, import_dir, settings, tmp_path):
    settings.AMDESK_IMPORT_MAX_ZIP_ENTRIES = 10
    settings.AMDESK_IMPORT_MAX_UNZIPPED_BYTES = 1_000_000
    path = build(tmp_path / "list.xlsx")
    assert path.stat().st_size < 100_000
    with pytest.raises(UnusableFile) as raised:
        upload(account_manager, path)
    assert says in str(raised.value)
    assert leftovers(import_dir) == []


def test_unreadable_workbook_message_does_not_show_the_server_path(account_manager, import_dir, tmp_path):
    with pytest.raises(UnusableFile) as raised:
        upload(account_manager, entity_bomb(tmp_path / "list.xlsx"))
    assert "source.xlsx" not in str(raised.value) and str(import_dir) not in str(raised.value)


def test_the_limits_are_settings(account_manager, import_dir, settings, tmp_path):
    path = xlsx_file(tmp_path / "list.xlsx", [["王芳", resident_id()]])
    # An ordinary workbook passes the default limits…
    assert upload(account_manager, path).header_row == 2
    # …and is refused when they are lower than what it holds
    settings.AMDESK_IMPORT_MAX_ZIP_ENTRIES = 3
    with pytest.raises(UnusableFile, match="parts"):
        upload(account_manager, path)
    settings.AMDESK_IMPORT_MAX_ZIP_ENTRIES = 200
    settings.AMDESK_IMPORT_MAX_UNZIPPED_BYTES = 1000
    with pytest.raises(UnusableFile, match="unpacks to"):
        upload(account_manager, path)


def test_file_above_the_size_limit_is_refused(account_manager, import_dir, settings, tmp_path):
    settings.AMDESK_IMPORT_MAX_BYTES = 2**20
    path = csv_file(tmp_path / "big.csv", [["王芳", resident_id(), "13800138000", "", "", "x" * 1000]] * 1100)
    assert path.stat().st_size > settings.AMDESK_IMPORT_MAX_BYTES
    with pytest.raises(UnusableFile) as raised:
        upload(account_manager, path)
    assert "at most 1 MB" in str(raised.value)
    assert leftovers(import_dir) == []


def test_too_many_rows_fail_the_job(account_manager, settings, tmp_path):
    settings.AMDESK_IMPORT_MAX_ROWS = 3
    rows = [[f"客户{n}", resident_id()] for n in range(4)]
    job = run_import(account_manager, xlsx_file(tmp_path / "long.xlsx", rows))
    assert job.state == job.State.FAILED
    assert "more than 3 rows" in job.message
    assert not Client.objects.exists() and not ImportRow.objects.filter(job=job).exists()
    # The limit is the number of rows, not one less
    job = run_import(account_manager, xlsx_file(tmp_path / "ok.xlsx", rows[:3]))
    assert job.state == job.State.DONE and job.created == 3


def test_unusable_file_message_is_chinese_for_a_chinese_user(account_manager, tmp_path):
    path = tmp_path / "list.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with translation.override("zh-hans"), pytest.raises(UnusableFile) as raised:
        upload(account_manager, path)
    assert any("\u4e00" <= char <= "\u9fff" for char in str(raised.value).replace(".xlsx", ""))


def test_openpyxl_parses_with_defusedxml():
    import defusedxml  # noqa: F401 (importable: a dependency)
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


# -- CSV: encodings and separators

CSV_ROWS = [
    ["欧阳娜娜", "", "13800138000", "", "三级", "老客户、常来"],
    ["张 三", "", "13900139000", "", "", "喆"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_imports_the_same(encoding, account_manager, tmp_path):
    rows = [[row[0], resident_id(), *row[2:]] for row in CSV_ROWS]
    job = run_import(account_manager, csv_file(tmp_path / "list.csv", rows, encoding=encoding))
    assert job.state == job.State.DONE and job.created == 2, reasons(job)
    assert job.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
    stored = dict(Client.objects.values_list("name", "remarks"))
    assert stored == {"欧阳娜娜": "老客户、常来", "张三": "喆"}
    assert Client.objects.get(name="欧阳娜娜").grade.rank == 3


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(delimiter, account_manager, tmp_path):
    path = tmp_path / "list.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(["客户名称", "身份证号码", "手机号码", "备注"])
        writer.writerow(["王芳", resident_id(), "13800138000", "住址: 杭州, 西湖区"])
        writer.writerow(["李强", resident_id(), "13900139000", ""])
    job = run_import(account_manager, path)
    assert job.mapping == ["name", "id_number", "mobile", "remarks"]
    assert job.state == job.State.DONE and job.created == 2, reasons(job)
    assert Client.objects.get(name="王芳").remarks == "住址: 杭州, 西湖区"


def test_text_neither_utf8_nor_gbk_is_unusable(account_manager, import_dir, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("客户名称,手机号码\n王芳,13800138000\n".encode() + b"\x80\xff\xfe\n")
    with pytest.raises(UnusableFile) as raised:
        upload(account_manager, path)
    assert "neither UTF-8 nor GBK" in str(raised.value)
    assert leftovers(import_dir) == []


# -- the header row


def test_header_below_two_title_rows(account_manager, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["杭州分行2026年客户清单"])
    sheet.append(["制表人：苏婷瑶", None, "日期：2026-01-05"])
    sheet.append(["客户名称", "身份证号码", "手机号码"])
    sheet.append(["王芳", resident_id(), "13800138000"])
    workbook.save(tmp_path / "list.xlsx")
    job = run_import(account_manager, tmp_path / "list.xlsx")
    assert job.header_row == 3 and job.mapping == ["name", "id_number", "mobile"]
    assert job.state == job.State.DONE and job.created == 1, reasons(job)
    assert Client.objects.get().name == "王芳"


def test_header_synonyms(account_manager, tmp_path):
    header = ["客户姓名", "身份证号", "联系电话", "管户经理工号", "生日", "联系地址"]
    id1 = resident_id(date(1985, 6, 15))
    path = xlsx_file(
        tmp_path / "list.xlsx",
        [["王芳", id1, "13800138000", account_manager.employee_no, "1985-06-15", "杭州市西湖区"]],
        header=header,
    )
    job = run_import(account_manager, path)
    assert job.mapping == ["name", "id_number", "mobile", "owner", "birth_date", "address"]
    assert job.state == job.State.DONE, reasons(job)
    client = Client.objects.get(id_number=id1)
    assert (client.name, client.mobile, client.address) == ("王芳", "13800138000", "杭州市西湖区")
    assert client.owner == account_manager and client.birth_date == date(1985, 6, 15)


def test_corrected_report_imports_again(account_manager, tmp_path):
    ids = [resident_id() for _ in range(3)]
    rows = [
        ["王芳", ids[0], "13800138000", "", "三级", "老客户"],
        ["李强", ids[1], "12345", "", "", ""],
        ["赵敏", ids[2], "13700137000", account_manager.employee_no, "", ""],
    ]
    job = run_import(account_manager, xlsx_file(tmp_path / "list.xlsx", rows))
    assert job.state == job.State.REJECTED and set(reasons(job)) == {FIRST + 1}
    # The user opens the report, fixes the mobile and saves it
    report_path = tmp_path / "report.xlsx"
    report_path.write_bytes(imports.report_file(job).read_bytes())
    workbook = openpyxl.load_workbook(report_path)
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[-2:] == ["原行号", "错误原因"]
    assert [row[-2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [3, 4, 5]
    mobile = header.index("手机号码") + 1
    assert sheet.cell(row=3, column=mobile).value == "12345"
    sheet.cell(row=3, column=mobile).value = "13900139000"
    workbook.save(report_path)
    again = run_import(account_manager, report_path)
    assert again.header_row == 1 and again.mapping[-2:] == ["", ""]
    assert again.state == again.State.DONE, reasons(again)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (3, 0, 0, 0)
    assert Client.objects.get(id_number=ids[1]).mobile == "13900139000"
    assert Client.objects.get(id_number=ids[0]).grade.rank == 3


# -- cleaning cells


def _resident_id_ending_in_x() -> str:
    for serial in range(1000):
        body = f"33010619850615{serial:03d}"
        if ric.calc_check_digit(body + "0") == "X":
            return body + "X"
    raise AssertionError("no such number")


def _full_width(text: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


def test_full_width_identifiers_and_spaced_names(account_manager, tmp_path):
    id_x = _resident_id_ending_in_x()
    rows = [
        ["张 三", _full_width(id_x.lower()), "１３８００１３８０００"],
        ["\u3000李　强 ", _full_width(resident_id()), "１３９　００１３　９０００"],
        ["John  Smith", resident_id(), "13700137000"],
    ]
    job = run_import(account_manager, xlsx_file(tmp_path / "list.xlsx", rows))
    assert job.state == job.State.DONE and job.created == 3, reasons(job)
    client = Client.objects.get(name="张三")
    assert client.id_number == id_x and client.mobile == "13800138000"
    assert Client.objects.get(name="李强").mobile == "13900139000"
    assert Client.objects.filter(name="John Smith").exists()


def test_free_text_keeps_chinese_punctuation(account_manager, tmp_path):
    rows = [["杭州某某（集团）有限公司", resident_id(), "13800138000", "", "", "老客户，常来！"]]
    job = run_import(account_manager, xlsx_file(tmp_path / "list.xlsx", rows))
    assert job.state == job.State.DONE, reasons(job)
    client = Client.objects.get()
    assert (client.name, client.remarks) == ("杭州某某（集团）有限公司", "老客户，常来！")


DATE_HEADER = ["客户名称", "身份证号码", "入网日期"]


def test_dates_written_each_way_people_write_them(account_manager, tmp_path):
    cells = [
        "2024-03-05",
        "2024/3/5",
        "2024年3月5日",
        "20240305",
        " 2024.03.05 ",
        datetime(2024, 3, 5),
        date(2024, 3, 5),
        "45356",  # an Excel serial number, pasted into a text column
        45356,
    ]
    rows = [[f"客户{n}", resident_id(), cell] for n, cell in enumerate(cells)]
    job = run_import(account_manager, xlsx_file(tmp_path / "list.xlsx", rows, header=DATE_HEADER))
    assert job.state == job.State.DONE and job.created == len(cells), reasons(job)
    assert set(Client.objects.values_list("onboarded_on", flat=True)) == {date(2024, 3, 5)}


def test_dates_in_a_csv(account_manager, tmp_path):
    rows = [["王芳", resident_id(), "20240305"], ["李强", resident_id(), "45356"]]
    job = run_import(account_manager, csv_file(tmp_path / "list.csv", rows, header=DATE_HEADER))
    assert job.state == job.State.DONE, reasons(job)
    assert set(Client.objects.values_list("onboarded_on", flat=True)) == {date(2024, 3, 5)}


def test_compact_date_typed_into_a_number_cell(account_manager, tmp_path):
    path = xlsx_file(tmp_path / "list.xlsx", [["王芳", resident_id(), 20240305]], header=DATE_HEADER)
    job = run_import(account_manager, path)
    assert job.state == job.State.DONE, reasons(job)
    assert Client.objects.get().onboarded_on == date(2024, 3, 5)


def test_invalid_and_future_dates_are_rejected(account_manager, tmp_path):
    tomorrow = timezone.localdate() + timedelta(days=1)
    rows = [
        ["王芳", resident_id(), "2024-02-30"],
        ["李强", resident_id(), tomorrow.isoformat()],
        ["赵敏", resident_id(), "上个月"],
        ["钱七", resident_id(), "2024-02-29"],
    ]
    job = run_import(account_manager, xlsx_file(tmp_path / "list.xlsx", rows, header=DATE_HEADER))
    assert job.state == job.State.REJECTED and job.rejected == 3
    found = reasons(job)
    assert set(found) == {FIRST, FIRST + 1, FIRST + 2}
    assert "入网日期" in found[FIRST] and "2024-02-30 is not a date of the calendar" in found[FIRST]
    assert f"{tomorrow.isoformat()} is in the future" in found[FIRST + 1]
    assert "2024/3/5" in found[FIRST + 2]


@pytest.mark.parametrize("number", [110105194912310020, 110105194912310020.0])
def test_id_that_excel_stored_as_a_number_is_rejected(number, account_manager, tmp_path):
    path = xlsx_file(tmp_path / "list.xlsx", [["王芳", number, "13800138000"]])
    job = run_import(account_manager, path)
    assert job.state == job.State.REJECTED
    assert "身份证号码" in reasons(job)[FIRST] and "lost its last digits" in reasons(job)[FIRST]


def test_mobile_stored_by_excel_as_a_number_is_fine(account_manager, tmp_path):
    job = run_import(
        account_manager, xlsx_file(tmp_path / "list.xlsx", [["王芳", resident_id(), 13800138000]])
    )
    assert job.state == job.State.DONE, reasons(job)
    assert Client.objects.get().mobile == "13800138000"


CHOICE_HEADER = ["客户名称", "身份证号码", "手机号码", "客户类型", "客户分层", "客户等级", "VIP等级"]


def test_choice_cells_map_their_words(account_manager, preset, tmp_path):
    diamond = VipLevel.objects.get(code="vip-diamond")
    rows = [
        ["王芳", resident_id(), "", "个人", "重点", "三级", "钻石客户"],
        ["李强", resident_id(), "", "个人客户", "一般", "3", "VIP-DIAMOND"],
        ["杭州某某科技有限公司", "", "13800138000", "对公", "重点客户", "3级", ""],
        ["赵敏", resident_id(), "", "", "", 3, "金卡客户"],
    ]
    job = run_import(account_manager, xlsx_file(tmp_path / "list.xlsx", rows, header=CHOICE_HEADER))
    assert job.state == job.State.DONE and job.created == 4, reasons(job)
    stored = {
        c.name: (c.kind, c.tier.code, c.grade.rank if c.grade else None, c.vip_level_id)
        for c in Client.objects.all()
    }
    gold = VipLevel.objects.get(code="vip-gold").pk
    assert stored == {
        "王芳": ("individual", "key", 3, diamond.pk),
        "李强": ("individual", "ordinary", 3, diamond.pk),
        "杭州某某科技有限公司": ("corporate", "key", 3, None),
        "赵敏": ("individual", "ordinary", 3, gold),
    }


def test_unknown_choice_word_lists_the_allowed_ones(account_manager, tmp_path):
    rows = [
        ["王芳", resident_id(), "", "外籍", "", "", ""],
        ["李强", resident_id(), "", "", "", "六级", ""],
        ["赵敏", resident_id(), "", "", "很重要", "", "黑卡"],
    ]
    job = run_import(account_manager, xlsx_file(tmp_path / "list.xlsx", rows, header=CHOICE_HEADER))
    assert job.state == job.State.REJECTED and job.rejected == 3
    found = reasons(job)
    assert "客户类型" in found[FIRST] and "外籍 is not one of: 个人、企业" in found[FIRST]
    assert "六级 is not one of: 一级、二级、三级、四级、五级" in found[FIRST + 1]
    assert "很重要 is not one of: 重点客户、一般客户" in found[FIRST + 2]
    assert "VIP等级" in found[FIRST + 2] and "黑卡" in found[FIRST + 2]


@pytest.mark.parametrize(
    "mobile", ["+86 138 0013 8000", "138-0013-8000", "0086 13800138000", "8613800138000"]
)
def test_mobile_formats(mobile, account_manager, tmp_path):
    job = run_import(account_manager, xlsx_file(tmp_path / "list.xlsx", [["王芳", resident_id(), mobile]]))
    assert job.state == job.State.DONE, reasons(job)
    assert Client.objects.get().mobile == "13800138000"
