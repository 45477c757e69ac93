"""The calendar in the admin (years, days, the notice import), on the admin's desk, and in the API."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from amdesk.core import calendar
from amdesk.core.audit_events import AuditEvent
from amdesk.core.calendar_models import CalendarDay, CalendarSettings, CalendarYear
from amdesk.core.calendar_services import calendar_notice_import
from amdesk.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "/api/v1/calendar/working-day/"


# --- API --------------------------------------------------------------------------------------


@pytest.fixture
def api_as():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_api_answers_5_october_2026(api_as, account_manager):
    response = api_as(account_manager).get(URL, {"date": "2026-10-05"})
    assert response.status_code == 200
    assert response.json() == {
        "date": "2026-10-05",
        "is_working_day": False,
        "next_working_day": "2026-10-08",
        "provisional": False,
    }


def test_api_marks_a_year_without_data_provisional(api_as, account_manager):
    body = api_as(account_manager).get(URL, {"date": "2030-10-01"}).json()
    assert body == {
        "date": "2030-10-01",
        "is_working_day": True,
        "next_working_day": "2030-10-01",
        "provisional": True,
    }


@pytest.mark.parametrize(
    "query", [{}, {"date": ""}, {"date": "2026-02-30"}, {"date": "05/10/2026"}, {"date": "1800-01-01"}]
)
def test_api_refuses_a_missing_or_invalid_date(api_as, account_manager, query):
    response = api_as(account_manager).get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["fields"]["date"]


def test_api_says_how_to_write_the_date(api_as, account_manager):
    body = api_as(account_manager).get(URL, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["fields"]["date"] == ["Give the date as ?date=YYYY-MM-DD, e.g. ?date=2026-10-05."]


def test_api_for_every_signed_in_role(api_as, everyone):
    for user in everyone:
        assert api_as(user).get(URL, {"date": "2026-10-10"}).json()["is_working_day"] is True


def test_api_needs_a_signed_in_user(db):
    assert APIClient().get(URL, {"date": "2026-10-05"}).status_code in (401, 403)


# --- Desk warning -----------------------------------------------------------------------------

WARNING = "2027 年的法定节假日尚未录入，到期日按周末推算（暂定）"


@pytest.fixture
def late_2026():
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


def test_desk_warns_the_admin_about_a_year_without_holidays(late_2026, admin, client_for):
    page = client_for(admin).get("/").content.decode()
    assert WARNING in page
    assert "/admin/core/calendaryear/import/" in page


def test_desk_does_not_warn_an_account_manager(late_2026, account_manager, client_for):
    page = client_for(account_manager).get("/").content.decode()
    assert "法定节假日尚未录入" not in page


def test_no_warning_once_the_year_is_entered(late_2026, admin, client_for):
    calendar_notice_import(actor=admin, year=2027, text="2027-01-01,元旦,休")
    assert "法定节假日尚未录入" not in client_for(admin).get("/").content.decode()


def test_warning_horizon_is_a_setting(admin, client_for):
    settings = CalendarSettings.current()
    settings.warn_days_ahead = 30
    settings.save()
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert "法定节假日尚未录入" not in client_for(admin).get("/").content.decode()
    with time_machine.travel(datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert WARNING in client_for(admin).get("/").content.decode()


# --- Admin ------------------------------------------------------------------------------------


def test_admin_lists_years_and_offers_the_import(admin, client_for):
    page = client_for(admin).get("/admin/core/calendaryear/")
    assert page.status_code == 200
    assert "/admin/core/calendaryear/import/" in page.content.decode()


def test_admin_imports_pasted_lines(admin, client_for):
    response = client_for(admin).post(
        "/admin/core/calendaryear/import/",
        {"year": "2027", "text": "2027-01-01,元旦,休\n2027-02-07,春节调休,班\n", "note": "国办发明电"},
    )
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.official and year.note == "国办发明电" and year.days.count() == 2
    assert not calendar.answer(date(2027, 2, 7)).provisional
    assert AuditEntry.objects.filter(event=AuditEvent.CALENDAR_CHANGED, actor=admin, ip="127.0.0.1").exists()


def test_admin_import_names_the_wrong_line_in_chinese_and_saves_nothing(admin, client_for):
    response = client_for(admin).post(
        "/admin/core/calendaryear/import/",
        {"year": "2027", "text": "2027-01-01,元旦,休\n2027-13-01,春节,休\n", "note": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 2 行" in page and "2027-13-01" in page
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_admin_imports_an_uploaded_gbk_csv(admin, client_for):
    upload = SimpleUploadedFile("2027.csv", "日期,名称,类型\n2027-10-01,国庆节,休\n".encode("gbk"))
    response = client_for(admin).post(
        "/admin/core/calendaryear/import/", {"year": "2027", "text": "", "file": upload, "note": ""}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2027, 10, 1)).name == "国庆节"


def test_account_manager_cannot_reach_the_import(account_manager, client_for):
    response = client_for(account_manager).get("/admin/core/calendaryear/import/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_edits_a_day_inline_and_it_is_audited(admin, client_for):
    year = CalendarYear.objects.get(year=2026)
    days = list(year.days.order_by("date"))
    form = {
        "year": "2026",
        "official": "on",
        "note": year.note,
        "days-TOTAL_FORMS": str(len(days) + 1),
        "days-INITIAL_FORMS": str(len(days)),
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for i, day in enumerate(days):
        form.update(
            {
                f"days-{i}-id": str(day.pk),
                f"days-{i}-calendar_year": str(year.pk),
                f"days-{i}-date": day.date.isoformat(),
                f"days-{i}-name": day.name,
            }
        )
        if day.is_working_day:
            form[f"days-{i}-is_working_day"] = "on"
        if day.date == date(2026, 10, 7):
            form[f"days-{i}-DELETE"] = "on"
    new = len(days)
    form.update(
        {
            f"days-{new}-calendar_year": str(year.pk),
            f"days-{new}-date": "2026-12-31",
            f"days-{new}-name": "行内假日",
        }
    )
    assert calendar.is_working_day(date(2026, 12, 31))
    response = client_for(admin).post(f"/admin/core/calendaryear/{year.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert calendar.is_working_day(date(2026, 10, 7))
    assert not calendar.is_working_day(date(2026, 12, 31))
    details = list(
        AuditEntry.objects.filter(event=AuditEvent.CALENDAR_CHANGED).values_list("detail", flat=True)
    )
    assert {"date": "2026-10-07", "name": "国庆节", "deleted": True} in details
    assert any(detail.get("date") == "2026-12-31" and detail.get("created") for detail in details)


def test_calendar_settings_is_a_singleton(admin, client_for):
    client = client_for(admin)
    response = client.get("/admin/core/calendarsettings/")
    assert response.status_code == 302
    response = client.post(response["Location"], {"warn_days_ahead": "60"})
    assert response.status_code == 302
    assert CalendarSettings.current().warn_days_ahead == 60
    assert AuditEntry.objects.filter(
        event=AuditEvent.CALENDAR_CHANGED, detail__settings__warn_days_ahead="60"
    ).exists()


def test_admin_adds_a_year_with_its_days_and_a_day_outside_it_is_refused(admin, client_for):
    form = {
        "year": "2031",
        "official": "",
        "note": "",
        "days-TOTAL_FORMS": "2",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2031-01-01",
        "days-0-name": "元旦",
        "days-1-date": "2032-01-01",
        "days-1-name": "元旦",
    }
    client = client_for(admin)
    response = client.post("/admin/core/calendaryear/add/", form)
    assert response.status_code == 200
    assert "日期须在 2031 年内" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2031).exists()
    form.update({"days-TOTAL_FORMS": "1"})
    assert client.post("/admin/core/calendaryear/add/", form).status_code == 302
    assert not calendar.is_working_day(date(2031, 1, 1))  # a Wednesday, entered as a holiday
    assert calendar.answer(date(2031, 1, 1)).provisional  # the year is not marked official yet
