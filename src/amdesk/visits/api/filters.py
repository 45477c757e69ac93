"""Query-string filters of the visit and schedule lists (applied to querysets the selectors scoped)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from amdesk.core.params import DateFilter, IdFilter

from ..models import Visit, VisitSchedule
from ..services import week_of


class VisitFilter(django_filters.FilterSet):
    client = IdFilter(label=_("Client id"), field_name="client")
    owner = IdFilter(label=_("Account manager (staff id)"), field_name="owner")
    kind = django_filters.ChoiceFilter(label=_("Visit kind"), choices=Visit.Kind.choices)
    mode = django_filters.ChoiceFilter(label=_("Mode"), choices=Visit.Mode.choices)
    date_from = DateFilter(label=_("Visited on or after"), field_name="visited_on", lookup_expr="gte")
    date_to = DateFilter(label=_("Visited on or before"), field_name="visited_on", lookup_expr="lte")

    class Meta:
        model = Visit
        fields = ["client", "owner", "kind", "mode", "date_from", "date_to"]


class ScheduleFilter(django_filters.FilterSet):
    week = DateFilter(label=_("Any day of the week"), method="in_week")
    owner = IdFilter(label=_("Account manager (staff id)"), field_name="owner")
    state = django_filters.ChoiceFilter(label=_("State"), choices=VisitSchedule.State.choices)

    class Meta:
        model = VisitSchedule
        fields = ["week", "owner", "state"]

    def in_week(self, queryset, name, value):
        return queryset.filter(week_start=week_of(value))
