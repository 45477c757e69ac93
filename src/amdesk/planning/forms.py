"""Forms of the planning pages; the services do the checking, the forms only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amdesk.clients.models import ProductLine

TEXT = {"class": "form-control", "rows": 2}
NUMBER = {"class": "form-control", "min": 0, "inputmode": "numeric"}


class WorkLogForm(forms.Form):
    """The bank outlet's form 银行网点客户经理工作日志; one number per product line for new clients."""

    prospects_visited = forms.IntegerField(
        label=_("Prospects visited"), min_value=0, required=False, widget=forms.NumberInput(NUMBER)
    )
    counter_consultations = forms.IntegerField(
        label=_("Counter consultations"), min_value=0, required=False, widget=forms.NumberInput(NUMBER)
    )
    phone_consultations = forms.IntegerField(
        label=_("Phone consultations"), min_value=0, required=False, widget=forms.NumberInput(NUMBER)
    )
    cooperation = forms.CharField(
        label=_("Cooperation with outlet staff"), required=False, widget=forms.Textarea(TEXT)
    )
    problems = forms.CharField(label=_("Problems to report"), required=False, widget=forms.Textarea(TEXT))
    other = forms.CharField(label=_("Other"), required=False, widget=forms.Textarea(TEXT))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, lines: list[ProductLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"opening-{line.code}"] = forms.IntegerField(
                label=str(line), min_value=0, required=False, widget=forms.NumberInput(NUMBER)
            )

    @property
    def count_fields(self):
        return [self[name] for name in ("prospects_visited", "counter_consultations", "phone_consultations")]

    @property
    def text_fields(self):
        return [self[name] for name in ("cooperation", "problems", "other")]

    @property
    def opening_fields(self):
        return [self[f"opening-{line.code}"] for line in self.lines]

    def log_data(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name) or (0 if name.endswith(("visited", "consultations")) else "")
            for name in (
                "prospects_visited",
                "counter_consultations",
                "phone_consultations",
                "cooperation",
                "problems",
                "other",
            )
        }

    def openings(self) -> dict[str, int]:
        return {line.code: self.cleaned_data.get(f"opening-{line.code}") or 0 for line in self.lines}


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea({"class": "form-control", "rows": 3})
    )
    decision = forms.ChoiceField(choices=[("review", _("Mark as read")), ("return", _("Return for changes"))])
