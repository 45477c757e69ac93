"""The daily performance registration 每日业绩登记表: one sheet per account manager and month (the
unit of optimistic locking), one entry per item and day with a value."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reference import PerformanceItem


class PerformanceSheet(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("org node"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))  # its first day
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("performance sheet")
        verbose_name_plural = _("performance sheets")
        ordering = ["-month", "owner_id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "month"], name="performance_sheet_one_per_month"),
        ]
        indexes = [models.Index(fields=["org_node", "month"])]

    def __str__(self) -> str:
        return f"{self.owner} {self.month:%Y-%m}"


class PerformanceEntry(models.Model):
    sheet = models.ForeignKey(PerformanceSheet, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(
        PerformanceItem, verbose_name=_("performance item"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    value = models.DecimalField(
        _("value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("performance entry")
        verbose_name_plural = _("performance entries")
        ordering = ["day", "item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item", "day"], name="performance_entry_one_per_cell"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0),
                name="performance_entry_not_negative",
                violation_error_message=_("A performance figure cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["day", "item"])]

    def __str__(self) -> str:
        return f"{self.day} {self.item}: {self.value}"
