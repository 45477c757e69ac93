"""Reading API input: ids, whole numbers and dates held to `core.limits`, for query parameters
(django-filter filters and query serializers) and request bodies alike.

A value past a bound (an id of 30 digits, the year 9999) is refused here with a 400 in the caller's
language naming the parameter; nothing past a bound reaches SQL (SQLite raises OverflowError,
PostgreSQL "out of range") or `date` arithmetic (OverflowError near date.max). The bounds are also
published in the OpenAPI schema (`minimum`/`maximum`).
"""

from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from .limits import DATE_MAX, DATE_MIN, ID_MAX

ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": ID_MAX}

_ID_MESSAGES = {
    "invalid": _("Not an id: give a whole number."),
    "min_value": _("Not an id: ids start at 1."),
    "max_value": _("No such id: the number is too large."),
}


_RANGE = {"start": DATE_MIN.isoformat(), "end": DATE_MAX.isoformat()}
_MONTHS = {"start": DATE_MIN.isoformat()[:7], "end": DATE_MAX.isoformat()[:7]}


def _date_message():
    return _("Give a date from %(start)s to %(end)s.") % _RANGE


def check_date(value):
    """A date inside [DATE_MIN, DATE_MAX], for model, form and serializer validators."""
    if value is not None and not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(_date_message(), code="date_range")


# Forms (django-filter's filters build their form fields from these).


class IdFormField(forms.IntegerField):
    default_error_messages = _ID_MESSAGES

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class DateFormField(forms.DateField):
    default_validators = [check_date]


class IdFilter(django_filters.NumberFilter):
    """An id (of a client, a staff member…) in the query string."""

    field_class = IdFormField


class DateFilter(django_filters.DateFilter):
    field_class = DateFormField


# Serializers (request bodies and query serializers).


class ChoiceField(serializers.ChoiceField):
    """A choice among a TextChoices' values (or a preset's codes), published as an enum of them
    (core.schema); for outputs too, where the field only documents the values it writes."""


def choice_of(choices, note: str = "", *, blank: bool = False, **kwargs) -> ChoiceField:
    """An output field writing one of `choices` (a TextChoices), published as an enum; `blank`: it
    may also be empty; `note` says what a value (or empty) means."""
    return ChoiceField(choices=choices.choices, allow_blank=blank, help_text=note or None, **kwargs)


