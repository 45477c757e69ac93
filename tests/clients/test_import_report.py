"""The import error report: what each downloader sees, the audit of every download, and the
retention of staged rows and files (purged after AMDESK_IMPORT_RETENTION_DAYS)."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.management import call_command

from amdesk.clients.imports import services as imports
from amdesk.clients.models import ImportJob, ImportRow
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.clients.factories import resident_id
from tests.clients.import_files import run_import, upload, xlsx_file

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
UPLOADED_AT = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def rejected(account_manager, tmp_path):
    """An all-or-nothing import with one bad row: the report holds both rows as uploaded."""
    good_id = resident_id()
    path = xlsx_file(
        tmp_path / "list.xlsx",
        [["王芳", good_id, "13800138000", "", "", ""], ["李强", "123", "13900139000", "", "", ""]],
    )
    job = run_import(account_manager, path)
    assert job.state == ImportJob.State.REJECTED
    return job, good_id


def report_cells(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def downloads() -> list[dict]:
    entries = AuditEntry.objects.filter(event=AuditEvent.CLIENTS_EXPORTED).order_by("id")
    return [entry.detail | {"user": entry.username} for entry in entries]


def test_the_importer_gets_his_own_values_and_the_download_is_audited(rejected, api_for, account_manager):
    job, good_id = rejected
    response = api_for(account_manager).get(f"/api/v1/client-imports/{job.pk}/report/")
    assert response.status_code == 200
    rows = report_cells(body(response))
    # Then the cells are as he uploaded them: the corrected report imports again
    assert rows[0][:3] == ["王芳", good_id, "13800138000"]
    assert [entry["masked"] for entry in downloads()] == [False]
    assert downloads()[0]["what"] == "import_report" and downloads()[0]["channel"] == "api"
    assert downloads()[0]["import"] == job.pk and downloads()[0]["user"] == account_manager.username


def test_a_column_left_out_of_the_import_is_not_in_his_supervisors_report(
    account_manager, client_for, supervisor, tmp_path
):
    # Given an import whose ID numbers the importer chose not to bring in (column left unmapped)
    good_id = resident_id()
    path = xlsx_file(
        tmp_path / "list.xlsx",
        [["王芳", good_id, "13800138000", "", "", "老客户"], ["李强", resident_id(), "123", "", "", ""]],
    )
    job = imports.import_set_mapping(
        actor=account_manager,
        job=upload(account_manager, path),
        mapping=["name", "", "mobile", "", "", "remarks"],
        skip_invalid=False,
    )
    job = imports.import_check(job=job)
    assert job.state == ImportJob.State.REJECTED
    # When his supervisor downloads the report
    response = client_for(supervisor).get(f"/clients/import/{job.pk}/report/")
    rows = report_cells(body(response))
    # Then the ID numbers, which never reached the archive, are not in it; the imported columns are
    name, id_number, mobile = rows[0][:3]
    assert (name, id_number, mobile) == ("王芳", None, "138****8000")
    assert rows[0][5] == "老客户" and all(row[1] is None for row in rows)


def test_his_supervisor_gets_the_report_masked(rejected, client_for, supervisor):
    job, good_id = rejected
    response = client_for(supervisor).get(f"/clients/import/{job.pk}/report/")
    assert response.status_code == 200
    rows = report_cells(body(response))
    name, id_number, mobile = rows[0][:3]
    assert name == "王芳" and id_number != good_id and "*" in id_number and id_number[:3] == good_id[:3]
    assert mobile == "138****8000"
    assert rows[1][1] == "***"  # a short value is starred whole
    assert [(entry["masked"], entry["channel"]) for entry in downloads()] == [(True, "web")]


@pytest.mark.parametrize("viewer", ["team2_manager", "other_supervisor"])
def test_nobody_else_reaches_the_report(request, rejected, api_for, viewer):
    job, _ = rejected
    response = api_for(request.getfixturevalue(viewer)).get(f"/api/v1/client-imports/{job.pk}/report/")
    assert response.status_code == 404
    assert downloads() == []


def test_the_command_writes_the_importers_report_and_audits_it(account_manager, tmp_path):
    path = xlsx_file(tmp_path / "bad.xlsx", [["李强", "123", "13900139000", "", "", ""]])
    out = tmp_path / "report.xlsx"
    with pytest.raises(SystemExit):
        call_command("import-clients", str(path), "--as", account_manager.username, "--errors-out", str(out))
    assert report_cells(out.read_bytes())[0][:3] == ["李强", "123", "13900139000"]
    assert [(entry["masked"], entry["channel"]) for entry in downloads()] == [(False, "cli")]


# Retention


def folder_of(job: ImportJob):
    return imports.job_dir(job)


def test_a_job_left_rejected_is_purged_after_the_retention_period(
    account_manager, tmp_path, settings, time_machine
):
    settings.AMDESK_IMPORT_RETENTION_DAYS = 7
    time_machine.move_to(UPLOADED_AT, tick=False)
    path = xlsx_file(tmp_path / "list.xlsx", [["李强", "123", "13900139000", "", "", ""]])
    job = run_import(account_manager, path)
    folder = folder_of(job)
    assert ImportRow.objects.filter(job=job).exists() and (folder / "report.xlsx").exists()
    # Six days on, nothing is touched
    time_machine.move_to(UPLOADED_AT + timedelta(days=6, hours=23), tick=False)
    assert imports.imports_purge() == 0
    assert ImportRow.objects.filter(job=job).exists() and folder.exists()
    # Past seven days, the staged rows, the file and the report are gone; the job says why
    time_machine.move_to(UPLOADED_AT + timedelta(days=7, minutes=1), tick=False)
    assert imports.imports_purge() == 1
    job.refresh_from_db()
    assert not ImportRow.objects.filter(job=job).exists() and not folder.exists()
    assert job.state == ImportJob.State.FAILED and "7" in job.message
    assert imports.report_file(job) is None and job.problems.exists()  # the problems stay
    # A second run finds nothing more to do
    assert imports.imports_purge() == 0


def test_a_finished_job_is_kept_from_its_end_and_the_command_purges_it(
    account_manager, tmp_path, settings, time_machine, api_for
):
    settings.AMDESK_IMPORT_RETENTION_DAYS = 3
    time_machine.move_to(UPLOADED_AT, tick=False)
    rows = [["王芳", resident_id(), "13800138000", "", "", ""], ["李强", "123", "13900139000", "", "", ""]]
    job = run_import(account_manager, xlsx_file(tmp_path / "list.xlsx", rows), skip_invalid=True)
    assert job.state == ImportJob.State.DONE and job.created == 1
    folder = folder_of(job)
    time_machine.move_to(UPLOADED_AT + timedelta(days=2), tick=False)
    call_command("purge-imports")
    assert (folder / "report.xlsx").exists()
    time_machine.move_to(UPLOADED_AT + timedelta(days=3, minutes=1), tick=False)
    out = io.StringIO()
    call_command("purge-imports", stdout=out)
    assert "1" in out.getvalue() and not folder.exists()
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.created == 1  # the outcome stays
    assert api_for(account_manager).get(f"/api/v1/client-imports/{job.pk}/report/").status_code == 404


def test_the_retention_is_seven_days_by_default():
    from django.conf import settings

    assert settings.AMDESK_IMPORT_RETENTION_DAYS == 7
