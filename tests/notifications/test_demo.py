"""The demo raises notifications of several kinds from its own data, marks some read, and a second
sweep over it creates nothing twice."""

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from amdesk.demo.builder import DemoBuilder
from amdesk.notifications.models import Notification
from amdesk.notifications.producers import notifications_sweep


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    imports = tmp_path_factory.mktemp("imports")
    with django_db_blocker.unblock(), override_settings(AMDESK_IMPORT_DIR=imports), transaction.atomic():
        builder = DemoBuilder(industry="bank", seed=7, clients=200)
        builder.run()
        yield builder
        transaction.set_rollback(True)


def test_demo_notifications(demo, db):
    notes = Notification.objects.all()
    assert notes.values("kind").distinct().count() >= 3
    assert notes.filter(read_at__isnull=False).exists() and notes.filter(read_at__isnull=True).exists()
    now = min(timezone.now(), notes.order_by("-created_at").first().created_at)
    assert sum(notifications_sweep(now=now).values()) == 0
