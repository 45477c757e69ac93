"""What the producers share: the concrete planning document models, found at run time."""

from datetime import timedelta

from django.apps import apps

from amdesk.planning.models import DocumentEvent, PeriodicDocument

# How far a change of the calendar (holidays published, 调休) or of the planning settings may move a
# due moment: drafts whose stored due moment lies within this of a window are judged again by the due
# moment the planning pages show (planning.services.documents.shown_due_at).
RECHECK = timedelta(days=15)


def document_models() -> list[type]:
    """Every concrete PeriodicDocument subclass of any installed app (a report type added in
    another app, e.g. the monthly sales report, is found without code here)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, PeriodicDocument) and not model._meta.abstract and not model._meta.proxy
    ]


def event_models() -> list[type]:
    """Every concrete DocumentEvent subclass (each has a `document` foreign key)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, DocumentEvent) and not model._meta.abstract and not model._meta.proxy
    ]
