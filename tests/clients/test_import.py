"""Client import: files as people make them, row-level problems, nothing written on a bad row."""

import pytest

from amdesk.clients.models import Client, ClientChange, ClientOwnership, ClientSearchKey, ImportRow
from amdesk.core.models import AuditEntry
from tests.clients.factories import resident_id
from tests.clients.import_files import csv_file, run_import, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.AMDESK_IMPORT_DIR = tmp_path / "imports"
    return settings.AMDESK_IMPORT_DIR


def test_xlsx_with_title_row_creates_clients(account_manager, tmp_path):
    # Given a list with a merged title row above the header, full-width digits and spaces
    id1, id2 = resident_id(), resident_id()
    path = xlsx_file(
        tmp_path / "list.xlsx",
        [
            ["王 芳", id1, "１３８００１３８０００", account_manager.employee_no, "三级", "老客户"],
            ["李强", id2, " 139-0013-9000 ", "", "1", ""],
        ],
    )
    # When the account manager imports it
    job = run_import(account_manager, path)
    # Then both clients are his, cleaned, searchable and in the audit log
    assert job.state == job.State.DONE, job.message
    assert (job.created, job.updated, job.unchanged, job.rejected) == (2, 0, 0, 0)
    wang = Client.objects.get(id_number=id1)
    assert wang.name == "王芳" and wang.mobile == "13800138000" and wang.grade.rank == 3
    assert wang.owner == account_manager and wang.org_node == account_manager.org_node
    assert wang.birth_date is not None and wang.remarks == "老客户"
    assert Client.objects.get(id_number=id2).mobile == "13900139000"
    assert ClientOwnership.objects.filter(client=wang, how="import", ended_at=None).exists()
    assert ClientSearchKey.objects.filter(client=wang, key="i:wf").exists()
    assert wang.completeness > 0
    entry = AuditEntry.objects.filter(event="client.imported").latest("id")
    assert entry.detail["created"] == 2 and entry.detail["sha256"] == job.file_sha256
    assert not ImportRow.objects.filter(job=job).exists()


