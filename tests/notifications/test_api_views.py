"""The API and pages: only the user's own notifications (another's id answers 404), mark read,
read all, preferences, the inbox."""

import pytest

from amdesk.notifications.kinds import DOCUMENT_DUE, HANDOVER_RECEIVED
from amdesk.notifications.models import Notification
from amdesk.notifications.services import Draft, notifications_create


@pytest.fixture
def notes(frozen, account_manager, other_manager):
    notifications_create(
        drafts=[
            Draft(account_manager.pk, DOCUMENT_DUE, "a", "日志今天到期", url="/planning/"),
            Draft(account_manager.pk, HANDOVER_RECEIVED, "b", "客户移交"),
            Draft(other_manager.pk, DOCUMENT_DUE, "a", "别人的"),
        ]
    )
    return {n.key + str(n.user_id): n for n in Notification.objects.all()}


def test_api_lists_own_only_and_marks_read(notes, account_manager, other_manager, api_for):
    api = api_for(account_manager)
    listed = api.get("/api/v1/notifications/").json()["results"]
    assert {row["title"] for row in listed} == {"日志今天到期", "客户移交"}
    theirs = notes["a" + str(other_manager.pk)]
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    mine = notes["a" + str(account_manager.pk)]
    response = api.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert api.get("/api/v1/notifications/?unread=1").json()["results"][0]["title"] == "客户移交"
    # read-all with another's id marks nothing of his
    assert api.post("/api/v1/notifications/read/", {"ids": [theirs.pk]}, format="json").json() == {
        "marked": 0
    }
    assert api.post("/api/v1/notifications/read/", {}, format="json").json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_preferences_and_inbox(notes, account_manager, api_for):
    api = api_for(account_manager)
    assert api.get("/api/v1/notifications/preferences/").json()["digest"] is True
    saved = api.put(
        "/api/v1/notifications/preferences/", {"muted_kinds": [DOCUMENT_DUE], "digest": False}, format="json"
    ).json()
    assert saved["muted_kinds"] == [DOCUMENT_DUE] and saved["digest"] is False
    bad = api.put(
        "/api/v1/notifications/preferences/", {"muted_kinds": ["nope"], "digest": True}, format="json"
    )
    assert bad.status_code == 400
    inbox = api.get("/api/v1/notifications/inbox/").json()
    assert inbox["total"] == sum(section["count"] for section in inbox["sections"])


def test_pages(notes, account_manager, other_manager, client_for):
    client = client_for(account_manager)
    page = client.get("/notifications/")
    assert page.status_code == 200 and "日志今天到期" in page.text and "别人的" not in page.text
    assert 'data-testid="bell-badge"' not in page.text  # not cached yet: loaded after the page
    assert 'data-testid="bell-badge"' in client.get("/notifications/nav/").text
    assert 'data-testid="bell-badge"' in client.get("/notifications/").text  # cached now
    theirs = notes["a" + str(other_manager.pk)]
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    mine = notes["a" + str(account_manager.pk)]
    partial = client.post(f"/notifications/{mine.pk}/read/", HTTP_HX_REQUEST="true")
    assert 'hx-swap-oob="true"' in partial.text and ">1<" in partial.text  # one unread left
    assert client.get(f"/notifications/{mine.pk}/open/").url == "/planning/"
    assert client.get("/notifications/bell/").status_code == 200
    assert client.get("/notifications/inbox/").status_code == 200
    assert (
        client.post("/notifications/preferences/", {"kind": [DOCUMENT_DUE], "digest": "on"}).status_code
        == 302
    )
    assert client.get("/notifications/preferences/").status_code == 200
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=account_manager, read_at__isnull=True).exists()
