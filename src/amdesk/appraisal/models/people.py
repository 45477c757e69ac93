"""What appraisal knows of people besides scores: DISC job fit, training credits, team selling
shares on core clients, and staffing ratios."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amdesk.core.fields import NoteField

DISC_FACTORS = ("D", "I", "S", "C")
_disc = [MinValueValidator(0), MaxValueValidator(100)]


def _disc_field(label):
    return models.PositiveSmallIntegerField(label, validators=_disc)


class DiscModel(models.Model):
    """A job model M built from top performers' questionnaires (seed 002 第3篇; bank A: D 32, I 72,
    S 46, C 57)."""

    role = models.ForeignKey("orgs.Role", verbose_name=_("role"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    d = _disc_field("D")
    i = _disc_field("I")
    s = _disc_field("S")
    c = _disc_field("C")
    source_note = NoteField(_("how the model was built"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("DISC job model")
        verbose_name_plural = _("DISC job models")
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def scores(self) -> dict[str, int]:
        return {"D": self.d, "I": self.i, "S": self.s, "C": self.c}


class DiscProfile(models.Model):
    """A person's inner (natural) and outer (adapted) DISC styles: a staff member or a candidate."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="disc_profiles",
    )
    candidate_name = models.CharField(_("candidate"), max_length=50, blank=True)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    inner_d = _disc_field(_("inner D"))
    inner_i = _disc_field(_("inner I"))
    inner_s = _disc_field(_("inner S"))
    inner_c = _disc_field(_("inner C"))
    outer_d = _disc_field(_("outer D"))
    outer_i = _disc_field(_("outer I"))
    outer_s = _disc_field(_("outer S"))
    outer_c = _disc_field(_("outer C"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("DISC profile")
        verbose_name_plural = _("DISC profiles")
        ordering = ["-assessed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff__isnull=False) | ~Q(candidate_name=""),
                name="disc_profile_names_someone",
                violation_error_message=_("A profile belongs to a staff member or names a candidate."),
            ),
        ]

    def __str__(self) -> str:
        return self.person_name

    @property
    def person_name(self) -> str:
        return self.staff.full_name if self.staff_id else self.candidate_name

    @property
    def inner(self) -> dict[str, int]:
        return {"D": self.inner_d, "I": self.inner_i, "S": self.inner_s, "C": self.inner_c}

    @property
    def outer(self) -> dict[str, int]:
        return {"D": self.outer_d, "I": self.outer_i, "S": self.outer_s, "C": self.outer_c}


class TrainingSession(models.Model):
    topic = models.CharField(_("topic"), max_length=100)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0.5)]
    )
    trainer = models.CharField(_("trainer"), max_length=50)
    org_node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name=_("for"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The team, outlet or branch the session is for."),
    )
    credits = models.DecimalField(_("credits for attending"), max_digits=5, decimal_places=1, default=1)
    note = NoteField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "topic"]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="+"
    )
    attended = models.BooleanField(_("attended"), default=True)
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendance")
        ordering = ["session", "staff"]
        constraints = [models.UniqueConstraint(fields=["session", "staff"], name="training_attendance_once")]

    def __str__(self) -> str:
        return f"{self.session} {self.staff_id}"


class SellingTeamMember(models.Model):
    """Team selling 团队营销: who serves a core client besides (or with) the owner, and the share of
    what the client brings that counts for him. A client's shares add up to 100 (services check)."""

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="selling_team"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.ForeignKey(
        "orgs.Role", verbose_name=_("role in the team"), on_delete=models.PROTECT, related_name="+"
    )
    share_percent = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("selling team member")
        verbose_name_plural = _("selling team members")
        ordering = ["client", "-share_percent"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "staff"],
                name="selling_team_once",
                violation_error_message=_("This person is already in the client's team."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.staff_id} {self.share_percent}%"


class SellingShareDefault(models.Model):
    """The configured share of each team role when a team is formed (bank: AM 60, product 20, risk 20)."""

    role = models.OneToOneField(
        "orgs.Role", verbose_name=_("role"), on_delete=models.CASCADE, related_name="+"
    )
    share_percent = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("team selling share")
        verbose_name_plural = _("team selling shares")
        ordering = ["-share_percent"]

    def __str__(self) -> str:
        return f"{self.role}: {self.share_percent}%"


class StaffingRatio(models.Model):
    """One `role` for every `per_count` holders of `per_role` in a team (bank: a product manager for
    every three account managers, seed 002 第4篇)."""

    role = models.ForeignKey("orgs.Role", verbose_name=_("role"), on_delete=models.CASCADE, related_name="+")
    per_role = models.ForeignKey(
        "orgs.Role", verbose_name=_("for every"), on_delete=models.CASCADE, related_name="+"
    )
    per_count = models.PositiveSmallIntegerField(_("holders of that role"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("staffing ratio")
        verbose_name_plural = _("staffing ratios")
        ordering = ["role"]
        constraints = [models.UniqueConstraint(fields=["role", "per_role"], name="staffing_ratio_once")]

    def __str__(self) -> str:
        return f"1 {self.role} / {self.per_count} {self.per_role}"
