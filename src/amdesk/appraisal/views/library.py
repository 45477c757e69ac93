"""The appraisal admin's pages of the indicator library: the library by dimension, an indicator's
form (source from the registry, parameters checked), and manual values per person and period."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..selectors.library import (
    access_indicator,
    library_groups,
    manual_grid,
    manual_indicators,
    manual_people,
)
from ..services.dates import period_bounds
from ..services.library import (
    ManualEntry,
    StaleLibraryEdit,
    indicator_fingerprint,
    indicator_save,
    manual_value_set,
)
from ..sources import all_sources
from .common import require_admin
from .library_forms import IndicatorForm, PeriodForm

FIELDS = ("code", "name", "name_en", "dimension", "unit", "unit_en", "higher_is_better", "source", "order",
          "description", "optional", "is_active")  # fmt: skip


@login_required
@require_GET
def library_view(request):
    require_admin(request)
    groups, sources = library_groups(viewer=request.user), all_sources()
    for _dimension, indicators in groups:
        for indicator in indicators:
            indicator.registered = sources.get(indicator.source)
    context = {"groups": groups}
    return render(request, "appraisal/library/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create_view(request):
    require_admin(request)
    return _indicator_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit_view(request, pk: int):
    require_admin(request)
    return _indicator_form(request, access_indicator(request.user, pk))


def _indicator_form(request, indicator):
    initial = None
    if indicator is not None:
        initial = {name: getattr(indicator, name) for name in FIELDS}
        initial["higher_is_better"] = "1" if indicator.higher_is_better else "0"
        initial["params"] = indicator.params
    form = IndicatorForm(request.POST or None, initial=initial, editing=indicator is not None)
    fingerprint = request.POST.get("fingerprint") if request.method == "POST" else None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in FIELDS if name != "code" or indicator is None}
            data["params"] = form.cleaned_data["params"]
            try:
                saved = indicator_save(
                    actor=request.user,
                    indicator=indicator,
                    data=data,
                    fingerprint=fingerprint,
                    request=request,
                )
            except StaleLibraryEdit as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Indicator %(name)s saved.") % {"name": saved.label})
                return redirect("appraisal:library")
        status = 400
    context = {
        "form": form,
        "indicator": indicator,
        "param_rows": form.param_rows(initial),
        "fingerprint": fingerprint or (indicator_fingerprint(indicator) if indicator else ""),
    }
    return render(request, "appraisal/library/indicator_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def manual_values_view(request):
    """Choose a manual indicator and a period (GET), then enter everyone's values (POST)."""
    require_admin(request)
    indicators = manual_indicators()
    source = (
        request.POST if request.method == "POST" else (request.GET if "indicator" in request.GET else None)
    )
    chooser = PeriodForm(source, indicators=indicators)
    context = {"chooser": chooser, "indicators": indicators, "rows": None, "status": 200}
    if source is None or not chooser.is_valid():
        return render(
            request, "appraisal/library/manual_values.html", context, status=200 if source is None else 400
        )
    indicator = chooser.cleaned_data["indicator"]
    start, end = period_bounds(chooser.cleaned_data["kind"], chooser.cleaned_data["start"])
    context.update(indicator=indicator, start=start, end=end)
    typed, errors = {}, {}
    if request.method == "POST":
        entries = []
        for person in manual_people(viewer=request.user):
            key = f"value-{person.pk}"
            if key not in request.POST:
                continue
            raw, was = request.POST[key].strip(), request.POST.get(f"was-{person.pk}", "").strip()
            typed[person.pk] = raw
            try:
                value = _decimal(raw)
                expected = _decimal(was)
            except ValueError:
                errors[person.pk] = _("Enter a number.")
                continue
            if value != expected:  # only what this user changed is checked and saved
                entries.append(ManualEntry(person.pk, value, expected))
        if not errors:
            try:
                count = manual_value_set(
                    actor=request.user, indicator=indicator, start=start, end=end, entries=entries,
                    allowed_ids=[entry.staff_id for entry in entries], request=request,
                )  # fmt: skip
            except StaleLibraryEdit as error:
                messages.error(request, str(error))
                errors = {
                    pk: _("Changed by someone else: check the value now stored.") for pk in error.staff_ids
                }
                context["status"] = 409
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                context["status"] = 400
            else:
                messages.success(request, _("%(count)d values saved.") % {"count": count})
                query = (
                    f"?indicator={indicator.pk}&kind={chooser.cleaned_data['kind']}&start={start:%Y-%m-%d}"
                )
                return redirect(request.path + query)
        if errors and context["status"] == 200:
            context["status"] = 400
    rows = manual_grid(viewer=request.user, indicator=indicator, start=start, end=end)
    context["rows"] = [
        {
            "row": row,
            "typed": typed.get(row.person.pk, _plain(row.value.value) if row.value else ""),
            "was": _plain(row.value.value) if row.value else "",
            "error": errors.get(row.person.pk, ""),
        }
        for row in rows
    ]
    return render(request, "appraisal/library/manual_values.html", context, status=context["status"])


def _decimal(raw: str) -> Decimal | None:
    if raw == "":
        return None
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation as error:
        raise ValueError(raw) from error
    if not value.is_finite() or abs(value) >= Decimal("1e14"):
        raise ValueError(raw)
    return value


def _plain(value) -> str:
    """A stored Decimal as typed: 85.5000 → 85.5."""
    text = format(value.normalize(), "f") if value is not None else ""
    return text
