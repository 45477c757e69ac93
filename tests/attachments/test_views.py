"""The attachments panel (htmx), the audited download and the delete on the pages."""

import pytest

from amdesk.attachments.models import Attachment
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.attachments.factories import jpeg_with_gps, upload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_visit_page_loads_the_panel_with_a_camera_input(account_manager, visit, client_for):
    browser = client_for(account_manager)
    page = browser.get(f"/visits/{visit.pk}/").content.decode()
    assert f'hx-get="/attachments/visit/{visit.pk}/"' in page
    panel = browser.get(f"/attachments/visit/{visit.pk}/", **HTMX).content.decode()
    assert 'capture="environment"' in panel and 'accept="image/*"' in panel
    # an on-site photo is what a visit usually gets: preselected
    assert "selected>现场照片" in panel


@pytest.mark.parametrize(
    ("kind", "page"),
    [("client", "/clients/{}/"), ("ticket", "/service/{}/"), ("inspection", "/visits/inspections/{}/")],
)
def test_the_other_pages_include_the_panel(
    account_manager, client_of_am, ticket, inspection, client_for, kind, page
):
    obj = {"client": client_of_am, "ticket": ticket, "inspection": inspection}[kind]
    html = client_for(account_manager).get(page.format(obj.pk)).content.decode()
    assert f'hx-get="/attachments/{kind}/{obj.pk}/"' in html


def test_attach_a_photo_through_the_panel(account_manager, visit, client_for):
    browser = client_for(account_manager)
    response = browser.post(
        f"/attachments/visit/{visit.pk}/",
        {"file": upload("IMG_1.jpg", jpeg_with_gps()), "category": _category("onsite_photo"), "note": "门头"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "IMG_1.jpg" in html and "门头" in html
    assert Attachment.objects.get().visit == visit


def test_a_refused_file_is_explained_in_the_panel(account_manager, visit, client_for):
    response = client_for(account_manager).post(
        f"/attachments/visit/{visit.pk}/",
        {"file": upload("x.svg", b"<svg></svg>"), "category": _category("onsite_photo")},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'data-testid="attachment-file-error"' in response.content.decode()
    assert not Attachment.objects.exists()


def test_without_htmx_the_upload_returns_to_the_page(account_manager, visit, client_for):
    response = client_for(account_manager).post(
        f"/attachments/visit/{visit.pk}/",
        {"file": upload("IMG_1.jpg", jpeg_with_gps()), "category": _category("onsite_photo")},
    )
    assert response.status_code == 302 and response["Location"] == f"/visits/{visit.pk}/"


def test_someone_else_s_visit_is_not_found(other_manager, visit, client_for, account_manager, attach):
    photo = attach(account_manager, "visit", visit)
    browser = client_for(other_manager)
    assert browser.get(f"/attachments/visit/{visit.pk}/", **HTMX).status_code == 404
    assert browser.get(f"/attachments/{photo.pk}/download/").status_code == 404
    assert browser.post(f"/attachments/{photo.pk}/delete/", {"reason": "x"}).status_code == 404


def test_a_read_only_viewer_gets_no_form_and_no_delete(
    product_manager, visit, client_for, account_manager, attach
):
    attach(account_manager, "visit", visit)
    panel = client_for(product_manager).get(f"/attachments/visit/{visit.pk}/", **HTMX).content.decode()
    assert 'data-testid="attachment-row"' in panel
    assert 'data-testid="attachment-form"' not in panel and 'data-testid="attachment-delete"' not in panel


def test_a_photo_opens_in_the_browser_sandboxed_and_audited(account_manager, visit, client_for, attach):
    photo = attach(account_manager, "visit", visit)
    response = client_for(account_manager).get(f"/attachments/{photo.pk}/download/?inline=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert "sandbox" in response["Content-Security-Policy"]
    assert (
        AuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_DOWNLOADED, target_id=str(photo.pk)).count()
        == 1
    )


def test_an_id_copy_is_refused_to_a_viewer_without_personal_data_rights(
    product_manager, client_of_am, account_manager, client_for, attach
):
    copy = attach(account_manager, "client", client_of_am, category="id_copy", name="王小明330106.jpg")
    browser = client_for(product_manager)
    panel = browser.get(f"/attachments/client/{client_of_am.pk}/", **HTMX).content.decode()
    assert 'data-testid="attachment-restricted"' in panel and f"/attachments/{copy.pk}/download/" not in panel
    assert "330106" not in panel  # not even through the file's name
    assert browser.get(f"/attachments/{copy.pk}/download/").status_code == 403


def test_delete_with_a_reason_in_the_panel(account_manager, visit, client_for, attach):
    photo = attach(account_manager, "visit", visit)
    browser = client_for(account_manager)
    response = browser.post(f"/attachments/{photo.pk}/delete/", {"reason": ""}, **HTMX)
    assert 'data-testid="attachment-error"' in response.content.decode()
    response = browser.post(f"/attachments/{photo.pk}/delete/", {"reason": "拍错了"}, **HTMX)
    assert "photo.jpg" not in response.content.decode()
    assert Attachment.objects.get(pk=photo.pk).delete_reason == "拍错了"


def _category(code):
    from amdesk.attachments.models import AttachmentCategory

    return AttachmentCategory.objects.get(code=code).pk


def test_the_panel_costs_the_same_queries_for_one_file_or_many(
    supervisor, account_manager, visit, client_for, attach
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = client_for(supervisor)
    attach(account_manager, "visit", visit)
    with CaptureQueriesContext(connection) as one:
        browser.get(f"/attachments/visit/{visit.pk}/", **HTMX)
    for _ in range(4):
        attach(account_manager, "visit", visit)
    with CaptureQueriesContext(connection) as five:
        html = browser.get(f"/attachments/visit/{visit.pk}/", **HTMX).content.decode()
    assert html.count('data-testid="attachment-row"') == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_a_read_only_viewer_s_upload_is_refused_with_the_reason(product_manager, visit, client_for):
    browser = client_for(product_manager)
    data = {"file": upload("IMG_1.jpg", jpeg_with_gps()), "category": _category("onsite_photo")}
    response = browser.post(f"/attachments/visit/{visit.pk}/", data, **HTMX)
    assert 'data-testid="attachment-error"' in response.content.decode()
    data = {"file": upload("IMG_1.jpg", jpeg_with_gps()), "category": _category("onsite_photo")}
    assert browser.post(f"/attachments/visit/{visit.pk}/", data).status_code == 403
    assert not Attachment.objects.exists()
