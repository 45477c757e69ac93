"""The reports' pages: the list of reports the viewer may open, and one report (page, .xlsx, PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..framework.serialize import chart_json
from ..selectors import access_report_class, available_reports, node_choices, period_choices, report_for
from ..services import report_export
from ..services.exports import FORMATS


@login_required
@require_GET
def report_list_view(request):
    groups: dict[str, list] = {}
    for report in sorted(available_reports(request.user), key=lambda r: (str(r.group), str(r.title))):
        groups.setdefault(str(report.group), []).append(report)
    return render(request, "reports/report_list.html", {"groups": groups})


@login_required
@require_GET
def report_view(request, code: str):
    report_class = access_report_class(request.user, code)
    node_id = request.GET.get("node") or None
    try:
        report = report_for(request.user, code, period=request.GET.get("period"), node=node_id)
    except ValueError as error:
        messages.error(request, str(error))
        report = report_for(request.user, code, node=node_id)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        exported = report_export(actor=request.user, report=report, fmt=fmt, request=request)
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response
    data = report.gather()
    charts = [block for section in data.sections for block in section.blocks if hasattr(block, "series")]
    context = {
        "report_class": report_class,
        "report": report,
        "data": data,
        "periods": period_choices(report_class),
        "nodes": list(node_choices(request.user).only("pk", "name", "path")),
        "chart_data": {f"chart-{n}": chart_json(chart) for n, chart in enumerate(charts)},
        "chart_index": {id(chart): f"chart-{n}" for n, chart in enumerate(charts)},
        "query": {"period": report.period.code, **({"node": report.node.pk} if report.node else {})},
    }
    return render(request, "reports/report.html", context)
