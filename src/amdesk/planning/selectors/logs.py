"""Scoped reads of work logs: lists, the one-object gate, the team's day, missing logs and the
submission rate appraisal reads. Scope follows orgs.access: an account manager his own logs, a
supervisor his teams', a branch head his branch's, admins everything."""

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from amdesk.core import calendar
from amdesk.orgs.access import access_staff, may_hand_over, records_q, scoped, staff_q
from amdesk.orgs.models import Staff

from ..models import PerformanceItem, PlanningSettings, WorkLog, WorkLogOpening
from ..services.documents import due_at
from ..workflow import HANDED_IN_STATES, DocState

AM_ROLE = "account_manager"


def work_logs_for(viewer) -> QuerySet:
    return scoped(WorkLog.objects.all(), records_q(viewer)).select_related("owner", "reviewer", "org_node")


def access_work_log(viewer, log_id) -> WorkLog:
    """One log the viewer may see; "not found" for both missing and forbidden."""
    log = work_logs_for(viewer).filter(pk=log_id).first()
    if log is None:
        raise Http404("No such work log.")
    return log


def opening_rows(log: WorkLog | None) -> list[dict]:
    """The form's lines: every product of the catalogue (the active performance items registered
    daily, as on the performance sheet) and any other the log has, with its count."""
    counts = {}
    if log is not None and log.pk:
        counts = dict(WorkLogOpening.objects.filter(log=log).values_list("item_id", "count"))
    items = PerformanceItem.objects.filter(Q(is_active=True, source="") | Q(pk__in=list(counts)))
    return [{"item": item, "count": counts.get(item.pk, 0)} for item in items.order_by("order", "code")]


def openings_of(logs: list[WorkLog]) -> dict[int, list[WorkLogOpening]]:
    """The per-product counts of several logs in one query, for lists and the API."""
    found: dict[int, list[WorkLogOpening]] = {log.pk: [] for log in logs}
    for row in WorkLogOpening.objects.filter(log__in=[log.pk for log in logs]).select_related("item"):
        found[row.log_id].append(row)
    return found


def account_managers_for(viewer) -> QuerySet:
    """The active account managers the viewer sees (himself only, for an account manager)."""
    return (
        Staff.objects.filter(staff_q(viewer), roles__code=AM_ROLE, status=Staff.Status.ACTIVE)
        .select_related("org_node")
        .distinct()
        .order_by("employee_no")
    )


def working_days(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass
class TeamRow:
    person: Staff
    log: WorkLog | None
    due: bool = True  # the day's log is due (its cut-off is over)

    @property
    def handed_in(self) -> bool:
        return self.log is not None and self.log.state != DocState.DRAFT

    @property
    def status(self) -> str:
        """The log's state; "missing" when there is none or it was not handed in and it is due,
        "not_due" before its cut-off."""
        if not self.handed_in:
            return "missing" if self.due else "not_due"
        return self.log.state


def team_day(*, viewer, day: date, now: datetime | None = None) -> list[TeamRow]:
    """Each account manager in the viewer's scope and his log of `day` (two queries)."""
    people = list(account_managers_for(viewer))
    logs = {
        log.owner_id: log
        for log in work_logs_for(viewer).filter(day=day, owner__in=[person.pk for person in people])
    }
    is_due = due_at(day, PlanningSettings.current().log_due_time) <= (now or timezone.now())
    return [TeamRow(person, logs.get(person.pk), is_due) for person in people]


@dataclass
class MissingRow:
    person: Staff
    days: list[date] = field(default_factory=list)


def missing_logs(*, viewer, start: date, end: date, owner: int | None = None) -> list[MissingRow]:
    """Working days from `start` to `end` without a handed-in log, per account manager in scope (from
    his hire date on; today counts only once its log is due). Three queries whatever the size."""
    now = timezone.now()
    settings = PlanningSettings.current()
    days = [day for day in working_days(start, end) if due_at(day, settings.log_due_time) <= now]
    people = account_managers_for(viewer)
    if owner is not None:
        people = people.filter(pk=owner)
    people = list(people)
    if not days or not people:
        return [MissingRow(person) for person in people]
    handed_in = set(
        WorkLog.objects.filter(
            owner__in=[person.pk for person in people],
            day__range=(days[0], days[-1]),
            state__in=HANDED_IN_STATES,
        ).values_list("owner_id", "day")
    )
    rows = []
    for person in people:
        since = person.hire_date or days[0]
        rows.append(
            MissingRow(person, [day for day in days if day >= since and (person.pk, day) not in handed_in])
        )
    return rows


@dataclass(frozen=True)
class SubmissionRate:
    staff_id: int
    working_days: int
    submitted: int
    on_time: int

    @property
    def rate(self) -> float | None:
        """Share of the working days with a log handed in, in percent (None without working days)."""
        return round(100 * self.submitted / self.working_days, 1) if self.working_days else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.working_days, 1) if self.working_days else None


