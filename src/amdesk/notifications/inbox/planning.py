"""Planning documents (every concrete PeriodicDocument type, found at run time: a document type
another app adds appears here without code) and key-client follow-ups.

- to read: documents handed in and waiting for a reviewer whose write scope covers them, not his own
  (set-based planning.services.documents.may_review: may_hand_over + records_q(for_write=True));
- mine: my returned documents; my drafts due by tomorrow's end (or overdue) by the due moment the
  planning pages show (services.documents.shown_due_at: the calendar's current one, a draft never
  having been handed in); the documents due by then that I have not started at all (no record:
  today's work log, last month's sales analysis report…, computed from the planning app's due
  functions as the team board does); my follow-up actions planned for today or earlier and not done."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amdesk.core import calendar
from amdesk.orgs.access import may_hand_over, records_q
from amdesk.orgs.models import Staff
from amdesk.planning.models import (
    FollowUpAction,
    MonthlySalesReport,
    PlanningSettings,
    TargetSheet,
    WorkLog,
)
from amdesk.planning.selectors.logs import AM_ROLE
from amdesk.planning.services.common import month_start
from amdesk.planning.services.documents import due_at as log_due_at
from amdesk.planning.services.documents import shown_due_at
from amdesk.planning.services.plans import KINDS, week_start
from amdesk.planning.services.sales_reports import sales_report_due_at
from amdesk.planning.services.targets import targets_due_at
from amdesk.planning.workflow import DocState
from amdesk.visits.models import VisitSchedule, VisitSettings
from amdesk.visits.services.schedule_due import schedule_due_at

from ..models import NotificationSettings
from ..producers.common import RECHECK, document_models
from .common import count_and_first, due_by_end_of_tomorrow, settings_row
from .registry import Item, shared, source

# RECHECK: how far a calendar or settings change may move a due moment. A draft whose stored due
# moment lies further than this before the horizon is due whatever the calendar says now (counted in
# SQL); the few nearer it are judged one by one by the due moment the planning pages show.


def _url(document) -> str:
    return document.get_absolute_url() if hasattr(document, "get_absolute_url") else ""


def _planning_settings() -> PlanningSettings:
    return shared("planning_settings", lambda: settings_row(PlanningSettings))


def _period_field(model) -> str | None:
    names = {f.name for f in model._meta.get_fields()}
    return next((name for name in ("day", "week_start", "month") if name in names), None)


def _current_due(document, settings) -> datetime:
    """The due moment the planning pages show (shown_due_at); a document type the planning app does
    not know keeps its stored one."""
    try:
        return shown_due_at(document, settings)
    except StopIteration:
        return document.due_at


def _union_count(querysets: list) -> int:
    ids = [queryset.order_by().values("pk") for queryset in querysets]
    if not ids:
        return 0
    return ids[0].union(*ids[1:], all=True).count() if len(ids) > 1 else ids[0].count()


def _documents(querysets: list, limit: int, *, order: str, make) -> tuple[int, list[Item]]:
    """Count over every document type, and the first `limit` items across them."""
    if not querysets:
        return 0, []
    # One query for the count over every type (UNION ALL of their ids), one per type for the items.
    total = _union_count(querysets)
    rows = []
    if total and limit:
        for queryset in querysets:
            rows.extend(queryset.select_related("owner").order_by(order, "pk")[:limit])
    rows.sort(key=lambda d: getattr(d, order.lstrip("-")))
    return total, [make(d) for d in rows[:limit]]


def _item(document, *, who: bool = False, due: datetime | None = None) -> Item:
    now = timezone.now()
    due = due or document.due_at
    return Item(
        title=f"{document._meta.verbose_name}: {document}",
        url=_url(document),
        due=due,
        overdue=document.state == DocState.DRAFT and due < now,
        who=document.owner.get_full_name() if who else "",
    )


@source("documents_to_read", _("Plans, logs and reports to read"), group="review")
def documents_to_read(viewer, today, limit):
    if not may_hand_over(viewer):
        return 0, []
    q = records_q(viewer, for_write=True)
    querysets = [
        model.objects.filter(q, state=DocState.SUBMITTED).exclude(owner_id=viewer.pk)
        for model in document_models()
    ]
    return _documents(querysets, limit, order="due_at", make=lambda d: _item(d, who=True))


@source("my_documents_returned", _("My documents returned for changes"), group="mine")
def my_documents_returned(viewer, today, limit):
    querysets = [
        model.objects.filter(owner_id=viewer.pk, state=DocState.RETURNED) for model in document_models()
    ]
    return _documents(querysets, limit, order="due_at", make=_item)


@source("my_documents_due", _("My documents due"), group="mine")
def my_documents_due(viewer, today, limit):
    """My drafts due by tomorrow's end, by the calendar's current due moment: those stored well before
    the horizon counted in one UNION query, those near it (one UNION query for their periods) judged
    by planning.services.documents.shown_due_at; the items, one query per type."""
    end = due_by_end_of_tomorrow(today)
    models = [model for model in document_models() if _period_field(model)]
    if not models:
        return 0, []
    drafts = {model: model.objects.filter(owner_id=viewer.pk, state=DocState.DRAFT) for model in models}
    settled = _union_count([queryset.filter(due_at__lt=end - RECHECK) for queryset in drafts.values()])
    near = [
        queryset.filter(due_at__gte=end - RECHECK, due_at__lt=end + RECHECK)
        .annotate(inbox_kind=Value(index), inbox_period=F(_period_field(model)))
        .values_list("inbox_kind", "pk", "inbox_period", "due_at")
        .order_by()
        for index, (model, queryset) in enumerate(drafts.items())
    ]
    rows = near[0].union(*near[1:], all=True) if len(near) > 1 else near[0]
    settings = _planning_settings()
    due_now: dict[type, dict[int, datetime]] = {model: {} for model in models}
    for index, pk, period, stored in rows:
        model = models[index]
        draft = model(pk=pk, owner_id=viewer.pk, due_at=stored, **{_period_field(model): period})
        due = _current_due(draft, settings)
        if due < end:
            due_now[model][pk] = due
    total = settled + sum(len(found) for found in due_now.values())
    if not total or not limit:
        return total, []
    documents = []
    for model, queryset in drafts.items():
        chosen = queryset.filter(Q(due_at__lt=end - RECHECK) | Q(pk__in=list(due_now[model])))
        for document in chosen.select_related("owner").order_by("due_at", "pk")[:limit]:
            documents.append((due_now[model].get(document.pk) or _current_due(document, settings), document))
    documents.sort(key=lambda pair: pair[0])
    return total, [_item(document, due=due) for due, document in documents[:limit]]


# -- documents due and not started ------------------------------------------------------------------


@dataclass(frozen=True)
class _Due:
    """One kind of document an account manager writes per period, and when each period's is due."""

    code: str
    label: object
    model: type
    period_field: str
    periods: str  # "day" (working days), "week" (Mondays) or "month" (first days)
    due: object  # (period) -> datetime
    url: object  # (period) -> str


