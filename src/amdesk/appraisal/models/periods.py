"""Appraisal periods and their results: one score card per person, one result per indicator."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amdesk.core.fields import NoteField

from .schemes import PeriodKind, SchemeIndicator, SchemeVersion


class AppraisalPeriod(models.Model):
    """One run of a scheme over a month, quarter or year. Workflow (services/periods.py):
    open → computed (may be re-run, adjusted, signed off by team) → approved (locked);
    an approved period is reopened only with a reason."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        COMPUTED = "computed", _("Computed")
        APPROVED = "approved", _("Approved (locked)")

    version = models.ForeignKey(
        SchemeVersion, verbose_name=_("scheme version"), on_delete=models.PROTECT, related_name="periods"
    )
    kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    # Supervisors hand in their team's appraisal sheets by this day (003: by the 30th, postponed
    # to the next working day).
    sign_off_due = models.DateField(_("team sign-off due"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("computed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopen_reason = NoteField(_("reason for reopening"), blank=True)
    # Optimistic lock: every state change bumps it, so two people acting at once cannot both win.
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("appraisal period")
        verbose_name_plural = _("appraisal periods")
        ordering = ["-start", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "start"],
                name="appraisal_period_once_per_version",
                violation_error_message=_("This scheme version already has a period starting that day."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="appraisal_period_order",
                violation_error_message=_("The period ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version.scheme} {self.label}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    @property
    def sign_off_due_provisional(self) -> bool:
        """The due day was postponed by a working-day calendar not yet official for its year."""
        from amdesk.core.calendar import is_provisional

        return self.sign_off_due is not None and is_provisional(self.sign_off_due)

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED


class ScoreCard(models.Model):
    """A person's result for a period: the score, ranks and where he stood when it ran."""

    period = models.ForeignKey(
        AppraisalPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="cards"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="score_cards",
    )
    # Snapshot at the run: the person's node (his team) and the branch above it, for ranks and scope.
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    branch = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name=_("branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grade = models.ForeignKey(
        "orgs.LadderGrade",
        verbose_name=_("ladder grade"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    previous_score = models.DecimalField(
        _("previous score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    team_rank = models.PositiveIntegerField(_("rank in team"), null=True, blank=True)
    team_size = models.PositiveIntegerField(_("team size"), null=True, blank=True)
    branch_rank = models.PositiveIntegerField(_("rank in branch"), null=True, blank=True)
    branch_size = models.PositiveIntegerField(_("branch size"), null=True, blank=True)

    class Meta:
        verbose_name = _("score card")
        verbose_name_plural = _("score cards")
        ordering = ["period", "-score", "staff"]
        constraints = [
            models.UniqueConstraint(fields=["period", "staff"], name="score_card_one_per_person"),
        ]
        indexes = [models.Index(fields=["staff", "period"])]

    def __str__(self) -> str:
        return f"{self.period} {self.staff}: {self.score}"


class IndicatorResult(models.Model):
    """One indicator of one score card, with everything that explains its contribution."""

    card = models.ForeignKey(
        ScoreCard, verbose_name=_("score card"), on_delete=models.CASCADE, related_name="results"
    )
    scheme_indicator = models.ForeignKey(
        SchemeIndicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    raw_value = models.DecimalField(
        _("computed value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    # An adjustment by the appraisal admin replaces the computed value, with a reason (audited).
    adjusted_value = models.DecimalField(
        _("adjusted value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    adjust_reason = NoteField(_("reason for the adjustment"), blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adjusted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adjusted_at = models.DateTimeField(_("adjusted at"), null=True, blank=True)
    # The scale's ends as used in this run (fixed, or the population's percentiles), low ≤ high.
    low = models.DecimalField(_("low end"), max_digits=18, decimal_places=4)
    high = models.DecimalField(_("high end"), max_digits=18, decimal_places=4)
    membership = models.FloatField(_("membership"))
    weight = models.FloatField(_("global weight"))
    contribution = models.FloatField(_("contribution (points)"))
    previous_value = models.DecimalField(
        _("previous value"), max_digits=18, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        ordering = ["card", "scheme_indicator__criterion__order", "scheme_indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["card", "scheme_indicator"], name="indicator_result_once_per_card"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.card_id} {self.scheme_indicator_id}: {self.value}"

    @property
    def value(self):
        return self.adjusted_value if self.adjusted_value is not None else self.raw_value


class TeamSignOff(models.Model):
    """A supervisor hands in his team's appraisal sheet 下属人员绩效考核表 for a period."""

    period = models.ForeignKey(
        AppraisalPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="sign_offs"
    )
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"))
    comment = NoteField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("team sign-off")
        verbose_name_plural = _("team sign-offs")
        ordering = ["period", "org_node"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "org_node"],
                name="team_sign_off_once",
                violation_error_message=_("This team's sheet for the period is already handed in."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.org_node}"
