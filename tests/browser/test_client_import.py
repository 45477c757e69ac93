"""The import's main journey, in the browser.

An account manager uploads a fair list with a title row and an unknown column; he maps that
column, checks the rows and is told one mobile is wrong, so nothing was imported. He downloads the
report, corrects the row in it, imports the report itself, and finds the new clients in his list.
"""

import openpyxl
import pytest

from amdesk.clients.models import Client
from tests.browser.test_client_archive import sign_in
from tests.clients.factories import resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_map_fix_report_and_import(live_server, page, account_manager, tmp_path):
    base = live_server.url
    ids = [resident_id() for _ in range(3)]
    source = tmp_path / "展会客户.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["理财博览会客户名单"])
    sheet.merge_cells("A1:D1")
    sheet.append(["客户姓名", "身份证号", "联系电话", "我们的记录"])
    sheet.append(["许文静", ids[0], "13812340001", "想了解定投"])
    sheet.append(["陈立", ids[1], "1381234", "周末有空"])  # the mobile lost its last digits
    sheet.append(["周美玲", ids[2], "13812340003", ""])
    workbook.save(source)

    # The account manager opens the import from his client list and uploads the file
    sign_in(page, base, "am")
    page.goto(f"{base}/clients/")
    page.get_by_test_id("import-link").click()
    page.get_by_test_id("import-upload-form").locator("input[type=file]").set_input_files(str(source))
    page.get_by_test_id("import-upload").click()

    # The header below the title row is found; the known columns are mapped, he maps the last one
    assert page.get_by_test_id("map-0").input_value() == "name"
    assert page.get_by_test_id("map-2").input_value() == "mobile"
    assert page.get_by_test_id("map-3").input_value() == ""
    assert "许文静" in page.get_by_test_id("import-preview").inner_text()
    page.get_by_test_id("map-3").select_option("remarks")
    page.get_by_test_id("import-check").click()

    # One bad row: nothing imported, the row and the reason are shown
    page.get_by_test_id("import-rejected").wait_for()
    problems = page.get_by_test_id("import-problems").inner_text()
    assert "4\t联系电话" in problems  # the row number Excel shows
    assert Client.objects.count() == 0

    # He downloads the report, corrects the mobile in it and imports the report itself
    with page.expect_download() as download:
        page.get_by_test_id("import-report").click()
    report = tmp_path / "report.xlsx"
    download.value.save_as(report)
    fixed = openpyxl.load_workbook(report)
    rows = fixed.active
    for row in rows.iter_rows(min_row=2):
        if row[0].value == "陈立":
            row[2].value = "13812340002"
    fixed.save(report)
    page.goto(f"{base}/clients/import/")
    page.get_by_test_id("import-upload-form").locator("input[type=file]").set_input_files(str(report))
    page.get_by_test_id("import-upload").click()
    page.get_by_test_id("map-3").select_option("remarks")
    page.get_by_test_id("import-check").click()
    assert page.get_by_test_id("count-created").inner_text() == "3"
    page.get_by_test_id("import-apply").click()
    page.get_by_test_id("import-done").wait_for()

    # The new clients are his, with what the file said
    page.goto(f"{base}/clients/?q=chenli")
    assert "陈立" in page.content()
    chen = Client.objects.get(id_number=ids[1])
    assert chen.owner == account_manager and chen.mobile == "13812340002" and chen.remarks == "周末有空"
