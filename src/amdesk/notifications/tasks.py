"""The notification sweep and the daily digest as background jobs (django-tasks): `amdesk db_worker`
runs them.

Cron runs `amdesk notifications-sweep` every few minutes and `amdesk notifications-digest` hourly;
without cron, enqueue `notifications_sweep_task` once with `repeat_minutes` and it re-enqueues
itself (run_after) after each run, sending the day's digest too once its hour has come.

Only one chain runs at a time, as in service/tasks.py: each run carries a token (`chain`) and hands
the next run a fresh one after swapping it for its own in NotificationSettings.sweep_chain; a run
whose token is no longer the stored one stops without scheduling another. Enqueueing a new chain
(no token) takes over. So enqueueing the task twice never doubles the sweeps (and the sweeps and
digest are idempotent anyway).
"""

import logging
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from .models import NotificationSettings
from .producers import notifications_sweep
from .services.digest import notifications_digest

log = logging.getLogger(__name__)


def _next_link(chain: str) -> str:
    """The token for the next run of this chain, or "" when this chain must stop."""
    NotificationSettings.current()  # the row exists
    with transaction.atomic():
        row = NotificationSettings.objects.select_for_update().get(pk=1)
        if chain and row.sweep_chain != chain:
            return ""
        row.sweep_chain = uuid.uuid4().hex
        row.save(update_fields=["sweep_chain"])
        return row.sweep_chain


@task()
def notifications_sweep_task(repeat_minutes: int = 0, chain: str = "") -> dict:
    now = timezone.now()
    created = notifications_sweep(now=now)
    digests = notifications_digest(now=now)
    log.info("notifications sweep: %s created, %s digests", sum(created.values()), digests)
    backend = task_backends[notifications_sweep_task.backend]
    if repeat_minutes > 0 and backend.supports_defer:  # the immediate backend (tests) cannot wait
        token = _next_link(chain)
        if token:
            notifications_sweep_task.using(
                run_after=timezone.now() + timedelta(minutes=repeat_minutes)
            ).enqueue(repeat_minutes=repeat_minutes, chain=token)
        else:
            log.info("notifications sweep: a newer chain runs, this one stops")
    return {"created": created, "digests": digests}


@task()
def notifications_digest_task(force: bool = False) -> dict:
    return {"digests": notifications_digest(now=timezone.now(), force=force)}
