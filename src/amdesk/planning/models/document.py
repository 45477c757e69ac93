"""What every periodic planning document has (workflow.py): an owner and his org node at the time,
a state, a due moment from the working-day calendar, the reviewer's comment and a version."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amdesk.core.fields import NoteField

from ..workflow import EDITABLE_STATES, DocState, event_label


class PeriodicDocument(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The owner's node when the document was made: a supervisor keeps reading what his team wrote.
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("org node"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=DocState.choices, default=DocState.DRAFT)
    due_at = models.DateTimeField(_("due by"))
    # The first submission (whether the document was handed in on time); later ones are events.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    comment = NoteField(_("supervisor's comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def submitted_late(self) -> bool:
        return self.submitted_at is not None and self.submitted_at > self.due_at


class DocumentEvent(models.Model):
    """One step of a document: who did what when, with his comment. Subclasses add `document`."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=16)
    from_state = models.CharField(_("from"), max_length=10, blank=True)
    to_state = models.CharField(_("to"), max_length=10, blank=True)
    comment = NoteField(_("comment"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        return event_label(self.action)
