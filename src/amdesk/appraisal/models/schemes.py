"""Appraisal schemes: criteria → indicators, AHP judgment matrices, laggard and advanced points.

A scheme is edited as a draft version; activating a version (every matrix consistent) retires the
one before it, and a period keeps the version it ran with, so history never changes under it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amdesk.core.fields import NoteField

from .indicators import Indicator


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Scheme(models.Model):
    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = NoteField(_("description"), blank=True)
    period_kind = models.CharField(
        _("period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.MONTH
    )
    # The population: holders of these roles under this node (all nodes when empty).
    roles = models.ManyToManyField("orgs.Role", verbose_name=_("roles appraised"), related_name="+")
    org_node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name=_("org subtree"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("People under this node are appraised; everyone when empty."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appraisal scheme")
        verbose_name_plural = _("appraisal schemes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def active_version(self):
        return self.versions.filter(state=SchemeVersion.State.ACTIVE).first()


class SchemeVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    # The criteria's judgment matrix, full n×n (the upper triangle as entered, reciprocals filled in),
    # rows and columns in the criteria's order.
    matrix = models.JSONField(_("criteria judgment matrix"), default=list, blank=True)
    consistency_ratio = models.FloatField(_("consistency ratio"), null=True, blank=True)
    note = NoteField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("activated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="scheme_version_unique_number"),
            models.UniqueConstraint(
                fields=["scheme"],
                condition=Q(state="active"),
                name="scheme_one_active_version",
                violation_error_message=_("A scheme has one active version at a time."),
            ),
            models.UniqueConstraint(
                fields=["scheme"],
                condition=Q(state="draft"),
                name="scheme_one_draft_version",
                violation_error_message=_("A scheme has one draft at a time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} v{self.number}"

    @property
    def editable(self) -> bool:
        return self.state == self.State.DRAFT


class Criterion(models.Model):
    """A criterion (first level) of a scheme version, with the judgment matrix of its indicators."""

    version = models.ForeignKey(
        SchemeVersion, verbose_name=_("scheme version"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The AHP weight among the criteria (stored when the matrix is saved).
    weight = models.FloatField(_("weight"), null=True, blank=True)
    matrix = models.JSONField(_("indicator judgment matrix"), default=list, blank=True)
    consistency_ratio = models.FloatField(_("consistency ratio"), null=True, blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.name


class SchemeIndicator(models.Model):
    """An indicator under a criterion, with its weight and its laggard (→0) and advanced (→1) points."""

    class PointMode(models.TextChoices):
        FIXED = "fixed", _("Fixed numbers")
        PERCENTILE = "percentile", _("Percentiles of the population")

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="indicators"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    weight = models.FloatField(_("weight within the criterion"), null=True, blank=True)
    point_mode = models.CharField(
        _("laggard and advanced points"),
        max_length=12,
        choices=PointMode.choices,
        default=PointMode.PERCENTILE,
    )
    # The scale's two ends as numbers, low < high: for a higher-is-better indicator the low end is
    # the laggard point (μ = 0) and the high end the advanced point (μ = 1); lower-is-better reverses.
    low = models.DecimalField(
        _("low end"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The laggard point when higher is better, the advanced point when lower is better."),
    )
    high = models.DecimalField(
        _("high end"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The advanced point when higher is better, the laggard point when lower is better."),
    )
    low_percentile = models.PositiveSmallIntegerField(
        _("low end percentile"), default=10, validators=[MaxValueValidator(100)]
    )
    high_percentile = models.PositiveSmallIntegerField(
        _("high end percentile"), default=90, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("scheme indicator")
        verbose_name_plural = _("scheme indicators")
        ordering = ["criterion", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "indicator"],
                name="scheme_indicator_once_per_criterion",
                violation_error_message=_("This indicator is already under the criterion."),
            ),
            models.CheckConstraint(
                condition=Q(point_mode="percentile")
                | (Q(low__isnull=False) & Q(high__isnull=False) & Q(low__lt=models.F("high"))),
                name="scheme_indicator_fixed_points",
                violation_error_message=_("Fixed points need a low end below the high end."),
            ),
            models.CheckConstraint(
                condition=Q(point_mode="fixed") | Q(low_percentile__lt=models.F("high_percentile")),
                name="scheme_indicator_percentile_order",
                violation_error_message=_("The low end's percentile must be below the high end's."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.indicator}"

    @property
    def global_weight(self) -> float | None:
        if self.weight is None or self.criterion.weight is None:
            return None
        return self.weight * self.criterion.weight
