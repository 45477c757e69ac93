"""Forms of the survey pages. The answer sheet parses what a client (or the AM for him) ticked and
typed into the answers the services take; the services decide what is acceptable."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Question

TEXT = {"class": "form-control", "rows": 3}


@dataclass
class AnswerField:
    """One question as the renderer shows it, with what was typed and what is wrong with it."""

    question: Question
    name: str
    value: str = ""  # a scale's number, a single choice's option id, a text
    values: set[str] = field(default_factory=set)  # the options ticked of a multiple choice
    errors: list[str] = field(default_factory=list)

    @property
    def scale(self) -> list[int]:
        low, high = Question.SCALES.get(self.question.kind, (0, -1))
        return list(range(low, high + 1))


@dataclass
class SectionBlock:
    section: object
    fields: list[AnswerField]


class AnswerSheet:
    """The answer form of one questionnaire: `sections` (prefetched with their questions and options)
    are what the renderer loops over; `answers()` is what the services take: question id → an int
    (scales), an option id (single choice), a list of option ids (multiple choice) or a text."""

    def __init__(self, sections, data=None):
        self.bound = data is not None
        self.non_field_errors: list[str] = []
        self.blocks: list[SectionBlock] = []
        self.by_question: dict[int, AnswerField] = {}
        for section in sections:
            fields = []
            for question in section.questions.all():
                item = AnswerField(question=question, name=f"q{question.pk}")
                if data is not None:
                    if question.kind == Question.Kind.MULTIPLE:
                        item.values = {value for value in data.getlist(item.name) if value}
                    else:
                        item.value = (data.get(item.name) or "").strip()
                fields.append(item)
                self.by_question[question.pk] = item
            self.blocks.append(SectionBlock(section=section, fields=fields))

    @property
    def has_errors(self) -> bool:
        return bool(self.non_field_errors) or any(item.errors for item in self.by_question.values())

    def error_count(self) -> int:
        return sum(1 for item in self.by_question.values() if item.errors)

    def answers(self) -> dict[int, object]:
        """What was sent, as the services take it (they check it: required, ranges, options)."""
        return {
            question_id: sorted(item.values) if item.question.kind == Question.Kind.MULTIPLE else item.value
            for question_id, item in self.by_question.items()
        }

    def apply_errors(self, exc: ValidationError) -> None:
        """Put a service's refusal under the questions it names ("q<id>" or the id), the rest on top."""
        if not hasattr(exc, "error_dict"):
            self.non_field_errors.extend(exc.messages)
            return
        for key, messages in exc.message_dict.items():
            item = None
            text = str(key)
            if text.startswith("q"):
                text = text[1:]
            if text.isdigit():
                item = self.by_question.get(int(text))
            if item is None:
                self.non_field_errors.extend(messages)
            else:
                item.errors.extend(messages)


DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _styled(form: forms.Form) -> None:
    for form_field in form.fields.values():
        widget = form_field.widget
        if isinstance(widget, forms.HiddenInput | forms.CheckboxInput):
            continue
        widget.attrs.setdefault(
            "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
        )


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        required=False,
        help_text=_("Letters, digits and hyphens; editions share it. Empty: made from the title."),
    )
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Shown to the client above the first question."),
    )
    # The version the form was shown with: required when editing (a stale form is refused, never
    # saved over someone else's change).
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # editions of one questionnaire keep their code
            del self.fields["code"]
            self.fields["version"].required = True
        else:
            del self.fields["version"]
        _styled(self)


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput)  # the questionnaire's, as shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Answer type"), choices=Question.Kind.choices, initial=Question.Kind.RATING_5
    )
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)
    weight = forms.DecimalField(
        label=_("Weight in the index"),
        min_value=0,
        max_digits=5,
        decimal_places=2,
        initial=1,
        required=False,
        help_text=_("0 keeps the question out of the satisfaction index."),
    )
    dimension = forms.CharField(label=_("Dimension"), max_length=40, required=False)
    help_text = forms.CharField(label=_("Explanation"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)  # the questionnaire's, as shown
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            'Choice questions: one option per line; a score (0–100) after a "|" counts it '
            'in the index, e.g. "Satisfied|100".'
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)
        self.fields["required"].widget.attrs["class"] = "form-check-input"
        self.fields["kind"].widget.attrs["data-question-kind"] = ""

    def clean_options(self) -> list[tuple[str, Decimal | None]]:
        options = []
        for number, line in enumerate(self.cleaned_data.get("options", "").splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            label, _sep, score_text = line.partition("|")
            score = None
            if score_text.strip():
                try:
                    score = Decimal(score_text.strip())
                except InvalidOperation:
                    raise ValidationError(
                        _('Line %(number)s: the score after "|" must be a number from 0 to 100.'),
                        params={"number": number},
                    ) from None
            options.append((label.strip(), score))
        return options

    @staticmethod
    def options_text(question: Question) -> str:
        lines = []
        for option in question.options.all():
            score = "" if option.score is None else f"|{option.score.normalize():f}"
            lines.append(f"{option.label}{score}")
        return "\n".join(lines)

    @classmethod
    def initial_of(cls, question: Question) -> dict:
        return {
            "version": question.questionnaire.version,
            "text": question.text,
            "kind": question.kind,
            "required": question.required,
            "weight": question.weight,
            "dimension": question.dimension,
            "help_text": question.help_text,
            "options": cls.options_text(question),
        }


class RoundForm(forms.Form):
    questionnaire = forms.ModelChoiceField(label=_("Questionnaire"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=100)
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)
    target = forms.ChoiceField(label=_("Clients surveyed"), choices=())
    sample_size = forms.IntegerField(
        label=_("Clients per account manager"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("For a sample; empty: the survey settings' number."),
    )
    org_node = forms.ModelChoiceField(
        label=_("Org unit surveyed"),
        queryset=None,
        required=False,
        empty_label=_("The whole organisation"),
    )

    def __init__(self, *args, questionnaires, org_nodes, **kwargs):
        from .models import SurveyRound

        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = questionnaires
        self.fields["org_node"].queryset = org_nodes
        self.fields["target"].choices = SurveyRound.Target.choices
        _styled(self)


class ActionForm(forms.Form):
    analysis = forms.CharField(
        label=_("Analysis of the results"),
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("What the clients said and why, in the light of your own service."),
    )
    measures = forms.CharField(
        label=_("Measures taken"),
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Service skills, attitude, visit frequency… what you do so satisfaction rises."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class ReviewForm(forms.Form):
    review_comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DueForm(forms.Form):
    """The supervisor sets when the measures are due."""

    due_on = forms.DateField(label=_("Due by"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecordForm(forms.Form):
    """The AM's answers for a client: how they were gathered (the sheet's questions come separately)."""

    mode = forms.ChoiceField(label=_("Answered how"), choices=(), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        from .models import SurveyResponse

        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [
            (SurveyResponse.Mode.VISIT, SurveyResponse.Mode.VISIT.label),
            (SurveyResponse.Mode.PHONE, SurveyResponse.Mode.PHONE.label),
        ]
        self.fields["mode"].initial = SurveyResponse.Mode.VISIT
