"""The client archive 客户档案: the client, his owner history and search keys, and the change history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amdesk.core.fields import NoteField

from .reference import ClientGrade, ClientTier, Tag, VipLevel, default_tier


class Client(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        CORPORATE = "corporate", _("Corporate")

    class Lifecycle(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        WON = "won", _("Won client")
        INFLUENCER = "influencer", _("Centre of influence")
        LOST = "lost", _("Lost")

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class BirthdayKind(models.TextChoices):
        SOLAR = "solar", _("Solar calendar")
        LUNAR = "lunar", _("Lunar calendar")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    name = models.CharField(pgettext_lazy("client", "name"), max_length=100)
    # Individuals
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birthday_kind = models.CharField(
        _("birthday calendar"), max_length=8, choices=BirthdayKind.choices, default=BirthdayKind.SOLAR
    )
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)
    # Corporates
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    size = models.CharField(_("size"), max_length=20, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    # Both
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="clients"
    )
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("org node"), on_delete=models.PROTECT, related_name="clients"
    )
    lifecycle = models.CharField(
        _("lifecycle"), max_length=12, choices=Lifecycle.choices, default=Lifecycle.PROSPECT
    )
    onboarded_on = models.DateField(_("onboarded on"), null=True, blank=True)
    onboard_reason = models.CharField(_("onboarding reason"), max_length=200, blank=True)
    offboarded_on = models.DateField(_("offboarded on"), null=True, blank=True)
    offboard_reason = models.CharField(_("offboarding reason"), max_length=200, blank=True)
    # Tiers and grades are an industry's preset data (reference.py), edited in the admin.
    tier = models.ForeignKey(
        ClientTier,
        verbose_name=pgettext_lazy("client", "tier"),
        on_delete=models.PROTECT,
        default=default_tier,
        related_name="+",
    )
    vip_level = models.ForeignKey(
        VipLevel, verbose_name=_("VIP level"), null=True, blank=True, on_delete=models.PROTECT
    )
    grade = models.ForeignKey(
        ClientGrade,
        verbose_name=pgettext_lazy("client", "grade"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="clients")
    is_big_account = models.BooleanField(_("big account"), default=False)
    # Kept by the contact services: a big account with too few contacts or no decision maker.
    stakeholder_gap = models.BooleanField(_("stakeholder map incomplete"), default=False, editable=False)
    credit_rating = models.CharField(_("credit rating"), max_length=10, blank=True, editable=False)
    credit_rated_on = models.DateField(_("rated on"), null=True, blank=True, editable=False)
    # The latest AUM snapshot, copied here so lists filter and sort by it through an index.
    aum = models.DecimalField(_("AUM"), max_digits=18, decimal_places=2, default=0, editable=False)
    aum_as_of = models.DateField(_("AUM as of"), null=True, blank=True, editable=False)
    # Percent of the required archive fields filled in; kept by the services (see completeness.py).
    completeness = models.PositiveSmallIntegerField(_("archive completeness (%)"), default=0, editable=False)
    remarks = NoteField(_("remarks"), blank=True)
    source = models.CharField(_("source"), max_length=50, blank=True)
    # Optimistic locking: every save raises it; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["-id"]
        constraints = [
            # The message says the number is taken, never by whom (the client may lie outside the
            # caller's scope), and the way on; code "unique" puts it on the field.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="client_unique_id_number",
                violation_error_code="unique",
                violation_error_message=_(
                    "This ID number is already in the client archive. If the client should be yours, "
                    "ask a supervisor to hand the client over."
                ),
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="client_unique_credit_code",
                violation_error_code="unique",
                violation_error_message=_(
                    "This unified social credit code is already in the client archive. If the client "
                    "should be yours, ask a supervisor to hand the client over."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-id"]),
            models.Index(fields=["org_node", "-id"]),
            models.Index(fields=["mobile"]),
            models.Index(fields=["aum", "id"]),
            models.Index(fields=["completeness", "id"]),
            models.Index(fields=["updated_at", "id"]),
            models.Index(fields=["name", "id"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clients:detail", args=[self.pk])


class ClientOwnership(models.Model):
    """Who was responsible for a client when: one row per owner, the current one open-ended."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="ownerships")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class How(models.TextChoices):
        CREATED = "created", _("Client created")
        HANDOVER = "handover", _("Handover")
        IMPORT = "import", _("Import")

    how = models.CharField(_("how"), max_length=10, choices=How.choices, default=How.CREATED)
    started_at = models.DateTimeField(_("from"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("owner history")
        ordering = ["client", "-started_at", "-id"]
        # An owner's clients won in a period (targets, the desks, appraisal): a range on started_at.
        indexes = [models.Index(fields=["owner", "started_at"], name="ownership_owner_started")]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(ended_at__isnull=True),
                name="one_current_owner",
                violation_error_message=_("The client already has a current owner."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} ← {self.owner}"


class ClientSearchKey(models.Model):
    """Search keys of a client: 1- and 2-character pieces of the name, pinyin, initials, mobile tail, ID.

    Chinese names are 2–3 characters, below the 3-character floor of trigram indexes; an exact or
    prefix lookup on this indexed column finds them on both databases without a table scan.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="search_keys")
    key = models.CharField(max_length=64)

    class Meta:
        # The foreign key's own index serves deletes by client; the unique (key, client) one serves search.
        constraints = [models.UniqueConstraint(fields=["key", "client"], name="client_search_key_unique")]

    def __str__(self) -> str:
        return self.key


class ClientChange(models.Model):
    """One changed field of a client: who changed it when, from what to what (personal data masked)."""

    class Source(models.TextChoices):
        EDIT = "edit", _("Edited")
        HANDOVER = "handover", _("Handover")
        RATING = "rating", _("Credit rating")
        IMPORT = "import", _("Import")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("field"), max_length=40)
    old_value = models.CharField(_("from"), max_length=200, blank=True)
    new_value = models.CharField(_("to"), max_length=200, blank=True)
    source = models.CharField(_("how changed"), max_length=10, choices=Source.choices, default=Source.EDIT)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("client change")
        verbose_name_plural = _("client changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["client", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.client_id} {self.field}"
