"""The daily work log 工作日志 (bank outlet form, seed 003): one per account manager and day."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amdesk.core.fields import NoteField

from .document import DocumentEvent, PeriodicDocument


class WorkLog(PeriodicDocument):
    day = models.DateField(_("day"))
    prospects_visited = models.PositiveSmallIntegerField(_("prospects visited"), default=0)
    counter_consultations = models.PositiveSmallIntegerField(_("counter consultations"), default=0)
    phone_consultations = models.PositiveSmallIntegerField(_("phone consultations"), default=0)
    cooperation = NoteField(_("cooperation with outlet staff"), blank=True)
    problems = NoteField(_("problems"), blank=True)
    other = NoteField(_("other"), blank=True)

    class Meta:
        verbose_name = _("daily work log")
        verbose_name_plural = _("daily work logs")
        ordering = ["-day", "owner_id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "day"], name="work_log_one_per_owner_and_day"),
        ]
        indexes = [
            models.Index(fields=["org_node", "day"]),
            models.Index(fields=["day", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.day}"

    def get_absolute_url(self) -> str:
        return reverse("planning:log", args=[self.pk])


class WorkLogOpening(models.Model):
    """New clients opened that day for one product (the form's 当天新开发客户数 by product). The
    products are the industry's one catalogue of what an AM sells, the performance items registered
    daily (PerformanceItem without a source): the log and the performance sheet count the same list."""

    log = models.ForeignKey(WorkLog, on_delete=models.CASCADE, related_name="openings")
    item = models.ForeignKey(
        "planning.PerformanceItem", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveSmallIntegerField(_("new clients"))

    class Meta:
        verbose_name = _("new clients by product")
        verbose_name_plural = _("new clients by product")
        ordering = ["item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["log", "item"], name="work_log_opening_one_per_item"),
            models.CheckConstraint(
                condition=models.Q(count__gt=0),
                name="work_log_opening_positive",
                violation_error_message=_("A count of new clients is at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.count}"


class WorkLogEvent(DocumentEvent):
    document = models.ForeignKey(WorkLog, on_delete=models.CASCADE, related_name="events")

    class Meta(DocumentEvent.Meta):
        verbose_name = _("work log step")
        verbose_name_plural = _("work log steps")
