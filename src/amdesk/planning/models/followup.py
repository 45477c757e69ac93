"""The key-client follow-up plan 重点跟进客户计划 (seed 003): a client of the account manager's,
his type (prospect, won, centre of influence), the resources needed and the planned actions
(phone appointment, home visit, product presentation, financial plan delivery, other), each with a
planned date, tracked until done."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amdesk.core.fields import NoteField


class FollowUpPlan(models.Model):
    class ClientType(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        WON = "won", _("Won client")
        INFLUENCE = "influence", _("Centre of influence")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("org node"), on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="+"
    )
    client_type = models.CharField(_("client type"), max_length=10, choices=ClientType.choices)
    resources = NoteField(_("resources needed"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("key-client follow-up plan")
        verbose_name_plural = _("key-client follow-up plans")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org_node", "created_at"]), models.Index(fields=["owner", "-id"])]

    def __str__(self) -> str:
        return f"{self.client} ({self.get_client_type_display()})"

    def get_absolute_url(self) -> str:
        return reverse("planning:followup", args=[self.pk])


class FollowUpAction(models.Model):
    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone appointment")
        VISIT = "visit", _("Home visit")
        PRESENTATION = "presentation", _("Product presentation")
        FINANCIAL_PLAN = "financial_plan", _("Financial plan delivery")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(FollowUpPlan, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("what exactly"), max_length=200, blank=True)
    planned_on = models.DateField(_("planned for"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = NoteField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["planned_on", "id"]
        indexes = [
            models.Index(
                fields=["planned_on"], condition=models.Q(done_on__isnull=True), name="followup_action_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_on}"

    def is_overdue(self, today) -> bool:
        return self.done_on is None and self.planned_on < today
