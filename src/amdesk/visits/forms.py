"""Forms of the visit pages; the services do the checking, the forms only parse."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import AnomalyKind, ChecklistItem, FindingOutcome, LoanInspection, ScheduleEntry, Visit

DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "form-control form-control-lg"}, format="%Y-%m-%dT%H:%M"
)
TEXT = {"class": "form-control", "rows": 2}


def _choices(purpose: str, recorded=()) -> list[tuple[str, str]]:
    """The active items, and those a record already has (retired since, they stay on it)."""
    items = ChecklistItem.objects.filter(Q(is_active=True) | Q(code__in=list(recorded)), purpose=purpose)
    return list(items.values_list("code", "name"))


class VisitForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("visit", "Kind"), choices=Visit.Kind.choices, initial=Visit.Kind.REGULAR
    )
    mode = forms.ChoiceField(
        label=_("Mode"), choices=Visit.Mode.choices, initial=Visit.Mode.ON_SITE, widget=forms.RadioSelect
    )
    started_at = forms.DateTimeField(label=_("Time in"), widget=DATETIME)
    ended_at = forms.DateTimeField(label=_("Time out"), widget=DATETIME, required=False)
    checklist = forms.MultipleChoiceField(
        label=_("What was done"), required=False, widget=forms.CheckboxSelectMultiple
    )
    special_reason = forms.CharField(label=_("Reason for the special visit"), max_length=200, required=False)
    market_anomaly = forms.CharField(
        label=_("Market anomalies"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    anomalies = forms.MultipleChoiceField(
        label=_("Anomalies seen"), required=False, widget=forms.CheckboxSelectMultiple
    )
    opinions = forms.CharField(
        label=_("Client opinions and suggestions"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    effect = forms.CharField(
        label=_("Effect and feelings"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    next_step = forms.CharField(label=_("Next step"), max_length=200, required=False)
    next_step_on = forms.DateField(
        label=_("Next step on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    signer_name = forms.CharField(label=_("Signed by"), max_length=50, required=False)
    unsigned_reason = forms.CharField(label=_("Why the client did not sign"), max_length=200, required=False)
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, recorded: Visit | None = None, **kwargs):
        """`recorded`: the visit edited, whose checklist items and anomaly kinds stay offered."""
        super().__init__(*args, **kwargs)
        checklist, anomalies = (recorded.checklist, recorded.anomalies) if recorded else ([], [])
        self.fields["checklist"].choices = _choices(ChecklistItem.Purpose.VISIT, checklist)
        kinds = AnomalyKind.objects.filter(Q(is_active=True) | Q(code__in=list(anomalies)))
        self.fields["anomalies"].choices = [(kind.code, str(kind)) for kind in kinds]
        for name, field in self.fields.items():
            if isinstance(field.widget, (forms.TextInput, forms.DateInput, forms.Select)) and name != "kind":
                field.widget.attrs.setdefault("class", "form-control")
        self.fields["kind"].widget.attrs["class"] = "form-select"

    @staticmethod
    def initial_for_new() -> dict:
        now = timezone.localtime().replace(second=0, microsecond=0)
        return {"started_at": now - timezone.timedelta(minutes=30), "ended_at": now}

    def data_for_service(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key not in ("signature", "version")}
        for name in ("special_reason", "market_anomaly", "opinions", "effect", "next_step", "signer_name"):
            data[name] = data.get(name) or ""
        data["unsigned_reason"] = data.get("unsigned_reason") or ""
        return data


class SignForm(forms.Form):
    signature = forms.CharField(widget=forms.HiddenInput)
    signer_name = forms.CharField(label=_("Signed by"), max_length=50, required=False)


class EntryAddForm(forms.Form):
    client = forms.IntegerField(label=_("Client"))
    day = forms.DateField(label=_("Day"))
    mode = forms.ChoiceField(label=_("Mode"), choices=Visit.Mode.choices, initial=Visit.Mode.ON_SITE)
    strategy = forms.CharField(label=_("Service strategy"), max_length=200, required=False)
    request = forms.BooleanField(label=_("Client's request"), required=False)
    version = forms.IntegerField(required=False)


class EntryChangeForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=Visit.Mode.choices, required=False)
    strategy = forms.CharField(label=_("Service strategy"), max_length=200, required=False)
    version = forms.IntegerField(required=False)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return for changes"))])


class FindingCloseForm(forms.Form):
    """The industry's outcomes, none chosen at first: the supervisor decides what was done."""

    outcome = forms.ChoiceField(label=_("Outcome"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        outcomes = FindingOutcome.objects.filter(is_active=True)
        self.fields["outcome"].choices = [("", _("Choose what was done"))] + [
            (outcome.code, str(outcome)) for outcome in outcomes
        ]


class InspectionForm(forms.Form):
    use_of_funds = forms.CharField(label=_("Use of funds"), widget=forms.Textarea(attrs=TEXT))
    repayment_source = forms.CharField(label=_("Repayment source"), widget=forms.Textarea(attrs=TEXT))
    risk_signals = forms.MultipleChoiceField(
        label=_("Risk signals"), required=False, widget=forms.CheckboxSelectMultiple
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=LoanInspection.Risk.choices)
    conclusion = forms.CharField(label=_("Conclusion"), required=False, widget=forms.Textarea(attrs=TEXT))
    done_on = forms.DateField(label=_("Done on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_signals"].choices = _choices(ChecklistItem.Purpose.RISK_SIGNAL)
        for name in ("use_of_funds", "repayment_source", "conclusion"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["risk_level"].widget.attrs["class"] = "form-select"
        self.fields["done_on"].widget.attrs["class"] = "form-control"


class AdHocInspectionForm(forms.Form):
    loan = forms.ChoiceField(label=_("Loan"), required=False)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, loans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loan"].choices = [("", "—")] + [(str(loan.pk), loan.product.name) for loan in loans]
        self.fields["loan"].widget.attrs["class"] = "form-select"
        for name in ("due_on", "reason"):
            self.fields[name].widget.attrs["class"] = "form-control"


ENTRY_REASONS = dict(ScheduleEntry.Reason.choices)
