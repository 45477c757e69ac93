"""The import's background jobs (django-tasks): the page enqueues them, `amdesk db_worker` runs them.

A job that fails unexpectedly is marked failed with its error, so the page stops waiting.
"""

import logging

from django.utils import timezone, translation
from django_tasks import task

from amdesk.clients.models import ImportJob

from . import services

log = logging.getLogger(__name__)


def _run(job_id: int, step) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(job.language or None):
        try:
            step(job=job)
        except Exception as exc:
            log.exception("client import %s failed", job_id)
            ImportJob.objects.filter(pk=job_id).update(
                state=ImportJob.State.FAILED, phase="", message=str(exc)[:2000], finished_at=timezone.now()
            )
            raise


@task()
def import_open_task(job_id: int, then_apply: bool = False) -> None:
    """Open the stored file within the bounds; with `then_apply` (the API's auto), check and import."""

    def open_file(*, job):
        job = services.import_open(job=job)
        if then_apply and job.state == ImportJob.State.UPLOADED:
            job = services.import_check(job=job)
            if services.may_apply(job):
                services.import_apply(job=job)

    _run(job_id, open_file)


@task()
def import_check_task(job_id: int, then_apply: bool = False) -> None:
    """Check every row; with `then_apply`, import at once when the check allows it."""

    def check(*, job):
        job = services.import_check(job=job)
        if then_apply and services.may_apply(job):
            services.import_apply(job=job)

    _run(job_id, check)


@task()
def import_apply_task(job_id: int) -> None:
    _run(job_id, services.import_apply)


def queue_open(job: ImportJob, *, then_apply: bool = False) -> None:
    """The web request stores the file only; the worker opens it (ADR 0008, bounds.py)."""
    import_open_task.enqueue(job.pk, then_apply)


def queue_check(job: ImportJob, *, then_apply: bool = False) -> None:
    """Shown as running at once; the worker picks the job up (the page and the API start it here)."""
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.CHECKING, phase="reading", rows_done=0)
    import_check_task.enqueue(job.pk, then_apply)


def queue_apply(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.IMPORTING, phase="writing")
    import_apply_task.enqueue(job.pk)