def _kinds(settings: PlanningSettings, visit_settings: VisitSettings) -> list[_Due]:
    """The documents of the planning board and the desk's "due soon" (planning.selectors.plans), the
    daily work log and the monthly sales analysis report, with the planning app's due functions."""

    def plan(spec):
        def url(period: date) -> str:
            value = period.isoformat() if spec.weekly else period.strftime("%Y-%m")
            return reverse(f"planning:{spec.code}", args=[value])

        return _Due(
            spec.code,
            spec.label,
            spec.model,
            spec.period_field,
            "week" if spec.weekly else "month",
            lambda period: spec.due_at(period, settings),
            url,
        )

    return [
        _Due(
            "log",
            WorkLog._meta.verbose_name,
            WorkLog,
            "day",
            "day",
            lambda day: log_due_at(day, settings.log_due_time),
            lambda day: reverse("planning:day", args=[day.isoformat()]),
        ),
        *(plan(spec) for spec in KINDS.values()),
        _Due(
            "targets",
            _("Monthly targets"),
            TargetSheet,
            "month",
            "month",
            lambda month: targets_due_at(month, settings),
            lambda month: reverse("planning:targets-month", args=[month.strftime("%Y-%m")]),
        ),
        _Due(
            "sales-report",
            MonthlySalesReport._meta.verbose_name,
            MonthlySalesReport,
            "month",
            "month",
            lambda month: sales_report_due_at(month, settings),
            lambda month: reverse("planning:sales-report", args=[month.strftime("%Y-%m")]),
        ),
        _Due(
            "visit-schedule",
            _("Weekly visit schedule"),
            VisitSchedule,
            "week_start",
            "week",
            lambda monday: schedule_due_at(monday, visit_settings),
            lambda monday: reverse("visits:schedule-week", args=[monday.isoformat()]),
        ),
    ]


