"""Planning documents (every concrete PeriodicDocument type, found at run time: a document type
another app adds appears here without code) and key-client follow-ups.

- to read: documents handed in and waiting for a reviewer whose write scope covers them, not his own
  (set-based planning.services.documents.may_review: may_hand_over + records_q(for_write=True));
- mine: my returned documents, my drafts due by tomorrow's end (or overdue), my follow-up actions
  planned for today or earlier and not done."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amdesk.orgs.access import may_hand_over, records_q
from amdesk.planning.models import FollowUpAction
from amdesk.planning.workflow import DocState

from ..producers.common import document_models
from .common import count_and_first, due_by_end_of_tomorrow
from .registry import Item, source


def _url(document) -> str:
    return document.get_absolute_url() if hasattr(document, "get_absolute_url") else ""


def _documents(querysets: list, limit: int, *, order: str, make) -> tuple[int, list[Item]]:
    """Count over every document type, and the first `limit` items across them."""
    if not querysets:
        return 0, []
    # One query for the count over every type (UNION ALL of their ids), one per type for the items.
    ids = [queryset.order_by().values("pk") for queryset in querysets]
    total = ids[0].union(*ids[1:], all=True).count() if len(ids) > 1 else ids[0].count()
    rows = []
    if total and limit:
        for queryset in querysets:
            rows.extend(queryset.select_related("owner").order_by(order, "pk")[:limit])
    rows.sort(key=lambda d: getattr(d, order.lstrip("-")))
    return total, [make(d) for d in rows[:limit]]


def _item(document, *, who: bool = False) -> Item:
    now = timezone.now()
    return Item(
        title=f"{document._meta.verbose_name}: {document}",
        url=_url(document),
        due=document.due_at,
        overdue=document.state == DocState.DRAFT and document.due_at < now,
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
    end = due_by_end_of_tomorrow(today)
    querysets = [
        model.objects.filter(owner_id=viewer.pk, state=DocState.DRAFT, due_at__lt=end)
        for model in document_models()
    ]
    return _documents(querysets, limit, order="due_at", make=_item)


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