def log_submission_rates(*, viewer, start: date, end: date) -> dict[int, SubmissionRate]:
    """Per account manager in the viewer's scope: working days in the period (from his hire date,
    and only days whose log is already due), logs handed in for them, and those handed in by the due
    time. One aggregate query for the logs whatever the number of people."""
    now = timezone.now()
    settings = PlanningSettings.current()
    days = [day for day in working_days(start, end) if due_at(day, settings.log_due_time) <= now]
    people = list(account_managers_for(viewer).values_list("pk", "hire_date"))
    counts = {}
    if days and people:
        counts = {
            row["owner_id"]: row
            for row in WorkLog.objects.filter(
                owner__in=[pk for pk, _hired in people], day__in=days, submitted_at__isnull=False
            )
            .values("owner_id")
            .annotate(submitted=Count("pk"), on_time=Count("pk", filter=Q(submitted_at__lte=F("due_at"))))
        }
    rates = {}
    for pk, hired in people:
        counted = len(days) - bisect_left(days, hired) if hired else len(days)
        row = counts.get(pk, {})
        rates[pk] = SubmissionRate(pk, counted, row.get("submitted", 0), row.get("on_time", 0))
    return rates


def log_submission_rate(*, viewer, staff, start: date, end: date) -> SubmissionRate:
    """One account manager's rate; "not found" when he is outside the viewer's scope."""
    person = access_staff(viewer, getattr(staff, "pk", staff))
    rates = log_submission_rates(viewer=viewer, start=start, end=end)
    return rates.get(person.pk) or SubmissionRate(person.pk, 0, 0, 0)


def planning_desk(user, *, today: date) -> dict:
    """The desk's planning card: the user's own log of today; for a supervisor, how many of his
    account managers have not handed in today's log, and logs waiting for his reading."""
    own = WorkLog.objects.filter(owner=user, day=today).only("pk", "state").first()
    figures = {
        "day": today,
        "is_working_day": calendar.is_working_day(today),
        "own_state": own.state if own else "",
        "own_label": own.get_state_display() if own else "",
        "is_account_manager": user.roles.filter(code=AM_ROLE).exists(),
        "oversees": may_hand_over(user),
    }
    # Key-client follow-up actions planned before today and not done: own, or the whole scope.
    from .followups import overdue_actions

    figures["followups_overdue"] = overdue_actions(user, today=today).count()
    # Weekly and monthly documents overdue, targets proposals missing, documents to review.
    from .plans import plans_desk

    figures.update(plans_desk(user, today=today))
    # The monthly sales analysis report on last month: own overdue, the team's overdue, to read.
    from .sales_report import sales_report_desk

    figures.update(
        sales_report_desk(
            user, today=today, is_account_manager=figures["is_account_manager"], oversees=figures["oversees"]
        )
    )
    # Its reminder joins the plans' "due soon" list (no query of its own: the report was read above).
    report_soon = figures.pop("sales_report_due_soon", None)
    if report_soon is not None:
        figures["due_soon"] = sorted(
            [*figures.get("due_soon", []), report_soon], key=lambda item: (item.due_at, item.kind)
        )
    if figures["oversees"]:
        people = Staff.objects.filter(staff_q(user), roles__code=AM_ROLE, status=Staff.Status.ACTIVE).exclude(
            pk=user.pk
        )
        handed_in = WorkLog.objects.filter(day=today, state__in=HANDED_IN_STATES).values("owner_id")
        figures["missing_today"] = people.exclude(pk__in=handed_in).distinct().count()
        figures["waiting_review"] = (
            scoped(WorkLog.objects.exclude(owner=user), records_q(user))
            .filter(state=DocState.SUBMITTED)
            .count()
        )
    return figures


__all__ = [
    "MissingRow",
    "SubmissionRate",
    "TeamRow",
    "access_work_log",
    "account_managers_for",
    "log_submission_rate",
    "log_submission_rates",
    "missing_logs",
    "opening_rows",
    "openings_of",
    "planning_desk",
    "team_day",
    "work_logs_for",
    "working_days",
]
