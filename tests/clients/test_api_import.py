"""The import API: the page's import for scripts, each job visible to its uploader only."""

import pytest
from rest_framework.test import APIClient

from amdesk.clients.models import Client
from tests.clients.factories import make_client, resident_id
from tests.clients.import_files import xlsx_file

pytestmark = pytest.mark.django_db


def _post_file(api, path, **extra):
    with open(path, "rb") as stream:
        return api.post("/api/v1/client-imports/", {"file": stream, **extra}, format="multipart")


def test_upload_check_apply_and_read(api_for, account_manager, tmp_path):
    api = api_for(account_manager)
    path = xlsx_file(tmp_path / "a.xlsx", [["王芳", resident_id(), "13800138000", "", "三级", ""]])
    response = _post_file(api, path)
    assert response.status_code == 201
    job = response.json()
    assert job["state"] == "uploaded" and job["header_row"] == 2 and job["mapping"][0] == "name"
    response = api.post(f"/api/v1/client-imports/{job['id']}/check/", {"mapping": []}, format="json")
    assert response.status_code == 202
    assert api.get(f"/api/v1/client-imports/{job['id']}/").json()["state"] == "checked"
    response = api.post(f"/api/v1/client-imports/{job['id']}/apply/")
    assert response.status_code == 202
    done = api.get(f"/api/v1/client-imports/{job['id']}/").json()
    assert done["state"] == "done" and done["created"] == 1
    assert Client.objects.get(name="王芳").owner == account_manager
    assert [row["id"] for row in api.get("/api/v1/client-imports/").json()] == [job["id"]]


def test_auto_imports_a_valid_file_and_reports_a_bad_one(api_for, account_manager, tmp_path):
    api = api_for(account_manager)
    good = _post_file(
        api, xlsx_file(tmp_path / "g.xlsx", [["王芳", resident_id(), "13800138000", "", "", ""]]), auto=True
    )
    assert good.json()["state"] == "done"
    bad = _post_file(
        api, xlsx_file(tmp_path / "b.xlsx", [["李强", "123", "13800138001", "", "", ""]]), auto=True
    )
    body = bad.json()
    assert body["state"] == "rejected" and body["has_report"] and body["problems"][0]["row_no"] == 3
    report = api.get(f"/api/v1/client-imports/{body['id']}/report/")
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxmlformats")
    assert api.post(f"/api/v1/client-imports/{body['id']}/apply/").status_code == 400


def test_unusable_file_is_a_clear_400(api_for, account_manager, tmp_path):
    path = tmp_path / "list.xls"
    path.write_bytes(b"old excel")
    response = _post_file(api_for(account_manager), path)
    assert response.status_code == 400 and response.json()["code"] == "unusable_file"


def test_jobs_are_the_uploaders_only_and_act_in_his_scope(
    api_for, account_manager, team2_manager, other_manager, tmp_path
):
    outsider = make_client(other_manager, "赵敏")
    path = xlsx_file(tmp_path / "a.xlsx", [["赵敏", outsider.id_number, "13800138000", "", "", ""]])
    job = _post_file(api_for(account_manager), path, auto=True).json()
    # another user of the same team cannot read it, nor its report
    other = api_for(team2_manager)
    assert other.get(f"/api/v1/client-imports/{job['id']}/").status_code == 404
    assert other.post(f"/api/v1/client-imports/{job['id']}/apply/").status_code == 404
    assert other.get(f"/api/v1/client-imports/{job['id']}/report/").status_code == 404
    # the outsider's client is out of the importer's scope: rejected, untouched
    assert job["state"] == "rejected" and job["rejected"] == 1
    outsider.refresh_from_db()
    assert outsider.mobile != "13800138000"


def test_anonymous_is_refused(tmp_path):
    assert APIClient().get("/api/v1/client-imports/").status_code in (401, 403)
