"""Documents due: the owner's planning documents (every PeriodicDocument type) due today or
tomorrow and not handed in yet (still a draft). Once per document and due day."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.planning.workflow import DocState

from ..kinds import DOCUMENT_DUE
from ..services import Draft
from .common import document_models

KINDS = (DOCUMENT_DUE,)


def drafts(*, now, settings) -> list[Draft]:
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = start + timedelta(days=2)
    found = []
    for model in document_models():
        documents = model.objects.filter(
            state=DocState.DRAFT, due_at__gte=start, due_at__lt=end, owner__is_active=True
        )
        label = str(model._meta.verbose_name)
        for document in documents:
            due = timezone.localtime(document.due_at)
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
