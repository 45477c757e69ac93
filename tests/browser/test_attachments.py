"""The attachments journey in the browser: on a phone the account manager attaches an on-site photo to
his visit record; his supervisor sees it and downloads it; another team's account manager finds
neither the visit nor the file."""

import io

import pytest
from PIL import Image

from amdesk.attachments.models import Attachment
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.attachments.factories import jpeg_with_gps
from tests.clients.factories import make_client
from tests.orgs.factories import PASSWORD
from tests.visits.factories import record_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def test_an_on_site_photo_from_the_phone_reaches_the_supervisor_only(
    live_server, browser, account_manager, supervisor, other_manager
):
    visit = record_visit(account_manager, make_client(account_manager, "王小明"))
    base = live_server.url

    # The account manager opens his visit record on the phone; the panel offers the camera
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True)
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    sign_in(page, base, "am")
    page.goto(f"{base}/visits/{visit.pk}/")
    panel = page.get_by_test_id("attachments")
    file_input = panel.get_by_test_id("attachment-file")
    assert file_input.get_attribute("capture") == "environment"
    assert panel.get_by_test_id("attachment-category").locator("option:checked").inner_text() == "现场照片"

    # He takes the photo (here: a phone JPEG with GPS in its EXIF) and attaches it
    file_input.set_input_files({"name": "IMG_0815.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()})
    panel.get_by_test_id("attachment-upload").click()
    row = panel.get_by_test_id("attachment-row")
    row.wait_for()
    assert "IMG_0815.jpg" in row.inner_text() and "现场照片" in row.inner_text()
    assert panel.get_by_test_id("attachment-count").inner_text() == "1"
    phone.close()

    # His supervisor sees the photo on the visit record and downloads it
    desk = browser.new_context(locale="zh-CN")
    desk.set_default_timeout(10_000)
    page = desk.new_page()
    sign_in(page, base, "sup")
    page.goto(f"{base}/visits/{visit.pk}/")
    row = page.get_by_test_id("attachments").get_by_test_id("attachment-row")
    row.wait_for()
    with page.expect_download() as downloaded:
        row.get_by_test_id("attachment-download").click()
    download = downloaded.value
    assert download.suggested_filename == "IMG_0815.jpg"
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"\xff\xd8\xff")
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}  # no position, no camera
    assert AuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_DOWNLOADED, actor=supervisor).count() == 1
    desk.close()

    # Another team's account manager finds neither the visit nor the file
    other = browser.new_context(locale="zh-CN")
    page = other.new_page()
    sign_in(page, base, "am_other")
    photo = Attachment.objects.get()
    assert page.goto(f"{base}/visits/{visit.pk}/").status == 404
    assert page.goto(f"{base}/attachments/{photo.pk}/download/").status == 404
    assert page.goto(f"{base}/attachments/visit/{visit.pk}/").status == 404
    other.close()
