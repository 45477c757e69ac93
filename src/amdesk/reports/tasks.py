"""Scheduled reports as a background job (django-tasks): `amdesk db_worker` runs it.

Cron runs `amdesk reports-send`; without cron, enqueue `reports_send_task` once with
`repeat_minutes` and it re-enqueues itself (run_after) after each run.

One chain at a time, as service/tasks.py's SLA sweep: each run carries a token (`chain`) and hands
the next run a fresh one after swapping it for its own in ReportsSettings.send_chain; a run whose
token is no longer the stored one stops without scheduling another, and a new chain (no token)
takes over. Sending twice is impossible anyway (each recipient's delivery is claimed before it is
sent: services/schedules.py)."""

import logging
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from .models import ReportsSettings
from .services import schedules_send_due

log = logging.getLogger(__name__)


def _next_link(chain: str) -> str:
    """The token for the next run of this chain, or "" when this chain must stop."""
    ReportsSettings.current()  # the row exists
    with transaction.atomic():
        row = ReportsSettings.objects.select_for_update().get(pk=1)
        if chain and row.send_chain != chain:
            return ""
        row.send_chain = uuid.uuid4().hex
        row.save(update_fields=["send_chain"])
        return row.send_chain


@task()
def reports_send_task(repeat_minutes: int = 0, chain: str = "") -> dict:
    result = schedules_send_due(now=timezone.now())
    log.info("scheduled reports: %s schedules, %s messages", len(result.sent), result.messages)
    backend = task_backends[reports_send_task.backend]
    if repeat_minutes > 0 and backend.supports_defer:  # the immediate backend (tests) cannot wait
        token = _next_link(chain)
        if token:
            reports_send_task.using(run_after=timezone.now() + timedelta(minutes=repeat_minutes)).enqueue(
                repeat_minutes=repeat_minutes, chain=token
            )
        else:
            log.info("scheduled reports: a newer chain runs, this one stops")
    return {"schedules": len(result.sent), "messages": result.messages}
