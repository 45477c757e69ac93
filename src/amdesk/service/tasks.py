"""The SLA sweep as a background job (django-tasks): `amdesk db_worker` runs it.

Cron runs `amdesk service-sla` every few minutes; without cron, enqueue `sla_sweep_task` once with
`repeat_minutes` and it re-enqueues itself (run_after) after each run.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task, task_backends

from .services import ticket_sla_sweep

log = logging.getLogger(__name__)


@task()
def sla_sweep_task(repeat_minutes: int = 0) -> dict:
    result = ticket_sla_sweep(now=timezone.now())
    log.info("service SLA sweep: %s warnings, %s escalations", result.warnings, result.escalations)
    backend = task_backends[sla_sweep_task.backend]
    if repeat_minutes > 0 and backend.supports_defer:  # the immediate backend (tests) cannot wait
        sla_sweep_task.using(run_after=timezone.now() + timedelta(minutes=repeat_minutes)).enqueue(
            repeat_minutes=repeat_minutes
        )
    return {"warnings": result.warnings, "escalations": result.escalations}
