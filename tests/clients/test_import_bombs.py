"""Crafted .xlsx files that exhaust a trusting parser: each is refused with a clear Chinese message,
and reading it takes bounded memory (measured in a child process, as the worker would read it).

Each file is built here with zipfile, small on disk and quick to make:
- a zip bomb: a sheet that is one run of repeated bytes, inflating ~1000 to 1;
- a huge sheet under the ratio bound: one cell of random hex text (ratio ~2), tens of MB;
- millions of distinct shared strings.
"""

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from amdesk.clients.imports import services as imports
from amdesk.clients.imports.reader import UnusableFile
from amdesk.clients.models import ImportJob

PEAK_LIMIT_MB = 300
MB = 2**20

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
PKG = "http://schemas.openxmlformats.org/package/2006"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'{XML}<Types xmlns="{PKG}/content-types">'
    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SML}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SML}.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'{XML}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{DOC}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'{XML}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    f'{XML}<worksheet xmlns="{MAIN}"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>客户名称</t></is></c></row>'
).encode()
CELL = b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
SHEET_TAIL = b"</sheetData></worksheet>"
STRINGS_HEAD = f'{XML}<sst xmlns="{MAIN}">'.encode()


def workbook(path: Path, sheet_chunks, string_chunks=()) -> Path:
    """A minimal workbook whose sheet (and shared strings) are written from chunks, never whole."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_chunks:
                sheet.write(chunk)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(STRINGS_HEAD)
            for chunk in string_chunks:
                strings.write(chunk)
            strings.write(b"</sst>")
    return path


def ratio_bomb(path: Path) -> Path:
    """One cell that is a 300 MB run of one letter: ~1000 to 1, a few hundred KB on disk."""

    def sheet():
        yield SHEET_HEAD + CELL
        block = b"A" * (4 * MB)
        for _ in range(75):
            yield block
        yield b"</t></is></c></row>" + SHEET_TAIL

    return workbook(path, sheet())


def huge_sheet(path: Path) -> Path:
    """One cell of 32 MB of random hex: it compresses about 2 to 1, far under the ratio bound."""

    def sheet():
        yield SHEET_HEAD + CELL
        for _ in range(16):
            yield os.urandom(MB).hex().encode()
        yield b"</t></is></c></row>" + SHEET_TAIL

    return workbook(path, sheet())


def many_strings(path: Path, count: int) -> Path:
    """`count` shared strings (a sheet pointing at the first), about 6 to 1.

    A block of 10,000 distinct entries (230 KB, beyond deflate's 32 KB window, so it compresses
    as distinct text) written again and again: quick to make, and counted as `count` entries.
    """
    block_size = min(count, 10_000)
    block = b"".join(b"<si><t>%d</t></si>" % (10_000_000 + n) for n in range(block_size))

    def strings():
        for _ in range(count // block_size):
            yield block
        yield block[: len(block) // block_size * (count % block_size)]

    sheet = [SHEET_HEAD + b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>' + SHEET_TAIL]
    return workbook(path, sheet, strings())


def styles_bomb(path: Path) -> Path:
    """15 MB of tiny formats (about 9 to 1): openpyxl parses the styles whole, an object per element."""
    workbook(path, [SHEET_HEAD + SHEET_TAIL])
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/styles.xml", "w", force_zip64=True) as styles,
    ):
        styles.write(f'{XML}<styleSheet xmlns="{MAIN}"><cellXfs>'.encode())
        for block in range(11):
            styles.write(b"".join(b'<xf numFmtId="%d"/>' % ((block * n) % 250) for n in range(70_000)))
        styles.write(b"</cellXfs></styleSheet>")
    return path


CHILD = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.utils import translation
    from amdesk.clients.imports.reader import UnusableFile, check_content, open_sheet

    translation.activate("zh-hans")
    path = sys.argv[1]
    try:
        check_content(path, "xlsx")
        for _ in open_sheet(path, "xlsx").rows():
            pass
        outcome = ""
    except UnusableFile as exc:
        outcome = str(exc)
    # The peak of this process's own memory (VmHWM, kB). Not ru_maxrss: Linux keeps it across the
    # exec, so it would count the pytest process this child was forked from.
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"refusal": outcome, "peak_mb": peak_kb / 1024}))
    """
)


