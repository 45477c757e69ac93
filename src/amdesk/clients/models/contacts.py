"""Contacts and stakeholders of a client (mainly big accounts 大客户): the stakeholder map."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .client import Client


class Contact(models.Model):
    class Influence(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Stance(models.TextChoices):
        SUPPORTIVE = "supportive", _("Supportive")
        NEUTRAL = "neutral", _("Neutral")
        OPPOSED = "opposed", _("Opposed")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    role = models.CharField(
        _("role at the client"), max_length=50, help_text=_("e.g. CFO, purchasing manager")
    )
    is_decision_maker = models.BooleanField(_("decision maker"), default=False)
    influence = models.CharField(
        _("influence"), max_length=8, choices=Influence.choices, default=Influence.MEDIUM
    )
    stance = models.CharField(_("stance"), max_length=12, choices=Stance.choices, default=Stance.NEUTRAL)
    vested_interests = models.CharField(_("vested interests"), max_length=200, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["client", "-is_decision_maker", "name", "id"]
        indexes = [models.Index(fields=["client", "is_decision_maker"])]

    def __str__(self) -> str:
        return self.name
