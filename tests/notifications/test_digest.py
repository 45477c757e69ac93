"""The daily digest: once per user and day, from the digest hour on, only enabled kinds, only
unread notifications of the last day."""

from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from amdesk.notifications.kinds import DOCUMENT_DUE, HANDOVER_RECEIVED
from amdesk.notifications.models import DigestLog, NotificationSettings
from amdesk.notifications.services import (
    Draft,
    notifications_create,
    notifications_mark_read,
    preferences_save,
)
from amdesk.notifications.services.digest import notifications_digest


def _seed(user):
    user.email = "am@example.com"
    user.save(update_fields=["email"])
    notifications_create(
        drafts=[
            Draft(user.pk, DOCUMENT_DUE, "a", "工作日志今天到期"),
            Draft(user.pk, HANDOVER_RECEIVED, "b", "2 位客户移交给您"),
            Draft(user.pk, HANDOVER_RECEIVED, "c", "已读的"),
        ]
    )
    notifications_mark_read(
        actor=user, ids=list(user.notifications.filter(key="c").values_list("pk", flat=True))
    )


def test_digest_sent_once_per_day(frozen, account_manager):
    _seed(account_manager)
    assert notifications_digest(now=timezone.now()) == 1
    assert notifications_digest(now=timezone.now()) == 0
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "工作日志今天到期" in body and "2 位客户移交给您" in body and "已读的" not in body
    assert DigestLog.objects.filter(user=account_manager).count() == 1
    # the next day (nothing new, nothing unread of the last day): none
    frozen.shift(timedelta(days=1))
    assert notifications_digest(now=timezone.now()) == 0


def test_digest_only_enabled_kinds(frozen, account_manager):
    _seed(account_manager)
    preferences_save(actor=account_manager, muted_kinds=[HANDOVER_RECEIVED], digest=True)
    notifications_digest(now=timezone.now())
    body = mail.outbox[0].body
    assert "工作日志今天到期" in body and "2 位客户移交给您" not in body


def test_digest_off_and_before_the_hour(frozen, account_manager):
    _seed(account_manager)
    settings = NotificationSettings.current()
    settings.digest_hour = 11  # it is 10:00
    settings.save()
    assert notifications_digest(now=timezone.now()) == 0
    preferences_save(actor=account_manager, muted_kinds=[], digest=False)
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        assert notifications_digest(now=timezone.now()) == 0
    assert mail.outbox == []
