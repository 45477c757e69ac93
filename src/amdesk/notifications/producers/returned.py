"""Returned documents: each "return" step on a planning document (every DocumentEvent type),
within the look-back window, tells the document's owner, with the reviewer's comment."""

from datetime import timedelta

from django.utils.translation import gettext as _

from ..kinds import DOCUMENT_RETURNED
from ..services import Draft
from .common import event_models

KINDS = (DOCUMENT_RETURNED,)


def drafts(*, now, settings) -> list[Draft]:
    since = now - timedelta(days=settings.lookback_days)
    found = []
    for model in event_models():
        events = model.objects.filter(
            action="return", at__gte=since, at__lte=now, document__owner__is_active=True
        ).select_related("document", "actor")
        for event in events:
            document = event.document
            label = str(document._meta.verbose_name)
            found.append(
                Draft(
                    user_id=document.owner_id,
                    kind=DOCUMENT_RETURNED,
                    key=f"{model._meta.label_lower}:{event.pk}",
                    title=_("%(reviewer)s returned your %(document)s for changes")
                    % {"reviewer": event.actor.get_full_name(), "document": label},
                    body=event.comment,
                    url=document.get_absolute_url() if hasattr(document, "get_absolute_url") else "",
                )
            )
    return found
