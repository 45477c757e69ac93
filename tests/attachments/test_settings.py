"""The numbers of the attachments capability are admin settings (audited), and the store is chosen
by the environment: a local folder, or an S3-compatible bucket through django-storages."""

import pytest

from amdesk.attachments.models import AttachmentSettings
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.settings.base import attachments_storage


@pytest.mark.django_db
def test_the_admin_edits_the_settings_and_the_change_is_audited(admin, client_for):
    browser = client_for(admin)
    page = browser.get("/admin/attachments/attachmentsettings/", follow=True)
    assert page.status_code == 200
    row = AttachmentSettings.current()
    response = browser.post(
        f"/admin/attachments/attachmentsettings/{row.pk}/change/",
        {
            "max_upload_mb": 5,
            "max_image_megapixels": 40,
            "image_max_side": 2560,
            "jpeg_quality": 85,
            "max_per_target": 50,
            "retention_days": 90,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    row.refresh_from_db()
    assert (row.max_upload_mb, row.retention_days) == (5, 90)
    entry = AuditEntry.objects.get(event=AuditEvent.ATTACHMENT_SETTINGS_CHANGED)
    assert entry.detail == {"max_upload_mb": "5", "retention_days": "90"}


def test_a_local_folder_by_default(monkeypatch):
    monkeypatch.delenv("AMDESK_ATTACHMENTS_S3_BUCKET", raising=False)
    config = attachments_storage()
    assert config["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert str(config["OPTIONS"]["location"]).endswith("attachments")


def test_an_s3_compatible_bucket_by_the_environment(monkeypatch):
    monkeypatch.setenv("AMDESK_ATTACHMENTS_S3_BUCKET", "amdesk-files")
    monkeypatch.setenv("AMDESK_ATTACHMENTS_S3_ENDPOINT_URL", "http://minio.internal:9000")
    config = attachments_storage()
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "amdesk-files"
    assert options["endpoint_url"] == "http://minio.internal:9000"
    assert options["default_acl"] == "private" and options["file_overwrite"] is False
