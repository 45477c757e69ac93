"""Survey rounds 满意度调查轮次, their invitations (one per client) and the numbers the business sets."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amdesk.clients.models import Client
from amdesk.core.fields import NoteField

from .questionnaire import Questionnaire

# The clients a round asks; module level so the settings' default shares them with the rounds.
TARGETS = [
    ("key", _("All key clients")),
    ("sample", _("A random sample of clients per account manager")),
    ("visited", _("Clients visited in the period surveyed")),
    ("won", _("All won clients")),
]

PERIOD_HELP = _(
    "The period surveyed: the service the clients rate, and for “clients visited” the visits that "
    "select them. By default the last full period (quarter) before the round opens, since a period "
    "that has just begun has no visits yet."
)


class SurveySettings(models.Model):
    """Numbers of the survey capability the business may change; one row, edited in the admin."""

    class IndexScale(models.IntegerChoices):
        HUNDRED = 100, _("0–100 points")
        TEN = 10, _("0–10 points")
        FIVE = 5, _("0–5 points")

    cadence_months = models.PositiveSmallIntegerField(
        _("months between survey rounds"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    sample_per_manager = models.PositiveSmallIntegerField(
        _("clients sampled per account manager"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    link_valid_days = models.PositiveSmallIntegerField(
        _("days a survey link stays valid"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    public_rate_limit = models.PositiveSmallIntegerField(
        _("answer page requests allowed per address"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
    )
    public_rate_window_minutes = models.PositiveSmallIntegerField(
        _("… within (minutes)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    # 70, not 80: on a 1–5 scale "satisfied" (4) is (4 − 1) / 4 = 75 points, so a threshold of 80
    # would ask an improvement action of an AM whose clients all answered "satisfied".
    low_score_threshold = models.DecimalField(
        _("index below which an account manager records an improvement action (0–100)"),
        max_digits=5,
        decimal_places=2,
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "Compared with the index rounded to one decimal. A client answering 4 of 5 everywhere scores 75."
        ),
    )
    min_responses_for_action = models.PositiveSmallIntegerField(
        _("responses an account manager needs before an improvement action is asked"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    action_due_days = models.PositiveSmallIntegerField(
        _("days to record an improvement action"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    index_scale = models.PositiveSmallIntegerField(
        _("scale the index is shown on"), choices=IndexScale.choices, default=IndexScale.HUNDRED
    )

    # What the daily job needs to prepare the next round by itself (empty questionnaire: it does not).
    default_questionnaire = models.ForeignKey(
        "surveys.Questionnaire",
        verbose_name=_("questionnaire of the rounds prepared by the daily job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The daily job prepares the next whole-organisation round as a draft with it (its latest "
            "published edition). Empty: rounds are only created by hand."
        ),
    )
    default_target = models.CharField(
        _("clients surveyed in the rounds prepared by the daily job"),
        max_length=10,
        choices=TARGETS,
        default="key",
    )
    round_open_days = models.PositiveSmallIntegerField(
        _("days a prepared round stays open"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "SurveySettings":
        current, _created = cls.objects.get_or_create(pk=1)
        return current

    def scaled(self, index):
        """An index kept on 0–100, shown on the configured scale (None stays None)."""
        from ..scoring import on_scale

        return on_scale(index, self.index_scale)


class SurveyRound(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("survey round", "Draft")
        OPEN = "open", pgettext_lazy("survey round", "Open")
        CLOSED = "closed", pgettext_lazy("survey round", "Closed")

    class Target(models.TextChoices):
        KEY_CLIENTS = "key", TARGETS[0][1]
        SAMPLE = "sample", TARGETS[1][1]
        VISITED = "visited", TARGETS[2][1]
        WON_CLIENTS = "won", TARGETS[3][1]

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(pgettext_lazy("survey round", "name"), max_length=100)
    period_start = models.DateField(_("period from"), help_text=PERIOD_HELP)
    period_end = models.DateField(_("period to"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    target = models.CharField(
        _("clients surveyed"), max_length=10, choices=Target.choices, default=Target.KEY_CLIENTS
    )
    sample_size = models.PositiveSmallIntegerField(
        _("clients per account manager"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("For a sample; empty: the survey settings' number."),
    )
    # The sample is reproducible: the same seed over the same clients picks the same ones.
    sample_seed = models.PositiveIntegerField(_("sample seed"), default=0)
    org_node = models.ForeignKey(
        "orgs.OrgNode",
        verbose_name=_("org unit surveyed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole organisation."),
    )
    state = models.CharField(
        pgettext_lazy("survey round", "state"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="round_period_order",
                violation_error_message=_("The surveyed period ends on or after its first day."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="round_dates_order",
                violation_error_message=_("The round closes on or after the day it opens."),
            ),
        ]
        indexes = [models.Index(fields=["state", "opens_on"]), models.Index(fields=["state", "closes_on"])]

    def __str__(self) -> str:
        return self.name


class SurveyInvitation(models.Model):
    """One client asked in one round: under his account manager and org node at the round's opening."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        ANSWERED = "answered", _("Answered")
        EXPIRED = "expired", pgettext_lazy("survey invitation", "Expired")

    class Channel(models.TextChoices):
        MANAGER = "manager", _("Recorded by the account manager")
        LINK = "link", _("Answer link")

    round = models.ForeignKey(
        SurveyRound, verbose_name=_("survey round"), on_delete=models.CASCADE, related_name="invitations"
    )
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("org node"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        pgettext_lazy("survey invitation", "state"),
        max_length=10,
        choices=State.choices,
        default=State.PENDING,
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.MANAGER)
    # Only the sha256 of the one-time link's token; the token itself is shown once to the issuer.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    link_issued_at = models.DateTimeField(_("link issued at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-round_id", "owner_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "client"], name="invitation_one_per_round_and_client"),
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~Q(token_hash=""),
                name="invitation_unique_token_hash",
                violation_error_message=_("This survey link exists already; issue a new one."),
            ),
        ]
        indexes = [
            models.Index(fields=["round", "owner"]),
            models.Index(fields=["owner", "state"]),
            models.Index(fields=["org_node", "round"]),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.client}"

    @property
    def link_valid(self) -> bool:
        return bool(self.token_hash) and self.expires_at is not None and self.expires_at > timezone.now()

    @property
    def link_last_valid(self):
        """The link's last minute, local time, for pages: `expires_at` is the first moment it no longer
        works (at the latest 00:00 the day after the round closes), which shown as such reads a day late."""
        if self.expires_at is None:
            return None
        return timezone.localtime(self.expires_at - timedelta(seconds=1)).replace(second=0, microsecond=0)


class SurveyResponse(models.Model):
    """The answers of one invitation, with its index computed when answered (kept, recomputable)."""

    class Mode(models.TextChoices):
        LINK = "link", _("Client on the link")
        VISIT = "visit", _("During a visit")
        PHONE = "phone", _("By phone")

    invitation = models.OneToOneField(
        SurveyInvitation, verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="response"
    )
    # Copied from the invitation so the index groups and scopes without joining it.
    round = models.ForeignKey(
        SurveyRound, verbose_name=_("survey round"), on_delete=models.CASCADE, related_name="responses"
    )
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_node = models.ForeignKey(
        "orgs.OrgNode", verbose_name=_("org node"), on_delete=models.PROTECT, related_name="+"
    )
    # The client's segment when he answered, for the analysis report.
    client_tier = models.ForeignKey(
        "clients.ClientTier",
        verbose_name=pgettext_lazy("client", "tier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    client_lifecycle = models.CharField(_("lifecycle"), max_length=12, choices=Client.Lifecycle.choices)
    client_vip_level = models.ForeignKey(
        "clients.VipLevel",
        verbose_name=_("VIP level"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    mode = models.CharField(_("answered how"), max_length=10, choices=Mode.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Weighted mean of the rated answers on 0–100; None when no weighted question was answered.
    index = models.DecimalField(
        _("satisfaction index"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # The answer to the (first) NPS question, 0–10, for promoters − detractors.
    nps = models.PositiveSmallIntegerField(_("recommendation (0–10)"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_at", "-id"]
        indexes = [
            models.Index(fields=["round", "owner"]),
            models.Index(fields=["org_node", "round"]),
            models.Index(fields=["owner", "-answered_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.client}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "surveys.Question", verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    number = models.DecimalField(_("rating"), max_digits=5, decimal_places=2, null=True, blank=True)
    options = models.ManyToManyField(
        "surveys.Option", verbose_name=_("options chosen"), blank=True, related_name="+"
    )
    text = NoteField(_("text"), blank=True)
    # This answer on 0–100 (None for text, unanswered or unscored choices): the index's term.
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response_id", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question"),
        ]
        indexes = [models.Index(fields=["question", "response"])]

    def __str__(self) -> str:
        return f"{self.question}: {self.number if self.number is not None else self.text[:30]}"