def test_reimport_changes_nothing_and_updates_by_id(account_manager, tmp_path):
    id1 = resident_id()
    rows = [["王芳", id1, "13800138000", account_manager.employee_no, "三级", ""]]
    run_import(account_manager, xlsx_file(tmp_path / "a.xlsx", rows))
    version = Client.objects.get(id_number=id1).version
    again = run_import(account_manager, xlsx_file(tmp_path / "b.xlsx", rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Client.objects.get(id_number=id1).version == version
    rows[0][2] = "13900139000"
    changed = run_import(account_manager, csv_file(tmp_path / "c.csv", rows, encoding="gbk"))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 0), changed.message
    client = Client.objects.get(id_number=id1)
    assert client.mobile == "13900139000" and client.version == version + 1
    change = ClientChange.objects.get(client=client, field="mobile")
    assert (
        change.old_value == "138****8000" and change.new_value == "139****9000" and change.source == "import"
    )
    assert ClientSearchKey.objects.filter(client=client, key="m:9000").exists()
    assert not ClientSearchKey.objects.filter(client=client, key="m:8000").exists()


def test_one_bad_row_writes_nothing_and_reports_every_problem(account_manager, other_manager, tmp_path):
    rows = [
        ["王芳", resident_id(), "13800138000", "", "", ""],
        ["李强", "110105194912310021", "12345", "", "六级", ""],
        ["赵敏", resident_id(), "13700137000", other_manager.employee_no, "", ""],
    ]
    job = run_import(account_manager, xlsx_file(tmp_path / "bad.xlsx", rows))
    assert job.state == job.State.REJECTED
    assert Client.objects.count() == 0
    problems = {(p.row_no, p.column) for p in job.problems.all()}
    assert {(4, "身份证号码"), (4, "手机号码"), (4, "客户等级"), (5, "客户经理工号")} <= problems
    import openpyxl
    from django.conf import settings

    report = openpyxl.load_workbook(settings.AMDESK_IMPORT_DIR / job.report_path)
    sheet = report.active
    values = list(sheet.values)
    assert values[0][-1] == "错误原因" and len(values) == 4
    assert values[1][-1] is None and "手机号码" in values[2][-1]


def test_page_journey_upload_map_check_import(client_for, account_manager, tmp_path):
    web = client_for(account_manager)
    path = xlsx_file(
        tmp_path / "list.xlsx",
        [["王芳", resident_id(), "13800138000", "", "三级", "来自展会"]],
        header=["姓名", "身份证号", "联系电话", "管户人工号", "客户等级", "内部标记"],
    )
    with open(path, "rb") as stream:
        response = web.post("/clients/import/", {"file": stream})
    assert response.status_code == 302
    page = web.get(response["Location"])
    body = page.content.decode()
    # The recognised headers are mapped; the unknown one waits for the user.
    assert 'name="col-0"' in body and "王芳" in body
    job = page.context["job"]
    assert job.mapping[:5] == ["name", "id_number", "mobile", "owner", "grade"] and job.mapping[5] == ""
    mapping = {f"col-{i}": field for i, field in enumerate(job.mapping)} | {"col-5": "remarks"}
    response = web.post(f"/clients/import/{job.pk}/", mapping)
    assert response.status_code == 302
    page = web.get(response["Location"])
    assert page.context["job"].state == "checked"
    response = web.post(f"/clients/import/{job.pk}/apply/")
    page = web.get(response["Location"])
    assert page.context["job"].state == "done"
    assert Client.objects.get(name="王芳").remarks == "来自展会"


def test_mapping_the_same_field_twice_is_refused_and_kept(client_for, account_manager, tmp_path):
    web = client_for(account_manager)
    path = xlsx_file(tmp_path / "list.xlsx", [["王芳", resident_id(), "13800138000", "", "", ""]])
    with open(path, "rb") as stream:
        job_url = web.post("/clients/import/", {"file": stream})["Location"]
    response = web.post(job_url, {"col-0": "name", "col-1": "name", "col-2": "mobile"})
    assert response.status_code == 400
    assert "客户名称" in response.context["error"]
    assert [c["field"] for c in response.context["columns"]][:3] == ["name", "name", "mobile"]


def test_someone_elses_import_is_not_found(client_for, account_manager, team2_manager, tmp_path):
    path = xlsx_file(tmp_path / "list.xlsx", [["王芳", resident_id(), "13800138000", "", "", ""]])
    web = client_for(account_manager)
    with open(path, "rb") as stream:
        job_url = web.post("/clients/import/", {"file": stream})["Location"]
    assert client_for(team2_manager).get(job_url).status_code == 404


def _cli(*args):
    """Run `amdesk import-clients` as a user would; returns (exit code, stdout, stderr)."""
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-clients", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_cli_exit_codes_dry_run_skip_invalid_and_errors_out(account_manager, tmp_path):
    import openpyxl

    good, bad = resident_id(), "110105194912310021"
    rows = [["王芳", good, "13800138000", "", "", ""], ["李强", bad, "13900139000", "", "", ""]]
    path = xlsx_file(tmp_path / "list.xlsx", rows)
    # A dry run writes nothing and says the row is wrong
    code, out, err = _cli(path, "--as", account_manager.username, "--dry-run")
    assert code == 1 and Client.objects.count() == 0 and "110105194912310021" not in out
    # All or nothing: exit 1, nothing written, the report holds both rows
    report = tmp_path / "errors.xlsx"
    code, out, err = _cli(path, "--as", account_manager.username, "--errors-out", report)
    assert code == 1 and Client.objects.count() == 0
    assert len(list(openpyxl.load_workbook(report).active.values)) == 3
    # --skip-invalid imports the good row; the report holds only the bad one
    code, out, err = _cli(path, "--as", account_manager.username, "--skip-invalid", "--errors-out", report)
    assert code == 1 and list(Client.objects.values_list("id_number", flat=True)) == [good]
    values = list(openpyxl.load_workbook(report).active.values)
    assert len(values) == 2 and values[1][1] == bad
    # The valid file imports with exit code 0
    code, out, err = _cli(xlsx_file(tmp_path / "ok.xlsx", rows[:1]), "--as", account_manager.username)
    assert code == 0 and "1" in out


def test_cli_unusable_file_and_mapping(account_manager, tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    code, _, err = _cli(tmp_path / "old.xls", "--as", account_manager.username)
    assert code == 2 and ".xlsx" in err
    path = csv_file(tmp_path / "own.csv", [["王芳", "13800138000", "x"]], header=["户主", "电话", "杂项"])
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"户主": "name", "杂项": ""}', encoding="utf-8")
    code, out, err = _cli(path, "--as", account_manager.username, "--mapping", mapping)
    assert code == 0, err
    assert Client.objects.get(name="王芳").mobile == "13800138000"
    code, _, err = _cli(path, "--as", "nobody")
    assert code == 2


def test_page_refuses_a_too_large_upload_before_storing_it(client_for, account_manager, settings, tmp_path):
    settings.AMDESK_IMPORT_MAX_BYTES = 1024
    path = csv_file(tmp_path / "big.csv", [["王芳" * 200, resident_id(), "13800138000", "", "", ""]] * 100)
    with open(path, "rb") as stream:
        response = client_for(account_manager).post("/clients/import/", {"file": stream})
    assert response.status_code == 413
    assert "MB" in response.content.decode()
    assert not any(settings.AMDESK_IMPORT_DIR.glob("**/*.csv"))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_edited_export_imports_back_by_client_number(client_for, account_manager, tmp_path, fmt):
    import io

    import openpyxl

    from tests.clients.factories import make_client

    # Given an account manager's export (ID numbers and mobiles masked in it)
    client = make_client(account_manager, "王芳", address="旧地址", remarks="=SUM(1)")
    web = client_for(account_manager)
    response = web.get(f"/clients/export/?format={fmt}")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    path = tmp_path / f"export.{fmt}"
    # When he changes the address in it and imports it back
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        sheet = workbook.active
        headers = [cell.value for cell in sheet[1]]
        sheet.cell(row=2, column=headers.index("地址") + 1, value="杭州市新地址1号")
        workbook.save(path)
    else:
        text = content.decode("utf-8-sig").replace("旧地址", "杭州市新地址1号")
        path.write_text(text, encoding="utf-8-sig")
    job = run_import(account_manager, path)
    # Then only the address changed: masked values and the quoted remark left the client alone
    assert (job.state, job.updated, job.created, job.rejected) == ("done", 1, 0, 0), list(job.problems.all())
    client.refresh_from_db()
    assert client.address == "杭州市新地址1号" and client.remarks == "=SUM(1)"
    assert set(
        ClientChange.objects.filter(client=client, source="import").values_list("field", flat=True)
    ) == {"address"}


def test_the_template_example_row_is_refused(account_manager, tmp_path):
    from amdesk.clients.columns import BY_FIELD

    example = ["张伟", BY_FIELD["id_number"].example, "13800138000", "", "", ""]
    job = run_import(account_manager, xlsx_file(tmp_path / "t.xlsx", [example]))
    from django.utils.translation import gettext

    problem = job.problems.get()
    assert job.state == "rejected" and problem.message == gettext(
        "This is the template's example row: delete it."
    )


def test_the_desk_lists_the_importers_rejected_imports_only(
    client_for, account_manager, team2_manager, tmp_path
):
    bad = [["李强", "110105194912310021", "13800138001", "", "", ""]]
    job = run_import(account_manager, xlsx_file(tmp_path / "待改.xlsx", bad))
    assert job.state == "rejected"
    desk = client_for(account_manager).get("/").content.decode()
    assert "待改.xlsx" in desk and f"/clients/import/{job.pk}/" in desk
    assert "待改.xlsx" not in client_for(team2_manager).get("/").content.decode()
    # once its valid rows are imported (none here) or it is corrected elsewhere it leaves the desk
    job.state = job.State.DONE
    job.save()
    assert "待改.xlsx" not in client_for(account_manager).get("/").content.decode()
