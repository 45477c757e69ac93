"""Forms of the library pages: an indicator (its source's parameters typed per source) and the
period chosen for manual values."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amdesk.core.params import DateFormField

from ..models import Dimension, Indicator, PeriodKind
from ..sources import all_sources


def source_choices() -> list[tuple[str, str]]:
    sources = sorted(all_sources().values(), key=lambda source: source.code)
    return [(Indicator.MANUAL, str(gettext_lazy("Manual: entered per person and period")))] + [
        (source.code, f"{source.label}（{source.code}）") for source in sources
    ]


def param_name(source: str, name: str) -> str:
    return f"param-{source}-{name}"


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=48)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    name_en = forms.CharField(label=gettext_lazy("English name"), max_length=120, required=False)
    dimension = forms.ModelChoiceField(label=gettext_lazy("Dimension"), queryset=Dimension.objects.all())
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=20, required=False)
    unit_en = forms.CharField(label=gettext_lazy("English unit"), max_length=30, required=False)
    higher_is_better = forms.TypedChoiceField(
        label=gettext_lazy("Direction"),
        choices=[("1", gettext_lazy("Higher is better")), ("0", gettext_lazy("Lower is better"))],
        coerce=lambda value: value == "1",
    )
    source = forms.ChoiceField(label=gettext_lazy("Source"))
    order = forms.IntegerField(label=gettext_lazy("Order"), min_value=0, max_value=32767, initial=0)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    optional = forms.BooleanField(label=gettext_lazy("Optional (not in the preset schemes)"), required=False)
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = source_choices()
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault(
                    "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
                )
        if editing:
            # Schemes and stored results refer to the code.
            self.fields["code"].disabled = True

    def clean(self):
        data = super().clean()
        source = all_sources().get(data.get("source", ""))
        params = {}
        for name, spec in source.params.items() if source else []:
            raw = self.data.get(param_name(source.code, name), "")
            raw = raw.strip() if isinstance(raw, str) else raw
            if spec.kind is bool:
                params[name] = raw in ("on", "1", "true")
            elif spec.kind is int:
                try:
                    params[name] = int(raw) if raw != "" else spec.default
                except ValueError:
                    self.add_error(
                        None, _("Parameter %(name)s must be a whole number.") % {"name": spec.label or name}
                    )
            elif spec.kind is float:
                try:
                    params[name] = float(raw) if raw != "" else spec.default
                except ValueError:
                    self.add_error(
                        None, _("Parameter %(name)s must be a number.") % {"name": spec.label or name}
                    )
            else:
                params[name] = raw if raw != "" or not spec.choices else spec.default
        data["params"] = params
        return data

    def param_rows(self, initial: dict | None = None) -> list[dict]:
        """Each source with its help and its parameters' inputs, holding what was typed (or stored)."""
        rows = []
        chosen = self.data.get("source") if self.is_bound else (initial or {}).get("source")
        for source in sorted(all_sources().values(), key=lambda source: source.code):
            params = []
            for name, spec in source.params.items():
                field = param_name(source.code, name)
                if self.is_bound:
                    value = self.data.get(field, "")
                elif initial and initial.get("source") == source.code:
                    value = initial.get("params", {}).get(name, spec.default)
                else:
                    value = spec.default
                params.append(
                    {
                        "field": field,
                        "label": spec.label or name,
                        "kind": spec.kind.__name__,
                        "value": value,
                        "choices": spec.choices,
                    }
                )
            rows.append({"source": source, "params": params, "chosen": source.code == chosen})
        return rows


class PeriodForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=gettext_lazy("Manual indicator"), queryset=Indicator.objects.none()
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Period"), choices=PeriodKind.choices, initial=PeriodKind.MONTH
    )
    start = DateFormField(label=gettext_lazy("A day in the period"))

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators if indicators is not None else Indicator.objects.none()
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm",
            )
        self.fields["start"].widget.input_type = "date"
