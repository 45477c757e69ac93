"""A visit record 拜访记录, what it raised for the supervisor, and where a client is."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amdesk.clients.models import Client
from amdesk.core.fields import NoteField


class Visit(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular visit")
        SPECIAL = "special", _("Special visit")
        POST_LOAN = "post_loan", _("Post-loan inspection")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        PHONE = "phone", pgettext_lazy("visit method", "Phone")
        VIDEO = "video", _("Video")

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="visits"
    )
    # Who visited and under which org node the client was: the scope of the record.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("org node"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        pgettext_lazy("visit", "kind"), max_length=12, choices=Kind.choices, default=Kind.REGULAR
    )
    planned = models.BooleanField(_("planned"), default=False)
    entry = models.OneToOneField(
        "visits.ScheduleEntry",
        verbose_name=_("schedule entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit",
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    visited_on = models.DateField(_("date"))
    started_at = models.DateTimeField(_("time in"))
    ended_at = models.DateTimeField(_("time out"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    checklist = models.JSONField(_("content"), default=list, blank=True)  # codes of ChecklistItem done
    special_reason = models.CharField(_("reason for the special visit"), max_length=200, blank=True)
    market_anomaly = NoteField(_("market anomalies"), blank=True)
    # Codes of the industry's AnomalyKind seen on the visit (each raises a finding).
    anomalies = models.JSONField(_("anomalies seen"), default=list, blank=True)
    opinions = NoteField(_("client opinions and suggestions"), blank=True)
    effect = NoteField(_("effect and feelings"), blank=True)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    # Sign-off: the client's signature drawn on the AM's screen (PNG data URL), or why there is none.
    signature = models.TextField(_("client signature"), blank=True, editable=False)
    signer_name = models.CharField(_("signed by"), max_length=50, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, editable=False)
    unsigned_reason = models.CharField(_("why the client did not sign"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-visited_on"]),
            models.Index(fields=["-started_at", "-id"]),  # the records list's order
            models.Index(fields=["owner", "-visited_on"]),
            models.Index(fields=["org_node", "-visited_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="visit_ends_after_start",
                violation_error_message=_("The departure comes after the arrival."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.visited_on}"

    def get_absolute_url(self) -> str:
        return reverse("visits:detail", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def minutes(self) -> int | None:
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)


class VisitFinding(models.Model):
    """What a visit saw that the supervisor must act on: the anomalies written down (kind
    `market_anomaly`), or one of the industry's anomaly kinds ticked (kind = its code, `anomaly` set)."""

    MARKET_ANOMALY = "market_anomaly"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_node = models.ForeignKey("orgs.OrgNode", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(pgettext_lazy("visit", "kind"), max_length=40)
    anomaly = models.ForeignKey(
        "visits.AnomalyKind",
        verbose_name=_("anomaly kind"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = NoteField(_("what was seen"), blank=True)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    outcome = models.ForeignKey(
        "visits.FindingOutcome",
        verbose_name=_("outcome"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome_note = models.CharField(_("outcome note"), max_length=200, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit finding")
        verbose_name_plural = _("visit findings")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["org_node", "closed_at"])]
        constraints = [
            models.UniqueConstraint(fields=["visit", "kind"], name="finding_one_per_visit_and_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label}: {self.client}"

    @property
    def kind_label(self) -> str:
        """The anomaly kind's name, or "Market anomaly" for the anomalies written down."""
        return str(self.anomaly) if self.anomaly_id else str(_("Market anomaly"))

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ClientLocation(models.Model):
    """Where a client is, for routes: typed in, or taken from an on-site visit's position."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered")
        VISIT = "visit", _("From an on-site visit")

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="location")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    area = models.CharField(_("area"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("client location")
        verbose_name_plural = _("client locations")

    def __str__(self) -> str:
        return f"{self.client}: {self.area or ''} {self.latitude},{self.longitude}"
