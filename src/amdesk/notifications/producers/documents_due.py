"""Documents due: the owner's planning documents (every PeriodicDocument type) due today or
tomorrow and not handed in yet (still a draft), by the due moment the planning pages show
(planning.services.documents.shown_due_at: the calendar's current one, not the one stored when the
draft was made). Once per document and due day."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.planning.models import PlanningSettings
from amdesk.planning.services.documents import shown_due_at
from amdesk.planning.workflow import DocState

from ..kinds import DOCUMENT_DUE
from ..services import Draft
from .common import RECHECK, document_models

KINDS = (DOCUMENT_DUE,)


def drafts(*, now, settings) -> list[Draft]:
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = start + timedelta(days=2)
    settings = PlanningSettings.current()
    found = []
    for model in document_models():
        # stored due moments near the window, judged by the calendar's current one (a holiday
        # published or moved shifts it by days, never by more than RECHECK)
        documents = model.objects.filter(
            state=DocState.DRAFT,
            due_at__gte=start - RECHECK,
            due_at__lt=end + RECHECK,
            owner__is_active=True,
        )
        label = str(model._meta.verbose_name)
        for document in documents:
            try:
                current = shown_due_at(document, settings)
            except StopIteration:  # a document type the planning app does not know
                current = document.due_at
            if not start <= current < end:
                continue
            due = timezone.localtime(current)
            when = _("today") if due.date() == today else _("tomorrow")
            found.append(
                Draft(
                    user_id=document.owner_id,
                    kind=DOCUMENT_DUE,
                    key=f"{model._meta.label_lower}:{document.pk}:{due.date().isoformat()}",
                    title=_("%(document)s is due %(when)s at %(time)s")
                    % {"document": label, "when": when, "time": due.strftime("%H:%M")},
                    body=str(document),
                    url=document.get_absolute_url() if hasattr(document, "get_absolute_url") else "",
                )
            )
    return found