def read_in_child(path: Path, **limits) -> dict:
    """Open the file as the worker does, in a child process; its refusal and its peak memory."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "amdesk.settings.test",
        **{name: str(value) for name, value in limits.items()},
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def is_chinese(text: str) -> bool:
    return sum("\u4e00" <= char <= "\u9fff" for char in text) >= 8


@pytest.mark.parametrize(
    ("build", "says"),
    [
        (ratio_bomb, "倍"),  # "…解压后是压缩大小的 N 倍（最多允许 100 倍）"
        (huge_sheet, "32767 个字符"),  # "文件中有单元格超过 32767 个字符…"
        (lambda path: many_strings(path, 4_100_000), "不同的文本超过 4000000 个"),
        (styles_bomb, "工作表和文本以外的内容"),  # "…（格式、图表等）有 15 MB，远超一份客户清单…"
    ],
    ids=["zip-bomb", "huge-sheet", "shared-strings", "styles"],
)
def test_each_kind_of_bomb_is_refused_in_bounded_memory(build, says, tmp_path):
    path = build(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 40 * MB  # small enough to pass the size check
    found = read_in_child(path)
    # Then the file is refused as a whole, in Chinese, without a row number the user would look for
    assert says in found["refusal"] and is_chinese(found["refusal"]), found
    assert "行号" not in found["refusal"] and "第" not in found["refusal"]
    # …and reading it never took the worker near the memory the old reader took (1–4 GB)
    assert found["peak_mb"] < PEAK_LIMIT_MB, found


def test_a_real_sized_list_is_read_within_the_bounds(tmp_path):
    """The bounds refuse bombs, not ordinary lists: 100,000 texts pass and are read."""
    path = many_strings(tmp_path / "list.xlsx", 100_000)
    found = read_in_child(path)
    assert found["refusal"] == "" and found["peak_mb"] < PEAK_LIMIT_MB


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("AMDESK_IMPORT_MAX_ZIP_RATIO", 2, "倍"),
        ("AMDESK_IMPORT_MAX_SHARED_STRINGS", 10, "不同的文本超过 10 个"),
        ("AMDESK_IMPORT_MAX_ROW_BYTES", 40, "KB"),
    ],
)
def test_the_bounds_are_settings(setting, value, says, settings, tmp_path):
    """Each bound is read from the settings (the environment: AMDESK_IMPORT_MAX_…)."""
    path = many_strings(tmp_path / "list.xlsx", 50_000)
    imports.check_content(path, "xlsx")  # passes the defaults
    setattr(settings, setting, value)
    with translation.override("zh-hans"), pytest.raises(UnusableFile, match=says):
        imports.check_content(path, "xlsx")


def test_a_cell_longer_than_excel_allows_is_refused(settings, tmp_path):
    settings.AMDESK_IMPORT_MAX_CELL_CHARS = 1000

    def sheet():
        yield (SHEET_HEAD + CELL + b"x" * 1001 + b"</t></is></c></row>")
        yield SHEET_TAIL

    path = workbook(tmp_path / "long.xlsx", sheet())
    imports.check_content(path, "xlsx")  # the bytes are within a row's bound…
    with translation.override("zh-hans"), pytest.raises(UnusableFile, match="1000 个字符"):
        list(imports.open_sheet(path, "xlsx").rows())  # …the cell is not


def test_a_csv_without_line_breaks_is_refused(settings, tmp_path):
    path = tmp_path / "one-line.csv"
    path.write_text("客户名称," + "x," * 400_000, encoding="utf-8")
    with translation.override("zh-hans"), pytest.raises(UnusableFile, match="KB"):
        list(imports.open_sheet(path, "csv").rows())


# The web request stores the file only: the worker opens it


@pytest.mark.django_db
def test_the_upload_request_never_parses_the_file(api_for, account_manager, settings, tmp_path, monkeypatch):
    settings.AMDESK_IMPORT_DIR = tmp_path / "imports"
    opened = []
    # The worker is not run here: the request alone is observed
    monkeypatch.setattr(
        "amdesk.clients.api.imports.queue_open",
        lambda job, then_apply=False: opened.append((job.pk, then_apply)),
    )
    path = ratio_bomb(tmp_path / "bomb.xlsx")
    with open(path, "rb") as stream:
        response = api_for(account_manager).post(
            "/api/v1/client-imports/", {"file": stream}, format="multipart"
        )
    # Then the request answers at once with a job being opened, and hands it to the worker
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "checking" and body["headers"] == []
    assert opened == [(body["id"], False)]
    # When the worker opens it, the job fails with the reason and the file is deleted
    job = imports.import_open(job=ImportJob.objects.get(pk=body["id"]))
    assert job.state == ImportJob.State.FAILED and "100" in job.message
    assert not (django_settings.AMDESK_IMPORT_DIR / job.file_path).exists()


@pytest.mark.django_db
def test_the_page_shows_the_refusal_of_a_bomb(account_manager, settings, tmp_path):
    from django.test import Client as Browser

    settings.AMDESK_IMPORT_DIR = tmp_path / "imports"
    browser = Browser()
    browser.force_login(account_manager)
    with open(ratio_bomb(tmp_path / "bomb.xlsx"), "rb") as stream:
        response = browser.post("/clients/import/", {"file": stream}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302
    page = browser.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="import-failed"' in page and "倍" in page


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_rows_are_measured_with_or_without_a_namespace_prefix(prefix, settings, tmp_path):
    settings.AMDESK_IMPORT_MAX_ROW_BYTES = 2048
    short = f'<{prefix}row r="2"><{prefix}c r="A2"><{prefix}v>1</{prefix}v></{prefix}c></{prefix}row>'
    cell = f"<{prefix}c><{prefix}v>1</{prefix}v></{prefix}c>"
    long = f'<{prefix}row r="3">' + cell * 200 + f"</{prefix}row>"
    head = f'{XML}<{prefix}worksheet xmlns{":x" if prefix else ""}="{MAIN}"><{prefix}sheetData>'
    tail = f"</{prefix}sheetData></{prefix}worksheet>"
    path = workbook(tmp_path / "ok.xlsx", [(head + short * 50 + tail).encode()])
    imports.check_content(path, "xlsx")  # many short rows: fine
    path = workbook(tmp_path / "wide.xlsx", [(head + short + long + short + tail).encode()])
    with translation.override("zh-hans"), pytest.raises(UnusableFile, match="2 KB"):
        imports.check_content(path, "xlsx")


@pytest.mark.django_db
def test_the_page_shows_the_file_being_opened_until_the_worker_is_done(
    account_manager, settings, tmp_path, monkeypatch
):
    from django.test import Client as Browser

    settings.AMDESK_IMPORT_DIR = tmp_path / "imports"
    monkeypatch.setattr("amdesk.clients.imports.views.queue_open", lambda job: None)  # no worker yet
    browser = Browser()
    browser.force_login(account_manager)
    with open(many_strings(tmp_path / "list.xlsx", 10), "rb") as stream:
        response = browser.post("/clients/import/", {"file": stream}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = browser.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "正在打开文件并查找表头行" in page and 'data-testid="import-progress"' in page
    assert "表头" not in page.split('data-testid="import-state"')[1].split("</p>")[0]


def renamed_parts(path: Path, sheet_part: str, strings_part: str, sheet: bytes, strings: bytes) -> Path:
    """A workbook whose sheet and shared strings live under other names, as their content types and
    the workbook's relationships allow (openpyxl reads them from there)."""
    content_types = CONTENT_TYPES.replace("/xl/worksheets/sheet1.xml", f"/{sheet_part}").replace(
        "/xl/sharedStrings.xml", f"/{strings_part}"
    )
    rels = WORKBOOK_RELS.replace('"worksheets/sheet1.xml"', f'"/{sheet_part}"').replace(
        '"sharedStrings.xml"', f'"/{strings_part}"'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr(sheet_part, sheet)
        archive.writestr(strings_part, strings)
    return path


def test_a_sheet_or_texts_stored_under_another_name_are_scanned_too(settings, tmp_path):
    """The bounds follow the parts openpyxl parses, not their names: a sheet outside xl/worksheets/
    (where a 15 MB row of cells once took the worker 600 MB) or texts not called sharedStrings.xml
    are held to the same bounds."""
    settings.AMDESK_IMPORT_MAX_ROW_BYTES = 2048
    settings.AMDESK_IMPORT_MAX_SHARED_STRINGS = 10
    short = b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    wide = b'<row r="3">' + b"<c><v>1</v></c>" * 200 + b"</row>"
    texts = STRINGS_HEAD + b"<si><t>a</t></si>" * 5 + b"</sst>"
    many_texts = STRINGS_HEAD + b"<si><t>a</t></si>" * 11 + b"</sst>"
    # Given such a workbook within the bounds, it is read as usual
    path = renamed_parts(
        tmp_path / "ok.xlsx", "xl/data/a.xml", "xl/t.xml", SHEET_HEAD + short + SHEET_TAIL, texts
    )
    imports.check_content(path, "xlsx")
    rows = list(imports.open_sheet(path, "xlsx").rows())
    assert rows == [(1, ["客户名称"]), (2, ["a"])]
    # When its sheet holds a row past the bound, or its texts are too many, it is refused before it is parsed
    wide_sheet = SHEET_HEAD + short + wide + SHEET_TAIL
    path = renamed_parts(tmp_path / "wide.xlsx", "xl/data/a.xml", "xl/t.xml", wide_sheet, texts)
    with translation.override("zh-hans"), pytest.raises(UnusableFile, match="2 KB"):
        imports.check_content(path, "xlsx")
    path = renamed_parts(
        tmp_path / "texts.xlsx", "xl/data/a.xml", "xl/t.xml", SHEET_HEAD + SHEET_TAIL, many_texts
    )
    with translation.override("zh-hans"), pytest.raises(UnusableFile, match="不同的文本超过 10 个"):
        imports.check_content(path, "xlsx")
