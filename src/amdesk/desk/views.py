from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .selectors import desk_chart, desk_for, person_chart, person_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def desk_view(request):
    return render(request, "desk/desk.html", desk_for(request.user))


@login_required
def person_view(request, staff_id: int):
    return render(
        request, "desk/person.html", person_page(request.user, staff_id, today=timezone.localdate())
    )


def _xlsx(request, chart, name: str, *, target=None) -> HttpResponse:
    if chart.client_data:
        audit_record(
            event=AuditEvent.DESK_CHART_EXPORTED,
            actor=request.user,
            request=request,
            target=target,
            detail={"chart": chart.key, "rows": len(chart.rows)},
        )
    response = HttpResponse(chart.xlsx(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def chart_export(request, key: str):
    chart = desk_chart(request.user, key)
    return _xlsx(request, chart, f"{key}-{timezone.localdate():%Y%m%d}")


@login_required
def person_chart_export(request, staff_id: int, key: str):
    person, chart = person_chart(request.user, staff_id, key, today=timezone.localdate())
    return _xlsx(request, chart, f"{person.employee_no}-{key}-{timezone.localdate():%Y%m%d}", target=person)
