"""/api/v1/attachments/: the permission matrix (role × list / upload / get / download / delete) and
bad input answered with 400, never 500."""

import pytest
from django.core.files.storage import storages

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.attachments.factories import photo_jpeg, upload

pytestmark = pytest.mark.django_db

URL = "/api/v1/attachments/"

# Who may do what with the files of a visit made by `account_manager` (team TM1, led by `supervisor`,
# under the branch led by `branch_head`): R = list, get and download; W = upload; D = delete.
MATRIX = {
    "account_manager": {"read": 200, "upload": 201, "delete": 204},
    "supervisor": {"read": 200, "upload": 201, "delete": 204},
    "branch_head": {"read": 200, "upload": 201, "delete": 204},
    "admin": {"read": 200, "upload": 201, "delete": 204},
    "appraisal_admin": {"read": 200, "upload": 403, "delete": 403},
    "product_manager": {"read": 200, "upload": 403, "delete": 403},
    "team2_manager": {"read": 404, "upload": 404, "delete": 404},
    "other_manager": {"read": 404, "upload": 404, "delete": 404},
    "other_supervisor": {"read": 404, "upload": 404, "delete": 404},
}


def post_file(api, target, target_id, *, name="photo.jpg", data=None, category="onsite_photo"):
    return api.post(
        URL,
        {
            "target": target,
            "target_id": target_id,
            "category": category,
            "file": upload(name, data or photo_jpeg(32, 24)),
        },
        format="multipart",
    )


@pytest.mark.parametrize("role", list(MATRIX))
def test_permission_matrix_on_a_visits_files(request, role, account_manager, visit, api_for, attach):
    # Given a photo the account manager attached to his visit
    photo = attach(account_manager, "visit", visit)
    user = request.getfixturevalue(role)
    api = api_for(user)
    expected = MATRIX[role]

    # list, get, download
    listed = api.get(URL, {"target": "visit", "target_id": visit.pk})
    assert listed.status_code == expected["read"], listed.content
    if expected["read"] == 200:
        assert [row["id"] for row in listed.json()] == [photo.pk]
        assert listed.json()[0]["download_url"] == f"{URL}{photo.pk}/download/"
    assert api.get(f"{URL}{photo.pk}/").status_code == expected["read"]
    download = api.get(f"{URL}{photo.pk}/download/")
    assert download.status_code == expected["read"]
    if expected["read"] == 200:
        assert b"".join(download.streaming_content).startswith(b"\xff\xd8\xff")
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["X-Content-Type-Options"] == "nosniff"
        assert AuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_DOWNLOADED, actor=user).count() == 1

    # upload
    uploaded = post_file(api, "visit", visit.pk)
    assert uploaded.status_code == expected["upload"], uploaded.content

    # delete (the account manager's photo: the uploader, a supervisor above, the system admin)
    deleted = api.delete(f"{URL}{photo.pk}/", {"reason": "拍错了"}, format="json")
    assert deleted.status_code == expected["delete"], deleted.content


def test_the_id_copy_needs_personal_data_rights_and_is_audited(
    account_manager, product_manager, client_of_am, api_for, attach
):
    copy = attach(account_manager, "client", client_of_am, category="id_copy", name="王小明330106.jpg")
    listed = api_for(product_manager).get(URL, {"target": "client", "target_id": client_of_am.pk}).json()
    assert listed[0]["may_download"] is False and listed[0]["download_url"] is None
    assert listed[0]["name"] == "身份证复印件"  # the file's name may carry the ID number itself
    assert api_for(product_manager).get(f"{URL}{copy.pk}/download/").status_code == 403
    assert api_for(account_manager).get(f"{URL}{copy.pk}/download/").status_code == 200
    assert list(
        AuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_DOWNLOADED)
        .order_by("id")
        .values_list("result", flat=True)
    ) == ["denied", "success"]


def test_an_upload_is_stored_and_answered_with_its_facts(account_manager, ticket, api_for):
    response = post_file(
        api_for(account_manager), "ticket", ticket.pk, name="签字表单.pdf", data=None, category="signed_form"
    )
    assert response.status_code == 400  # a JPEG named .pdf
    assert "file" in response.json()["fields"]

    from tests.attachments.factories import slip_pdf

    response = post_file(
        api_for(account_manager),
        "ticket",
        ticket.pk,
        name="签字表单.pdf",
        data=slip_pdf(),
        category="signed_form",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "签字表单.pdf" and body["content_type"] == "application/pdf"
    assert body["category"]["code"] == "signed_form" and body["may_delete"] is True


@pytest.mark.parametrize(
    "params",
    [
        {"target": "visit", "target_id": "9" * 30},
        {"target": "visit", "target_id": "-1"},
        {"target": "visit", "target_id": "abc"},
        {"target": "letter", "target_id": "1"},
        {"target": "visit"},
        {},
    ],
)
def test_bad_list_parameters_are_a_400(account_manager, api_for, params):
    response = api_for(account_manager).get(URL, params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_bad_uploads_are_a_400(account_manager, visit, api_for):
    api = api_for(account_manager)
    assert (
        api.post(URL, {"target": "visit", "target_id": visit.pk, "category": "onsite_photo"}).status_code
        == 400
    )
    assert post_file(api, "visit", visit.pk, category="nonsense").status_code == 400
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = post_file(api, "visit", visit.pk, name="x.svg", data=svg)
    assert response.status_code == 400 and "file" in response.json()["fields"]
    assert post_file(api, "visit", 2**70).status_code == 400
    # nothing was stored by any of them
    assert not storages["attachments"].exists("visit")


def test_delete_needs_a_reason(account_manager, visit, api_for, attach):
    photo = attach(account_manager, "visit", visit)
    response = api_for(account_manager).delete(f"{URL}{photo.pk}/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    assert api_for(account_manager).get(f"{URL}{'9' * 30}/").status_code == 404
