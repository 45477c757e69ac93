from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppraisalSettings(models.Model):
    """Numbers of the appraisal capability the business may change; one row, edited in the admin."""

    class DiscStyle(models.TextChoices):
        OUTER = "outer", _("Outer (adapted) style")
        INNER = "inner", _("Inner (natural) style")
        BOTH = "both", _("Mean of both styles")

    max_consistency_ratio = models.FloatField(
        _("consistency ratio a matrix must stay below"),
        default=0.10,
        validators=[MinValueValidator(0.01), MaxValueValidator(0.2)],
    )
    sign_off_day = models.PositiveSmallIntegerField(
        _("day of the month team sheets are due"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Postponed to the next working day; in a shorter month, the month's last day."),
    )
    sign_off_following_month = models.BooleanField(
        _("team sheets are due in the month after the period"),
        default=True,
        help_text=_("Otherwise by that day of the period's last month."),
    )
    default_low_percentile = models.PositiveSmallIntegerField(
        _("default laggard percentile"), default=10, validators=[MaxValueValidator(100)]
    )
    default_high_percentile = models.PositiveSmallIntegerField(
        _("default advanced percentile"), default=90, validators=[MaxValueValidator(100)]
    )
    pass_score = models.DecimalField(
        _("pass mark"),
        max_digits=6,
        decimal_places=2,
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    disc_rank_by = models.CharField(
        _("DISC candidates are ranked by"), max_length=8, choices=DiscStyle.choices, default=DiscStyle.OUTER
    )
    training_sessions_per_month = models.PositiveSmallIntegerField(
        _("training sessions a team needs a month"), default=1
    )
    training_min_hours = models.DecimalField(
        _("hours a session needs to count"), max_digits=4, decimal_places=1, default=2
    )

    class Meta:
        verbose_name = _("appraisal settings")
        verbose_name_plural = _("appraisal settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "AppraisalSettings":
        return cls.objects.get_or_create(pk=1)[0]
