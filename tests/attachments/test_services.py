"""Upload, rights, deletion with retention and the purge, through the services."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.http import Http404
from django.utils import timezone
from PIL import Image

from amdesk.attachments.models import Attachment, AttachmentSettings
from amdesk.attachments.selectors import access_attachment, attachments_of, resolve_target
from amdesk.attachments.services import attachment_delete, attachment_download, attachments_purge
from amdesk.core.audit_events import AuditEvent, AuditResult
from amdesk.core.models import AuditEntry
from tests.attachments.factories import jpeg_with_gps

pytestmark = pytest.mark.django_db


def stored_bytes(attachment) -> bytes:
    with storages["attachments"].open(attachment.storage_key, "rb") as handle:
        return handle.read()


def test_an_on_site_photo_is_stored_clean_under_a_generated_name_and_audited(account_manager, visit, attach):
    # When the account manager attaches a phone photo to his visit
    attachment = attach(account_manager, "visit", visit, name="IMG_2041.jpg", data=jpeg_with_gps())

    # Then the stored file is the re-encoded photo, found under a name nobody typed
    assert attachment.visit == visit and attachment.client == visit.client
    assert "IMG_2041" not in attachment.storage_key
    assert attachment.storage_key.startswith("visit/") and attachment.storage_key.endswith(".jpg")
    data = stored_bytes(attachment)
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}
    assert attachment.size == len(data)
    entry = AuditEntry.objects.get(event=AuditEvent.ATTACHMENT_UPLOADED)
    assert entry.actor == account_manager and entry.detail["target"] == "visit"


def test_a_read_only_role_sees_the_files_but_may_not_attach(product_manager, account_manager, visit, attach):
    attach(account_manager, "visit", visit)
    target = resolve_target(product_manager, "visit", visit.pk)
    assert attachments_of(target).count() == 1
    with pytest.raises(PermissionDenied):
        attach(product_manager, "visit", visit)


def test_another_team_cannot_even_find_the_target_or_the_file(other_manager, account_manager, visit, attach):
    attachment = attach(account_manager, "visit", visit)
    with pytest.raises(Http404):
        resolve_target(other_manager, "visit", visit.pk)
    with pytest.raises(Http404):
        access_attachment(other_manager, attachment.pk)


def test_each_target_kind_takes_files(account_manager, client_of_am, visit, ticket, inspection, attach):
    for kind, obj in [
        ("client", client_of_am),
        ("visit", visit),
        ("ticket", ticket),
        ("inspection", inspection),
    ]:
        attachment = attach(account_manager, kind, obj, category="signed_form", name="form.pdf")
        assert attachment.target_kind == kind and attachment.target_id == obj.pk
    # each target lists its own files only
    assert attachments_of(resolve_target(account_manager, "client", client_of_am.pk)).count() == 1


def test_the_service_desk_attaches_to_a_ticket_it_works_on(org, account_manager, ticket, attach):
    from tests.service.factories import make_service_desk

    desk = make_service_desk(org)
    assert attach(desk, "ticket", ticket, category="signed_form", name="form.pdf").uploaded_by == desk


def test_an_id_copy_is_for_those_entitled_to_personal_data_or_the_owner(
    account_manager, supervisor, product_manager, client_of_am, attach
):
    copy = attach(account_manager, "client", client_of_am, category="id_copy", name="id.jpg")
    for viewer in (account_manager, supervisor):
        attachment, target = access_attachment(viewer, copy.pk)
        attachment_download(actor=viewer, attachment=attachment, target=target).close()

    # The product manager sees the client and the file's line, but may not open an ID copy
    attachment, target = access_attachment(product_manager, copy.pk)
    with pytest.raises(PermissionDenied):
        attachment_download(actor=product_manager, attachment=attachment, target=target)
    results = list(
        AuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_DOWNLOADED)
        .order_by("id")
        .values_list("username", "result")
    )
    assert results == [("am", AuditResult.SUCCESS), ("sup", AuditResult.SUCCESS), ("pm", AuditResult.DENIED)]
    assert (
        AuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_DOWNLOADED).first().detail["personal_data"]
        is True
    )


def test_limits_come_from_the_settings(account_manager, visit, attach):
    row = AttachmentSettings.current()
    row.max_per_target = 1
    row.save()
    attach(account_manager, "visit", visit)
    with pytest.raises(ValidationError) as exc:
        attach(account_manager, "visit", visit)
    assert "file" in exc.value.message_dict


def test_deletion_needs_a_reason_and_hides_the_file_at_once(account_manager, visit, attach):
    attachment = attach(account_manager, "visit", visit)
    _, target = access_attachment(account_manager, attachment.pk)
    with pytest.raises(ValidationError):
        attachment_delete(actor=account_manager, attachment=attachment, target=target, reason="  ")
    attachment_delete(actor=account_manager, attachment=attachment, target=target, reason="拍错了客户")
    assert attachments_of(target).count() == 0
    with pytest.raises(Http404):
        access_attachment(account_manager, attachment.pk)
    entry = AuditEntry.objects.get(event=AuditEvent.ATTACHMENT_DELETED)
    assert entry.detail["reason"] == "拍错了客户"


def test_the_supervisor_deletes_but_another_uploader_does_not(
    account_manager, supervisor, product_manager, visit, attach
):
    by_supervisor = attach(supervisor, "visit", visit)
    by_am = attach(account_manager, "visit", visit)
    # The AM may not delete what his supervisor put there; a read-only role deletes nothing
    _, target = access_attachment(account_manager, by_supervisor.pk)
    with pytest.raises(PermissionDenied):
        attachment_delete(actor=account_manager, attachment=by_supervisor, target=target, reason="不需要")
    _, target = access_attachment(product_manager, by_am.pk)
    with pytest.raises(PermissionDenied):
        attachment_delete(actor=product_manager, attachment=by_am, target=target, reason="不需要")
    # The supervisor deletes the AM's
    _, target = access_attachment(supervisor, by_am.pk)
    attachment_delete(actor=supervisor, attachment=by_am, target=target, reason="重复上传")
    assert Attachment.objects.get(pk=by_am.pk).deleted_by == supervisor


def test_the_purge_removes_files_deleted_before_the_retention_period(
    account_manager, visit, attach, django_capture_on_commit_callbacks
):
    old, recent, kept = (attach(account_manager, "visit", visit) for _ in range(3))
    now = timezone.now()
    days = AttachmentSettings.current().retention_days
    Attachment.objects.filter(pk=old.pk).update(
        deleted_at=now - timedelta(days=days + 1), deleted_by=account_manager, delete_reason="错"
    )
    Attachment.objects.filter(pk=recent.pk).update(
        deleted_at=now - timedelta(days=days - 1), deleted_by=account_manager, delete_reason="错"
    )
    storage = storages["attachments"]

    with django_capture_on_commit_callbacks(execute=True):
        assert attachments_purge(now=now) == 1

    assert not Attachment.objects.filter(pk=old.pk).exists() and not storage.exists(old.storage_key)
    assert storage.exists(recent.storage_key) and storage.exists(kept.storage_key)
    assert AuditEntry.objects.get(event=AuditEvent.ATTACHMENT_PURGED).target_id == str(old.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert attachments_purge(now=now) == 0


def test_the_purge_command_runs_from_cron(account_manager, visit, attach):
    from django.core.management import call_command

    attachment = attach(account_manager, "visit", visit)
    Attachment.objects.filter(pk=attachment.pk).update(
        deleted_at=timezone.now() - timedelta(days=400), deleted_by=account_manager, delete_reason="错"
    )
    out = io.StringIO()
    call_command("attachments-purge", stdout=out)
    assert out.getvalue().startswith("1 ")


def test_a_deleted_client_takes_its_stored_files_along(
    account_manager, client_of_am, attach, django_capture_on_commit_callbacks
):
    attachment = attach(account_manager, "client", client_of_am, category="deposit_slip", name="slip.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        Attachment.objects.filter(client=client_of_am).delete()
    assert not storages["attachments"].exists(attachment.storage_key)


def test_a_failed_upload_leaves_no_file_behind(account_manager, visit, attach, monkeypatch, attachments_dir):
    from amdesk.attachments.services import attachments as service

    def broken(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(service, "audit_record", broken)
    with pytest.raises(RuntimeError):
        attach(account_manager, "visit", visit)
    assert not Attachment.objects.exists()
    assert not [path for path in attachments_dir.rglob("*") if path.is_file()]
