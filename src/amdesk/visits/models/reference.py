"""Reference data and numbers of the visit capability, set per industry (presets) and in the admin."""

from datetime import time

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amdesk.clients.models import Client, ClientGrade, ClientTier, VipLevel


class VisitNorm(models.Model):
    """How often clients of one tier/grade/VIP level/lifecycle are visited 分级定期访问.

    An empty criterion matches every client; the most specific active norm wins, so a preset
    can say "key clients weekly, ordinary every two weeks, grade 1 retailers monthly".
    No interval means the clients it matches need no regular visit (e.g. lost clients).
    """

    name = models.CharField(_("name"), max_length=60)
    tier = models.ForeignKey(
        ClientTier,
        verbose_name=_("tier"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: any tier."),
    )
    lifecycle = models.CharField(
        _("lifecycle"),
        max_length=12,
        choices=Client.Lifecycle.choices,
        blank=True,
        help_text=_("Empty: any lifecycle."),
    )
    grade = models.ForeignKey(
        ClientGrade,
        verbose_name=_("grade"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: any grade."),
    )
    vip_level = models.ForeignKey(
        VipLevel,
        verbose_name=_("VIP level"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: any VIP level."),
    )
    interval_days = models.PositiveSmallIntegerField(
        _("visit every (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("Empty: clients matching this norm need no regular visit."),
    )
    # How many criteria are set; kept by save() so the most specific norm is found in SQL.
    specificity = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("visit frequency norm")
        verbose_name_plural = _("visit frequency norms")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.specificity = sum(
            [
                self.tier_id is not None,
                bool(self.lifecycle),
                self.grade_id is not None,
                self.vip_level_id is not None,
            ]
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "specificity"}
        super().save(*args, **kwargs)


class ChecklistItem(models.Model):
    """One line of an industry's visit checklist (tobacco 4.1.3, bank…) or of the post-loan risk signals."""

    class Purpose(models.TextChoices):
        VISIT = "visit", _("Visit content")
        RISK_SIGNAL = "risk_signal", _("Post-loan risk signal")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    purpose = models.CharField(_("used for"), max_length=12, choices=Purpose.choices, default=Purpose.VISIT)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["purpose", "order", "id"]

    def __str__(self) -> str:
        return self.name


class VisitSettings(models.Model):
    """Numbers of the visit capability the business may change; one row, edited in the admin."""

    workdays_per_week = models.PositiveSmallIntegerField(
        _("days a weekly schedule spreads visits over"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    visits_per_day = models.PositiveSmallIntegerField(
        _("visits planned per day at most"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("days before the due date a client shows as due soon"),
        default=3,
        validators=[MaxValueValidator(60)],
    )
    compliance_alert_percent = models.PositiveSmallIntegerField(
        _("on-time rate below which the team page marks an account manager (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
    )
    remote_counts_for_norm = models.BooleanField(
        _("phone and video visits count toward the frequency norm"), default=True
    )
    record_edit_hours = models.PositiveSmallIntegerField(
        _("hours an unsigned record stays editable"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    signature_max_kb = models.PositiveSmallIntegerField(
        _("largest signature image (KB)"), default=200, validators=[MinValueValidator(10)]
    )
    first_inspection_days = models.PositiveSmallIntegerField(
        _("days after a loan is granted for the first post-loan inspection"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    inspection_interval_days = models.PositiveSmallIntegerField(
        _("days between post-loan inspections"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    # Product lines whose holdings get scheduled post-loan inspections 贷后检查 (codes; set by the preset).
    inspected_product_lines = models.JSONField(
        _("product lines inspected after the loan"), default=list, blank=True
    )
    # When an account manager's weekly visit schedule is due (services/schedule_due.py).
    schedule_due_working_days_before = models.PositiveSmallIntegerField(
        _("weekly visit schedule due (working days before the week)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1: due on the last working day before the week starts (the week before's last)."),
    )
    schedule_due_time = models.TimeField(_("weekly visit schedule due by (time of day)"), default=time(18, 0))

    class Meta:
        verbose_name = _("visit settings")
        verbose_name_plural = _("visit settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "VisitSettings":
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings
