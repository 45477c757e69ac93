"""The questionnaire builder 问卷: editions of a questionnaire, its sections, questions and options.

A published edition is never edited in place: answers point at its questions, so a change
is a copy (the next edition, a draft) that is published in turn.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amdesk.core.fields import NoteField


class Questionnaire(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("questionnaire", "Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    # Editions of one questionnaire share the code; (code, edition) is unique.
    code = models.SlugField(_("code"), max_length=40)
    edition = models.PositiveSmallIntegerField(_("edition"), default=1)
    title = models.CharField(_("title"), max_length=100)
    intro = NoteField(
        _("introduction"), blank=True, help_text=_("Shown to the client above the first question.")
    )
    state = models.CharField(
        pgettext_lazy("questionnaire", "state"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
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
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    # Optimistic locking of the title and introduction (the builder's form).
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["code", "edition"], name="questionnaire_unique_code_edition"),
        ]
        # Questionnaires are organisation-wide (every unit's rounds may use them): publishing and
        # archiving one is for administrators, not for any supervisor who may draft one.
        permissions = [("publish_questionnaire", _("Can publish and archive questionnaires"))]

    def __str__(self) -> str:
        return f"{self.title} (v{self.edition})"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("title"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["questionnaire_id", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RATING_5 = "rating5", _("Rating 1–5")
        RATING_10 = "rating10", _("Rating 1–10")
        NPS = "nps", _("Recommendation 0–10 (NPS)")
        TEXT = "text", _("Free text")

    # (lowest, highest) of a rated kind; its index value is (v − lowest) / (highest − lowest) · 100.
    SCALES = {Kind.RATING_5: (1, 5), Kind.RATING_10: (1, 10), Kind.NPS: (0, 10)}
    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=200, blank=True)
    kind = models.CharField(
        pgettext_lazy("question", "type"), max_length=10, choices=Kind.choices, default=Kind.RATING_5
    )
    required = models.BooleanField(_("answer required"), default=True)
    # Share of this question in the satisfaction index; 0 keeps a rated question out of it.
    weight = models.DecimalField(
        _("weight in the satisfaction index"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    dimension = models.CharField(
        _("dimension"), max_length=40, blank=True, help_text=_("e.g. service attitude, responsiveness.")
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire_id", "section__order", "section_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="question_weight_not_negative",
                violation_error_message=_("A question's weight cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_rated(self) -> bool:
        return self.kind in self.SCALES

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS


class Option(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    label = models.CharField(_("label"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # 0–100 points: lets a choice question count in the index (e.g. 满意 100, 一般 60, 不满意 0).
    score = models.DecimalField(
        _("score (0–100)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Empty: choosing this option does not count in the index."),
    )

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="option_score_0_100",
                violation_error_message=_("An option's score is from 0 to 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.label
