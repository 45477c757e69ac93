"""Refreshing the desks' pre-aggregated figures as a background job (django-tasks): `amdesk db_worker`
runs it.

Cron runs `amdesk desk_refresh` (nightly, or every hour or so); without cron, enqueue
`desk_refresh_task` once with `repeat_minutes` and it re-enqueues itself (run_after) after each run.

Only one chain runs at a time, as with the SLA sweep (service/tasks.py): each run carries a token
(`chain`) and hands the next run a fresh one, after swapping it for its own in DeskRefresh.chain; a
run whose token is no longer the stored one (an older chain, or a second copy of the same run) stops
without scheduling another. Enqueueing a new chain (no token) takes over: the one that ran before
dies at its next run. So enqueueing the task at each deploy never doubles the refreshes, which cost
a pass over the whole archive each (bench/README.md).
"""

import logging
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from .models import DeskRefresh
from .services import desk_figures_refresh

log = logging.getLogger(__name__)


def _next_link(chain: str) -> str:
    """The token for the next run of this chain, or "" when this chain must stop."""
    DeskRefresh.current()  # the row exists
    with transaction.atomic():
        row = DeskRefresh.objects.select_for_update().get(pk=1)
        if chain and row.chain != chain:
            return ""
        row.chain = uuid.uuid4().hex
        row.save(update_fields=["chain"])
        return row.chain


@task()
def desk_refresh_task(repeat_minutes: int = 0, chain: str = "") -> dict:
    written = desk_figures_refresh()
    log.info("desk figures refreshed: %s", written)
    backend = task_backends[desk_refresh_task.backend]
    if repeat_minutes > 0 and backend.supports_defer:  # the immediate backend (tests) cannot wait
        token = _next_link(chain)
        if token:
            desk_refresh_task.using(run_after=timezone.now() + timedelta(minutes=repeat_minutes)).enqueue(
                repeat_minutes=repeat_minutes, chain=token
            )
        else:
            log.info("desk figures: a newer refresh chain runs, this one stops")
    return written
