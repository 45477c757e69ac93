"""Demo imports: client lists an account manager brought back from a fair, as people make them.

One imported cleanly (new prospects, with the history that says so); one is waiting for
corrections (a mistyped ID, a short mobile, a duplicate row), with its report ready to download;
one, on the branch's own form, waits at the mapping step with the reason of each column's guess.
Both go through the real import services, so the demo shows exactly what a user gets.
"""

import csv
import io
import random
from datetime import date

import openpyxl

from amdesk.clients.imports import services
from amdesk.orgs.models import Staff

from .clients import _resident_id
from .names import mobile, person_name

CLEAN_ROWS = 12  # clients the demo's clean import creates
HEADER = ["序号", "客户姓名", "身份证号", "联系电话", "客户阶段", "客户分层", "备注"]


def _rows(rng: random.Random, today: date, count: int) -> list[list]:
    rows = []
    for number in range(1, count + 1):
        id_number = _resident_id(rng, today)[0]
        tier = rng.choice(["一般", "重点"])
        rows.append([number, person_name(rng), id_number, mobile(rng), "准客户", tier, "理财博览会"])
    return rows


def build_imports(*, rng: random.Random, today: date, owner: Staff) -> list:
    # A clean list as CSV from a phone's spreadsheet app (UTF-8), imported at once.
    clean = _rows(rng, today, CLEAN_ROWS)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerows(clean)
    done = services.import_upload(
        actor=owner, upload=io.BytesIO(text.getvalue().encode("utf-8-sig")), file_name="理财博览会客户.csv"
    )
    done = services.import_check(job=done)
    done = services.import_apply(job=done)
    # An .xlsx with a merged title row and mistakes: checked, rejected, waiting for corrections.
    rows = _rows(rng, today, 8)
    rows[2][2] = rows[2][2][:-1] + ("0" if rows[2][2][-1] != "0" else "1")  # a mistyped check digit
    rows[4][3] = rows[4][3][:8]  # a mobile missing its last digits
    rows[6][2] = rows[1][2]  # the same person twice
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["社区活动客户登记表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    waiting = services.import_upload(actor=owner, upload=data, file_name="社区活动客户登记表.xlsx")
    waiting = services.import_check(job=waiting)
    # A branch's own form, left at the mapping step: headers with qualifiers and alternatives, and
    # 客户类型 holding lifecycle words; the mapping page says why each column was mapped.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["客户姓名（必填）", "证件号码(身份证)", "手机号码/联系电话", "客户类型", "备注（选填）"])
    stages = ["准客户", "已成交客户", "影响力中心"]
    for number, row in enumerate(_rows(rng, today, 6)):
        sheet.append([row[1], row[2], row[3], stages[number % 3], "网点登记"])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    mapping = services.import_upload(actor=owner, upload=data, file_name="网点客户登记表.xlsx")
    return [done, waiting, mapping]
