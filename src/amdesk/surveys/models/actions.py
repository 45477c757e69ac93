"""Improvement actions 满意度改进措施 (seed 000, 4.8): an account manager whose clients scored low
in a closed round analyses the result and records measures; his supervisor reviews them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amdesk.core.fields import NoteField

from .rounds import SurveyRound


class ImprovementAction(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("To be recorded")
        SUBMITTED = "submitted", _("Awaiting review")
        DONE = "done", _("Reviewed")

    round = models.ForeignKey(
        SurveyRound, verbose_name=_("survey round"), on_delete=models.CASCADE, related_name="actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("org node"), on_delete=models.PROTECT, related_name="+"
    )
    index = models.DecimalField(_("satisfaction index"), max_digits=5, decimal_places=2)
    threshold = models.DecimalField(_("threshold"), max_digits=5, decimal_places=2)
    responses = models.PositiveIntegerField(_("responses"), default=0)
    state = models.CharField(
        pgettext_lazy("improvement action", "state"), max_length=10, choices=State.choices, default=State.OPEN
    )
    analysis = NoteField(_("analysis of the results"), blank=True)
    measures = NoteField(_("measures taken"), blank=True)
    due_on = models.DateField(_("due by"))
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    review_comment = NoteField(_("supervisor's comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "owner"], name="action_one_per_round_and_manager"),
        ]
        indexes = [models.Index(fields=["owner", "state"]), models.Index(fields=["org_node", "state"])]

    def __str__(self) -> str:
        return f"{self.round}: {self.owner}"

    @property
    def overdue(self) -> bool:
        """Past its due date and still not submitted (new, or returned by the supervisor)."""
        return self.state == self.State.OPEN and self.due_on < timezone.localdate()
