"""Monthly targets 目标设定表 (seed 003): one sheet per account manager and month, one line per
indicator (a performance item, data of the industry preset) with the month's target and the
targets of weeks 1–5 (the weeks of the performance grid; a sixth grid week counts as week 5).

A supervisor sets a sheet (it is approved at once); an account manager proposes one and submits it
through the workflow (workflow.py): his supervisor approves it ("review") or returns it."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .document import DocumentEvent, PeriodicDocument
from .reference import PerformanceItem

WEEKS = 5  # the paper form's weeks 第一周 … 第五周


class TargetSheet(PeriodicDocument):
    month = models.DateField(_("month"))  # its first day
    # Who set the targets when a supervisor did (empty while the account manager proposes them).
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("monthly targets")
        verbose_name_plural = _("monthly targets")
        ordering = ["-month", "owner_id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "month"], name="target_sheet_one_per_month"),
        ]
        indexes = [models.Index(fields=["org_node", "month"])]

    def __str__(self) -> str:
        return f"{self.owner} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return (
            reverse("planning:targets-month", args=[self.month.strftime("%Y-%m")]) + f"?owner={self.owner_id}"
        )


def _amount(name):
    return models.DecimalField(
        name, max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )


class TargetLine(models.Model):
    sheet = models.ForeignKey(TargetSheet, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(
        PerformanceItem, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.DecimalField(
        _("month target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    week1 = _amount(_("week 1 target"))
    week2 = _amount(_("week 2 target"))
    week3 = _amount(_("week 3 target"))
    week4 = _amount(_("week 4 target"))
    week5 = _amount(_("week 5 target"))

    class Meta:
        verbose_name = _("target line")
        verbose_name_plural = _("target lines")
        ordering = ["item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="target_line_one_per_item"),
            models.CheckConstraint(
                condition=models.Q(target__gte=0),
                name="target_line_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.target}"

    @property
    def weeks(self) -> list:
        return [getattr(self, f"week{n}") for n in range(1, WEEKS + 1)]


class TargetEvent(DocumentEvent):
    document = models.ForeignKey(TargetSheet, on_delete=models.CASCADE, related_name="events")

    class Meta(DocumentEvent.Meta):
        verbose_name = _("target step")
        verbose_name_plural = _("target steps")