def _candidates(periods: str, first: date, last: date) -> list[date]:
    if periods == "day":
        days, day = [], first
        while day <= last:
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days
    if periods == "week":
        monday, found = week_start(first), []
        while monday <= last:
            found.append(monday)
            monday += timedelta(days=7)
        return found
    month, found = month_start(first), []
    while month <= last:
        found.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return found


@dataclass(frozen=True)
class NotStarted:
    code: str
    label: str
    period: date
    due_at: datetime
    url: str
    monthly: bool = False

    @property
    def period_text(self) -> str:
        return self.period.strftime("%Y-%m") if self.monthly else self.period.isoformat()


def not_started(viewer, *, now: datetime, until: datetime) -> list[NotStarted]:
    """The documents an active account manager must write that are due before `until` and of which he
    has no record at all (not even a draft): per kind, every period due within the notification
    settings' look-back window, and the latest one due whatever its age (last month's sales report
    stays until it is written). Periods due before his hire date are not asked of him. Due moments
    come from the calendar in Python; one query (a UNION over the kinds) finds what exists."""
    me = (
        Staff.objects.filter(pk=viewer.pk, roles__code=AM_ROLE, status=Staff.Status.ACTIVE)
        .values_list("pk", "hire_date")
        .first()
    )
    if me is None:
        return []
    hired = me[1]
    since = now - timedelta(days=settings_row(NotificationSettings).lookback_days)
    first, last = timezone.localdate(since), timezone.localdate(until)
    # back far enough for the latest period of every kind; ahead for the visit schedule, due before its week
    ranges = {
        "day": (first - timedelta(days=14), last),
        "week": (first - timedelta(days=21), last + timedelta(days=14)),
        "month": (month_start(first) - timedelta(days=93), last),
    }
    wanted: dict[str, dict[date, datetime]] = {}
    kinds = _kinds(_planning_settings(), settings_row(VisitSettings))
    for kind in kinds:
        dues = {}
        for period in _candidates(kind.periods, *ranges[kind.periods]):
            due = kind.due(period)
            if due < until and not (hired and timezone.localdate(due) < hired):
                dues[period] = due
        if not dues:
            continue
        latest = max(dues, key=dues.get)
        wanted[kind.code] = {p: due for p, due in dues.items() if due >= since or p == latest}
    parts = [
        kind.model.objects.filter(owner_id=viewer.pk, **{f"{kind.period_field}__in": list(wanted[kind.code])})
        .annotate(inbox_kind=Value(kind.code), inbox_period=F(kind.period_field))
        .values_list("inbox_kind", "inbox_period")
        .order_by()
        for kind in kinds
        if kind.code in wanted
    ]
    if not parts:
        return []
    existing = set(parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])
    found = [
        NotStarted(kind.code, str(kind.label), period, due, kind.url(period), kind.periods == "month")
        for kind in kinds
        for period, due in wanted.get(kind.code, {}).items()
        if (kind.code, period) not in existing
    ]
    return sorted(found, key=lambda row: (row.due_at, row.code))


@source("my_documents_not_started", _("My documents due, not started"), group="mine")
def my_documents_not_started(viewer, today, limit):
    now = timezone.now()
    rows = not_started(viewer, now=now, until=due_by_end_of_tomorrow(today))
    items = [
        Item(title=f"{row.label}: {row.period_text}", url=row.url, due=row.due_at, overdue=row.due_at <= now)
        for row in rows
    ]
    return len(items), items[:limit]


@source("my_followups", _("My follow-up actions due"), group="mine")
def my_followups(viewer, today, limit):
    actions = (
        FollowUpAction.objects.filter(
            Q(plan__owner_id=viewer.pk), done_on__isnull=True, planned_on__lte=today
        )
        .select_related("plan__client")
        .order_by("planned_on", "id")
    )
    return count_and_first(
        actions,
        limit,
        lambda a: Item(
            title=f"{a.get_kind_display()}: {a.plan.client.name}",
            url=a.plan.get_absolute_url(),
            due=a.planned_on,
            overdue=a.planned_on < today,
        ),
    )
