"""Ladder rules as data per grade, and the moves a closed period proposes."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amdesk.core.fields import NoteField

from .periods import AppraisalPeriod


class LadderRule(models.Model):
    """What moves a person off a grade: promotion one grade up after `promote_periods` consecutive
    periods at or above `promote_score`; demotion one grade down below `demote_below`.
    客户专员: promote_periods 1 and the pass mark as promote_score (until the first period is passed)."""

    grade = models.OneToOneField(
        "orgs.LadderGrade", verbose_name=_("ladder grade"), on_delete=models.CASCADE, related_name="rule"
    )
    promote_score = models.DecimalField(
        _("promote at or above"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Empty: no promotion from this grade."),
    )
    promote_periods = models.PositiveSmallIntegerField(
        _("consecutive periods needed"), default=2, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    demote_below = models.DecimalField(
        _("demote below"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Empty: no demotion from this grade."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ladder rule")
        verbose_name_plural = _("ladder rules")
        ordering = ["grade__order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(promote_score__isnull=True)
                | Q(demote_below__isnull=True)
                | Q(demote_below__lte=models.F("promote_score")),
                name="ladder_rule_demote_below_promote",
                violation_error_message=_("The demotion mark must not be above the promotion mark."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.grade)


class LadderProposal(models.Model):
    class Direction(models.TextChoices):
        PROMOTE = "promote", _("Promotion")
        DEMOTE = "demote", _("Demotion")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    period = models.ForeignKey(
        AppraisalPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="ladder_proposals"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="+"
    )
    direction = models.CharField(_("move"), max_length=8, choices=Direction.choices)
    from_grade = models.ForeignKey(
        "orgs.LadderGrade", verbose_name=_("from grade"), on_delete=models.PROTECT, related_name="+"
    )
    to_grade = models.ForeignKey(
        "orgs.LadderGrade", verbose_name=_("to grade"), on_delete=models.PROTECT, related_name="+"
    )
    basis = models.CharField(_("basis"), max_length=200)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = NoteField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("ladder move proposal")
        verbose_name_plural = _("ladder move proposals")
        ordering = ["period", "state", "staff"]
        constraints = [
            models.UniqueConstraint(fields=["period", "staff"], name="ladder_proposal_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.from_grade} → {self.to_grade}"
