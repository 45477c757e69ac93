"""Helpers that write work logs and performance through the services, so scope, due dates, events
and audit stay consistent."""

from datetime import date, timedelta

from django.utils import timezone

from amdesk.core import calendar
from amdesk.planning.models import WorkLog
from amdesk.planning.services import document_transition, performance_sheet_save, work_log_create

LOG = {
    "prospects_visited": 3,
    "counter_consultations": 12,
    "phone_consultations": 5,
    "cooperation": "与大堂经理配合推荐理财产品",
    "problems": "网银U盾库存不足",
    "other": "",
}


def last_working_day(before: date | None = None) -> date:
    """The latest working day strictly before `before` (default: today)."""
    day = (before or timezone.localdate()) - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def write_log(
    owner, day: date | None = None, *, submit: bool = False, submitted_at=None, openings=None, **data
) -> WorkLog:
    """A log of `day` (the last working day by default); submitted on time unless `submitted_at` says
    otherwise (an hour before it was due, or now if that is earlier)."""
    day = day or last_working_day()
    log = work_log_create(
        actor=owner, day=day, data={**LOG, **data}, openings={"fund": 2} if openings is None else openings
    )
    if submit:
        at = submitted_at or min(timezone.now(), log.due_at - timedelta(hours=1))
        if at < log.created_at:  # a log of a past day was written before it was submitted
            WorkLog.objects.filter(pk=log.pk).update(created_at=at - timedelta(hours=1))
            log.events.filter(action="create").update(at=at - timedelta(hours=1))
        log = document_transition(actor=owner, document=log, action="submit", at=at)
    return log


def review(supervisor, log: WorkLog, *, accept: bool = True, comment: str = "") -> WorkLog:
    return document_transition(
        actor=supervisor, document=log, action="review" if accept else "return", comment=comment
    )


def register(owner, cells: dict, *, month: date | None = None):
    """Save {(item code, day): value} on the owner's sheet of the cells' month, on its current version."""
    from amdesk.planning.models import PerformanceSheet

    month = (month or next(iter(cells))[1]).replace(day=1)
    sheet = PerformanceSheet.objects.filter(owner=owner, month=month).first()
    return performance_sheet_save(
        actor=owner, month=month, cells=cells, expected_version=sheet.version if sheet else 0
    )
