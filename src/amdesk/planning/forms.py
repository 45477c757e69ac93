"""Forms of the planning pages; the services do the checking, the forms only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PerformanceItem

TEXT = {"class": "form-control", "rows": 2}
NUMBER = {"class": "form-control", "min": 0, "inputmode": "numeric"}


class WorkLogForm(forms.Form):
    """The bank outlet's form 银行网点客户经理工作日志; one number of new clients per product of the
    catalogue (the performance items registered daily)."""

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

    def __init__(self, *args, items: list[PerformanceItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"opening-{item.code}"] = forms.IntegerField(
                label=str(item), min_value=0, required=False, widget=forms.NumberInput(NUMBER)
            )

    @property
    def count_fields(self):
        return [self[name] for name in ("prospects_visited", "counter_consultations", "phone_consultations")]

    @property
    def text_fields(self):
        return [self[name] for name in ("cooperation", "problems", "other")]

    @property
    def opening_fields(self):
        return [self[f"opening-{item.code}"] for item in self.items]

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
        return {item.code: self.cleaned_data.get(f"opening-{item.code}") or 0 for item in self.items}


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea({"class": "form-control", "rows": 3})
    )
    decision = forms.ChoiceField(choices=[("review", _("Mark as read")), ("return", _("Return for changes"))])
