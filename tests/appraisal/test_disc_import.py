"""Import of DISC profiles: row-by-row errors in Chinese, nothing half-saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from amdesk.appraisal.models import DiscProfile

pytestmark = pytest.mark.django_db

HEADER = "工号,候选人,测评日期,内在D,内在I,内在S,内在C,外在D,外在I,外在S,外在C\n"


def _csv(text: str, name="disc.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_valid_csv_is_imported(client_for, appraisal_admin, account_manager):
    body = (
        HEADER
        + f"{account_manager.employee_no},,2026-03-01,30,70,40,50,31,71,41,51\n"
        + ",候选人甲,,10,20,30,40,11,21,31,41\n"
    )

    response = client_for(appraisal_admin).post(reverse("appraisal:disc-import"), {"file": _csv(body)})

    assert response.status_code == 302
    saved = DiscProfile.objects.get(staff=account_manager)
    assert saved.outer == {"D": 31, "I": 71, "S": 41, "C": 51}
    assert DiscProfile.objects.filter(candidate_name="候选人甲").exists()


def test_a_file_with_bad_rows_saves_nothing_and_names_each_row(client_for, appraisal_admin):
    body = (
        HEADER
        + ",候选人甲,,10,20,30,40,11,21,31,41\n"
        + "99999999,,,10,20,30,40,11,21,31,41\n"
        + ",候选人乙,,10,20,30,400,11,21,31,41\n"
    )

    response = client_for(appraisal_admin).post(reverse("appraisal:disc-import"), {"file": _csv(body)})

    page = response.content.decode()
    assert response.status_code == 400
    assert "没有工号为 99999999 的员工" in page
    assert "C 的分数必须在 0 到 100 之间" in page
    assert not DiscProfile.objects.exists()


def test_an_xlsx_is_imported(client_for, appraisal_admin):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append([None, "候选人丙", None, 10, 20, 30, 40, 11, 21, 31, 41])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("disc.xlsx", data.getvalue())

    response = client_for(appraisal_admin).post(reverse("appraisal:disc-import"), {"file": upload})

    assert response.status_code == 302
    assert DiscProfile.objects.get(candidate_name="候选人丙").inner == {"D": 10, "I": 20, "S": 30, "C": 40}


def test_import_is_for_the_appraisal_admin_only(client_for, supervisor):
    body = HEADER + ",候选人甲,,10,20,30,40,11,21,31,41\n"

    assert (
        client_for(supervisor).post(reverse("appraisal:disc-import"), {"file": _csv(body)}).status_code == 403
    )
    assert not DiscProfile.objects.exists()
