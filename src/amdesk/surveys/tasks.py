"""Background jobs of the survey capability (django-tasks, database backend; see ADR 0008).

`survey_rounds_task` does what the daily `amdesk survey-rounds` cron does; it can be enqueued by
hand (e.g. after creating a round that opens today) without waiting for the night run.
"""

from django_tasks import task

from .services import survey_rounds_run


@task()
def survey_rounds_task() -> dict:
    result = survey_rounds_run()
    return {"prepared": result.prepared, "opened": result.opened, "closed": result.closed}
