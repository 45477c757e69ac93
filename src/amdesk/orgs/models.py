"""Org tree, staff, roles and the career ladder (四等十级)."""

from django.contrib.auth.models import AbstractUser, Permission
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from amdesk.core.i18n import localized

# Each step of a materialized path: the node's id, zero-padded, then "/". Byte order of
# '/' (0x2F) just below '0' (0x30) makes a subtree the half-open range [path, path[:-1] + "0").
PATH_STEP_WIDTH = 7
PATH_SEPARATOR = "/"


class OrgLevel(models.Model):
    """The name of each depth of the tree for the installation's industry (总行, 分行, 支行, 网点, 团队…)."""

    depth = models.PositiveSmallIntegerField(_("depth"), unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    reports_as_branch = models.BooleanField(
        _("reports group by this level as branches"),
        default=False,
        help_text=_("One level only. When no level is marked, the level below the head office (depth 1)."),
    )

    class Meta:
        verbose_name = _("org level")
        verbose_name_plural = _("org levels")
        ordering = ["depth"]
        constraints = [
            models.UniqueConstraint(
                fields=["reports_as_branch"],
                condition=Q(reports_as_branch=True),
                name="orglevel_one_branch_level",
                violation_error_message=_("Only one level is the branch level of the reports."),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.name, self.name_en)


class OrgNode(models.Model):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    # Set by the org services from the parent's path; in the "C" collation on PostgreSQL
    # (migration 0002) so the range query of a subtree uses the index in byte order.
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    leader = models.ForeignKey(
        "orgs.Staff",
        verbose_name=_("head / supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_nodes",
        help_text=_("The outlet or branch head or the team's supervisor; sees everything under this node."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("org node")
        verbose_name_plural = _("org tree")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def subtree_q(self, prefix: str = "") -> Q:
        """Q for rows whose node (reached through `prefix`, e.g. "org_node__") is this node or below."""
        return subtree_range_q(self.path, prefix)


def subtree_range_q(path: str, prefix: str = "") -> Q:
    """The node with this path and everything under it: one range on the indexed path column."""
    upper = path[:-1] + chr(ord(PATH_SEPARATOR) + 1)
    return Q(**{f"{prefix}path__gte": path, f"{prefix}path__lt": upper})


class Role(models.Model):
    class Scope(models.TextChoices):
        OWN = "own", _("Own records")
        SUBTREE = "subtree", _("Records under the nodes one heads")
        ALL = "all", _("All records")

    class WriteScope(models.TextChoices):
        NONE = "none", _("No records (read only)")
        OWN = "own", _("Own records")
        SUBTREE = "subtree", _("Records under the nodes one heads")
        ALL = "all", _("All records")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    scope = models.CharField(_("data scope"), max_length=16, choices=Scope.choices, default=Scope.OWN)
    may_see_personal_data = models.BooleanField(
        _("may see personal data"),
        default=False,
        help_text=_("Unmasked ID, phone and card numbers of the clients within the role's scope."),
    )
    write_scope = models.CharField(
        _("write scope"),
        max_length=16,
        choices=WriteScope.choices,
        default=WriteScope.NONE,
        help_text=_(
            "Which client records (the archive, contacts, holdings, AUM, ratings, visits, reviews) the "
            "role may change; never wider than its data scope."
        ),
    )
    admin_site = models.BooleanField(_("uses the admin site"), default=False)
    superuser = models.BooleanField(_("all permissions"), default=False)
    permissions = models.ManyToManyField(Permission, verbose_name=_("permissions"), blank=True)
    # Which cards of "我的工作台" the role's holders see (codes of amdesk.desk.cards, in any order):
    # each role's desk shows its own work; a person with several roles sees the union.
    desk_cards = models.JSONField(
        _("desk cards"),
        default=list,
        blank=True,
        help_text=_("Codes of the desk cards this role's holders see, e.g. my_visits, team_plans."),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label

    def clean(self):
        super().clean()
        order = list(self.WriteScope.values)
        known = self.write_scope in order and self.scope in order
        if known and order.index(self.write_scope) > order.index(self.scope):
            raise ValidationError(
                {"write_scope": _("A role cannot change records it does not see: narrow the write scope.")}
            )

    @property
    def label(self) -> str:
        return localized(self.name, self.name_en)


class LadderGrade(models.Model):
    """One grade of the career ladder 四等十级: four tiers, ten grades, ordered low to high."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    tier = models.PositiveSmallIntegerField(_("tier"))
    tier_name = models.CharField(_("tier name"), max_length=50)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)

    class Meta:
        verbose_name = _("ladder grade")
        verbose_name_plural = _("ladder grades")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.name, self.name_en)


class Staff(AbstractUser):
    """A person who signs in: the Django user with the staff profile on it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LEFT = "left", _("Left")

    employee_no = models.CharField(_("employee number"), max_length=32, unique=True)
    full_name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    org_node = models.ForeignKey(
        OrgNode,
        verbose_name=_("org node"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="staff")
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    grade = models.ForeignKey(
        LadderGrade, verbose_name=_("ladder grade"), null=True, blank=True, on_delete=models.PROTECT
    )

    REQUIRED_FIELDS = ["email", "employee_no", "full_name"]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["employee_no"]
        constraints = [
            # Whoever has left cannot sign in, whatever else is changed.
            models.CheckConstraint(
                condition=Q(status="active") | Q(is_active=False),
                name="staff_left_cannot_sign_in",
                violation_error_message=_("Someone who has left cannot sign in."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.employee_no}）" if self.full_name else self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_codes(self) -> set[str]:
        return set(self.roles.values_list("code", flat=True))


class GradeHistory(models.Model):
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="grade_history"
    )
    grade = models.ForeignKey(LadderGrade, verbose_name=_("ladder grade"), on_delete=models.PROTECT)
    previous_grade = models.ForeignKey(
        LadderGrade,
        verbose_name=_("previous grade"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_on = models.DateField(_("effective on"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        Staff,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grade history entry")
        verbose_name_plural = _("grade history")
        ordering = ["staff", "-effective_on", "-id"]
        indexes = [models.Index(fields=["staff", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.staff} → {self.grade} ({self.effective_on})"