class IdField(serializers.IntegerField):
    default_error_messages = {**serializers.IntegerField.default_error_messages, **_ID_MESSAGES}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class DateField(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not DATE_MIN <= day <= DATE_MAX:
            raise serializers.ValidationError(_date_message(), code="date_range")
        return day


# One query parameter read by hand (views whose parameters are few and default from the caller).


def _refuse(name: str, message) -> None:
    raise serializers.ValidationError({name: [str(message)]})


def parse_id(raw, name: str) -> int | None:
    """An id given as text (`?owner=12`, a body's "12"), or None when absent or empty."""
    if raw in (None, ""):
        return None
    try:
        return IdField().run_validation(raw)
    except serializers.ValidationError as exc:
        _refuse(name, exc.detail[0])


def parse_date(raw, name: str) -> date | None:
    """A date given as YYYY-MM-DD, or None when absent or empty."""
    if raw in (None, ""):
        return None
    try:
        return DateField(input_formats=["%Y-%m-%d"]).run_validation(raw)
    except serializers.ValidationError:
        _refuse(name, _("Give the date as YYYY-MM-DD, from %(start)s to %(end)s.") % _RANGE)


def parse_month(raw, name: str = "month") -> date | None:
    """The first day of a month given as YYYY-MM (a full date is read as its month), or None."""
    if raw in (None, ""):
        return None
    try:
        day = date.fromisoformat(f"{raw}-01" if len(str(raw)) == 7 else str(raw))
    except ValueError:
        day = None
    if day is None or not DATE_MIN <= day <= DATE_MAX:
        _refuse(name, _("Give the month as YYYY-MM, from %(start)s to %(end)s.") % _MONTHS)
    return day.replace(day=1)


def parse_bool(raw, name: str) -> bool | None:
    """true/false (also 1/0, yes/no), or None when absent or empty."""
    value = str(raw or "").lower()
    if value == "":
        return None
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    _refuse(name, _("Give true or false."))


def choice_param(request, name: str, choices, default: str | None = None) -> str | None:
    """`?name=` one of `choices` (values), or `default` when absent or empty."""
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    values = [str(value) for value in choices]
    if raw not in values:
        _refuse(name, _("Choose one of: %(values)s.") % {"values": ", ".join(values)})
    return raw


def id_param(request, name: str) -> int | None:
    return parse_id(request.query_params.get(name), name)


def date_param(request, name: str) -> date | None:
    return parse_date(request.query_params.get(name), name)


def month_param(request, name: str = "month") -> date | None:
    return parse_month(request.query_params.get(name), name)


def bool_param(request, name: str) -> bool | None:
    return parse_bool(request.query_params.get(name), name)


class DateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not DATE_MIN <= moment.date() <= DATE_MAX:
            raise serializers.ValidationError(_date_message(), code="date_range")
        return moment


def query(serializer_class, request) -> dict:
    """The request's query parameters read by `serializer_class`; a 400 naming each bad one."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# django-filter FilterSets: applying them and describing their parameters in the schema.


def filtered(filterset_class, params, queryset):
    """The queryset narrowed by the query parameters; a parameter that cannot be read is a 400."""
    filterset = filterset_class(params, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(
            {field: [str(message) for message in messages] for field, messages in filterset.errors.items()}
        )
    return filterset.qs


class DataEnumParameter(OpenApiParameter):
    """A string parameter whose values are data (a preset's VIP levels, product lines…): listed as an
    enum when the schema is generated, not when the module is imported (no query at import time, and
    the schema follows the data the admin edits)."""

    def __init__(self, name: str, values, **kwargs):
        self._values = values
        super().__init__(name, str, **kwargs)

    @property
    def enum(self):
        try:
            return self._values() or None
        except DatabaseError:  # the schema made without a database (`check --deploy`, `amdesk spectacular`)
            return None

    @enum.setter
    def enum(self, _value):
        pass


def filter_parameter(name: str, field) -> OpenApiParameter:
    description = str(field.label or "")
    if isinstance(field, django_filters.BooleanFilter):
        return OpenApiParameter(name, bool, description=description)
    if isinstance(field, django_filters.DateFilter):
        return OpenApiParameter(name, OpenApiTypes.DATE, description=description)
    if isinstance(field, IdFilter):
        return OpenApiParameter(name, dict(ID_SCHEMA), description=description)
    if isinstance(field, django_filters.NumberFilter):
        return OpenApiParameter(name, OpenApiTypes.NUMBER, description=description)
    if isinstance(field, django_filters.ChoiceFilter) and "choices" in field.extra:
        choices = field.extra["choices"]
        values = [value for value, _label in (choices() if callable(choices) else choices)]
        return OpenApiParameter(name, str, enum=values, description=description)
    if isinstance(field, django_filters.ModelChoiceFilter) and field.extra.get("queryset") is not None:
        queryset, to_field = field.extra["queryset"], field.extra.get("to_field_name") or "pk"
        return DataEnumParameter(
            name,
            lambda: [
                str(value) for value in queryset.all().values_list(to_field, flat=True).order_by(to_field)
            ],
            description=description,
        )
    return OpenApiParameter(name, str, description=description)


def filter_parameters(filterset_class) -> list[OpenApiParameter]:
    """The filters of a FilterSet as OpenAPI parameters, choices as enums."""
    return [filter_parameter(name, field) for name, field in filterset_class.base_filters.items()]


__all__ = [
    "ChoiceField",
    "DateField",
    "DateFilter",
    "DateTimeField",
    "DateFormField",
    "IdField",
    "IdFilter",
    "IdFormField",
    "choice_of",
    "bool_param",
    "choice_param",
    "date_param",
    "id_param",
    "month_param",
    "parse_bool",
    "parse_date",
    "parse_id",
    "parse_month",
    "DataEnumParameter",
    "check_date",
    "filter_parameters",
    "filtered",
    "query",
]
