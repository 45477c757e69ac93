"""Post-loan inspections 贷后检查: scheduled per loan, or ad hoc, with their report."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amdesk.clients.models import Client, Holding
from amdesk.core.fields import NoteField

from .visit import Visit


class LoanInspection(models.Model):
    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        AD_HOC = "ad_hoc", _("Ad hoc")

    class Risk(models.TextChoices):
        NORMAL = "normal", _("Normal")
        WATCH = "watch", _("Watch")
        HIGH = "high", _("High risk")

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="+")
    loan = models.ForeignKey(
        Holding, verbose_name=_("loan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_node = models.ForeignKey("orgs.OrgNode", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        pgettext_lazy("visit", "kind"), max_length=10, choices=Kind.choices, default=Kind.SCHEDULED
    )
    due_on = models.DateField(_("due on"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # The report, filled in when the inspection is done.
    done_on = models.DateField(_("done on"), null=True, blank=True)
    visit = models.OneToOneField(
        Visit,
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection",
    )
    use_of_funds = NoteField(_("use of funds"), blank=True)
    repayment_source = NoteField(_("repayment source"), blank=True)
    risk_signals = models.JSONField(_("risk signals"), default=list, blank=True)  # ChecklistItem codes
    risk_level = models.CharField(_("risk level"), max_length=8, choices=Risk.choices, blank=True)
    conclusion = NoteField(_("conclusion"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("post-loan inspection")
        verbose_name_plural = _("post-loan inspections")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["org_node", "done_on", "due_on"])]
        constraints = [
            # One open scheduled inspection per loan: the scheduler never doubles one up.
            models.UniqueConstraint(
                fields=["loan"],
                condition=Q(done_on__isnull=True, kind="scheduled"),
                name="inspection_one_open_per_loan",
                violation_error_message=_("This loan already has an open scheduled inspection."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.due_on}"

    def get_absolute_url(self) -> str:
        return reverse("visits:inspection", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
