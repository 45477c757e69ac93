"""Reads of the indicator library: the library itself (every signed-in user may read it), the people
a manual value may be entered for, the manual-values grid and the scoped list of manual values."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from amdesk.orgs.models import Staff

from ..models import Dimension, Indicator, ManualValue, Scheme
from ..services.access import is_appraisal_admin, led_staff_q

AM_ROLE = "account_manager"


def indicator_list(*, viewer, dimension: str | None = None, active: bool | None = None) -> QuerySet:
    indicators = Indicator.objects.select_related("dimension")
    if dimension:
        indicators = indicators.filter(dimension__code=dimension)
    if active is not None:
        indicators = indicators.filter(is_active=active)
    return indicators.order_by("dimension__order", "order", "code")


def access_indicator(viewer, pk) -> Indicator:
    indicator = indicator_list(viewer=viewer).filter(pk=pk).first()
    if indicator is None:
        raise Http404("No such indicator.")
    return indicator


def library_groups(*, viewer) -> list[tuple[Dimension, list[Indicator]]]:
    """Every dimension with its indicators (active or not), in order: two queries."""
    groups: dict[int, list[Indicator]] = {}
    for indicator in indicator_list(viewer=viewer):
        groups.setdefault(indicator.dimension_id, []).append(indicator)
    return [(dimension, groups.get(dimension.pk, [])) for dimension in Dimension.objects.all()]


def manual_indicators() -> QuerySet:
    return Indicator.objects.filter(source=Indicator.MANUAL, is_active=True).select_related("dimension")


def appraised_role_codes() -> set[str]:
    """Account managers and the roles of any appraisal scheme."""
    return {AM_ROLE, *Scheme.roles.through.objects.values_list("role__code", flat=True)}


def manual_people(*, viewer) -> QuerySet:
    """Active staff in the viewer's scope holding an appraised role."""
    return (
        Staff.objects.filter(
            led_staff_q(viewer), roles__code__in=appraised_role_codes(), status=Staff.Status.ACTIVE
        )
        .select_related("org_node")
        .distinct()
        .order_by("org_node__path", "employee_no")
    )


@dataclass
class GridRow:
    person: Staff
    value: ManualValue | None


def manual_grid(*, viewer, indicator: Indicator, start: date, end: date) -> list[GridRow]:
    """One row per person the viewer may enter values for, with the stored value: three queries."""
    people = list(manual_people(viewer=viewer))
    stored = {
        row.staff_id: row
        for row in ManualValue.objects.filter(
            indicator=indicator, period_start=start, period_end=end, staff__in=[p.pk for p in people]
        ).select_related("entered_by")
    }
    return [GridRow(person, stored.get(person.pk)) for person in people]


def manual_values_for(*, viewer, indicator: Indicator | None = None, start=None, end=None) -> QuerySet:
    """Manual values the viewer may read: an AM his own, a supervisor his teams', a head his branch's,
    the appraisal admin all."""
    values = ManualValue.objects.select_related("indicator", "staff", "entered_by")
    if not is_appraisal_admin(viewer):
        values = values.filter(staff__in=Staff.objects.filter(led_staff_q(viewer)).values("pk"))
    if indicator is not None:
        values = values.filter(indicator=indicator)
    if start is not None:
        values = values.filter(period_start=start)
    if end is not None:
        values = values.filter(period_end=end)
    return values.order_by("-period_start", "indicator__code", "staff__employee_no")
