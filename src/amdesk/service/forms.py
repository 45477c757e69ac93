"""Forms of the ticket pages; the services check the rules, the forms only parse."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amdesk.clients.models import ProductLine

from .models import Channel, Priority, Remedy, TicketType

TEXT = {"class": "form-control", "rows": 3}
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
)
SCORES = [(str(n), str(n)) for n in range(1, 6)]


class TicketForm(forms.Form):
    ticket_type = forms.ChoiceField(
        label=_("Ticket type"), choices=TicketType.choices, initial=TicketType.COMPLAINT
    )
    channel = forms.ChoiceField(label=pgettext_lazy("ticket", "Channel"), choices=Channel.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    subject = forms.CharField(label=_("Subject"), max_length=120)
    description = forms.CharField(label=_("What the client reported"), widget=forms.Textarea(attrs=TEXT))
    product_line = forms.ModelChoiceField(
        label=_("Product line"), queryset=ProductLine.objects.none(), required=False, empty_label="—"
    )
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_line"].queryset = ProductLine.objects.filter(is_active=True)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    @staticmethod
    def initial_for(*, visit=None) -> dict:
        initial = {"received_at": timezone.localtime().replace(second=0, microsecond=0)}
        if visit is not None:
            initial["channel"] = Channel.VISIT
            initial["received_at"] = timezone.localtime(visit.started_at).replace(second=0, microsecond=0)
            if visit.opinions:
                initial["description"] = visit.opinions
        return initial

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)


# The fields each workflow action asks for on the page (workflow.ACTIONS says who and when).
ACTION_FIELDS = {
    "give_first_feedback": ["message"],
    "investigate": ["note"],
    "wait_for_client": ["note"],
    "resume": ["note"],
    "request_approval": ["remedy", "remedy_detail", "inspection_notes", "cause", "note"],
    "approve": ["note"],
    "reject": ["note"],
    "resolve": ["resolution", "is_valid", "note"],
    "confirm": ["note"],
    "close": ["satisfaction", "note"],
    "reopen": ["note"],
    "reassign": ["owner", "note"],
}
# What the note means for an action, when it says more than "Note".
NOTE_LABELS = {
    "wait_for_client": _("What we are waiting for"),
    "approve": _("Comment"),
    "reject": _("Why it is rejected"),
    "close": _("Note (needed when the client did not confirm)"),
    "reopen": _("Why it is reopened"),
    "reassign": _("Why"),
}
REQUIRED_NOTES = {"wait_for_client", "approve", "reject", "reopen", "reassign"}


class ActionForm(forms.Form):
    """One workflow step: only the fields of that action are kept (see ACTION_FIELDS)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("What the client was told"), widget=forms.Textarea(attrs=TEXT), required=False
    )
    remedy = forms.ChoiceField(
        # "None" is for a quality feedback whose handling alone goes to the supervisor.
        label=_("Proposed remedy"),
        choices=Remedy.choices,
        required=False,
    )
    remedy_detail = forms.CharField(label=_("Remedy details"), max_length=200, required=False)
    inspection_notes = forms.CharField(
        label=_("On-site inspection notes"), widget=forms.Textarea(attrs=TEXT), required=False
    )
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea(attrs=TEXT), required=False)
    resolution = forms.CharField(
        label=_("How it was resolved"), widget=forms.Textarea(attrs=TEXT), required=False
    )
    is_valid = forms.ChoiceField(
        label=_("Was the complaint justified?"),
        choices=[("true", _("Yes, a valid complaint")), ("false", _("No"))],
        widget=forms.RadioSelect,
        required=False,
    )
    satisfaction = forms.ChoiceField(
        label=_("Client's satisfaction with the handling (1–5)"),
        choices=[("", _("Not given"))] + SCORES,
        required=False,
    )
    owner = forms.TypedChoiceField(
        label=_("New responsible account manager"), coerce=int, empty_value=None, required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}), required=False
    )

    def __init__(self, *args, action: str, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        keep = {"version", *ACTION_FIELDS.get(action, ["note"])}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "owner" in self.fields:
            self.fields["owner"].choices = [("", "—")] + [(str(p.pk), p.full_name) for p in owners]
        if "note" in self.fields:
            self.fields["note"].label = NOTE_LABELS.get(action, self.fields["note"].label)
            self.fields["note"].widget.attrs["required"] = action in REQUIRED_NOTES
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif isinstance(field.widget, forms.TextInput):
                field.widget.attrs.setdefault("class", "form-control")
            field.widget.attrs["id"] = f"id_{action}_{name}"
        self.auto_id = f"id_{action}_%s"

    def data_for_service(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key not in ("version", "note")}
        return {key: value for key, value in data.items() if value not in (None, "")}


class FeedbackForm(forms.Form):
    """The inspection part of the quality feedback form (商品及服务质量信息反馈单)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    inspection_notes = forms.CharField(
        label=_("On-site inspection notes"), widget=forms.Textarea(attrs=TEXT), required=False
    )
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea(attrs=TEXT), required=False)
    replacement_handed_at = forms.DateTimeField(
        label=_("Replacement handed over at"), widget=DATETIME, required=False
    )


class SignForm(forms.Form):
    which = forms.ChoiceField(choices=[("form", "form"), ("receipt", "receipt")], widget=forms.HiddenInput)
    signature = forms.CharField(widget=forms.HiddenInput)
    signer_name = forms.CharField(
        label=_("Signed by"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class StaffRatingForm(forms.Form):
    score = forms.ChoiceField(label=_("Client's satisfaction with the handling (1–5)"), choices=SCORES)
    comment = forms.CharField(
        label=_("Client's comment"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class PublicRatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your satisfaction with the handling"),
        choices=[(n, n) for n in range(1, 6)],
        coerce=int,
        error_messages={"required": _("Please choose from one to five stars.")},
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
