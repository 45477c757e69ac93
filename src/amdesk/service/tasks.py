"""The SLA sweep as a background job (django-tasks): `amdesk db_worker` runs it.

Cron runs `amdesk service-sla` every few minutes; without cron, enqueue `sla_sweep_task` once with
`repeat_minutes` and it re-enqueues itself (run_after) after each run.

Only one chain runs at a time. Each run carries a token (`chain`) and hands the next run a fresh
one, after swapping it for its own in ServiceSettings.sweep_chain; a run whose token is no longer
the stored one (an older chain, or a second copy of the same run) stops without scheduling
another. Enqueueing a new chain (no token) takes over: the chain that ran before dies at its next
run. So enqueueing the task twice, or a deploy that enqueues it again, never doubles the sweeps.
"""

import logging
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from .models import ServiceSettings
from .services import ticket_sla_sweep

log = logging.getLogger(__name__)


def _next_link(chain: str) -> str:
    """The token for the next run of this chain, or "" when this chain must stop."""
    ServiceSettings.current()  # the row exists
    with transaction.atomic():
        row = ServiceSettings.objects.select_for_update().get(pk=1)
        if chain and row.sweep_chain != chain:
            return ""
        row.sweep_chain = uuid.uuid4().hex
        row.save(update_fields=["sweep_chain"])
        return row.sweep_chain


@task()
def sla_sweep_task(repeat_minutes: int = 0, chain: str = "") -> dict:
    result = ticket_sla_sweep(now=timezone.now())
    log.info("service SLA sweep: %s warnings, %s escalations", result.warnings, result.escalations)
    backend = task_backends[sla_sweep_task.backend]
    if repeat_minutes > 0 and backend.supports_defer:  # the immediate backend (tests) cannot wait
        token = _next_link(chain)
        if token:
            sla_sweep_task.using(run_after=timezone.now() + timedelta(minutes=repeat_minutes)).enqueue(
                repeat_minutes=repeat_minutes, chain=token
            )
        else:
            log.info("service SLA sweep: a newer chain runs, this one stops")
    return {"warnings": result.warnings, "escalations": result.escalations}
