"""Query-string filters of the planning lists (applied to querysets the selectors scoped)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from amdesk.core.params import DateFilter, IdFilter

from ..models import WorkLog
from ..workflow import DocState


class WorkLogFilter(django_filters.FilterSet):
    owner = IdFilter(label=_("Account manager (staff id)"), field_name="owner")
    state = django_filters.ChoiceFilter(label=_("State"), choices=DocState.choices)
    date_from = DateFilter(label=_("On or after"), field_name="day", lookup_expr="gte")
    date_to = DateFilter(label=_("On or before"), field_name="day", lookup_expr="lte")

    class Meta:
        model = WorkLog
        fields = ["owner", "state", "date_from", "date_to"]
