"""Pages for those who oversee account managers: the team's figures, the findings queue, inspections."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from amdesk.clients.models import Client, ClientTier, Holding
from amdesk.core.audit_events import AuditEvent
from amdesk.core.xlsx import export_url, wants_xlsx, xlsx_download
from amdesk.orgs.access import access_client, client_q, scoped, staff_q
from amdesk.orgs.models import Staff

from .. import selectors, services
from ..forms import AdHocInspectionForm, FindingCloseForm, InspectionForm
from ..models import VisitSettings
from .common import apply_errors, reported

PERIOD_DAYS = {"30": 30, "90": 90, "180": 180}


@login_required
@require_GET
def team_view(request):
    """Per account manager in scope: frequency compliance by tier now (a column per preset tier), and the
    period's visit figures."""
    today = timezone.localdate()
    days = PERIOD_DAYS.get(request.GET.get("days", "30"), 30)
    start = today - timedelta(days=days - 1)
    staff = (
        Staff.objects.filter(staff_q(request.user), roles__code="account_manager", status=Staff.Status.ACTIVE)
        .distinct()
        .order_by("employee_no")
    )
    people = list(staff.select_related("org_node"))
    clients = scoped(Client.objects.exclude(lifecycle=Client.Lifecycle.LOST), client_q(request.user))
    now = {}
    for row in selectors.compliance_now(clients.filter(owner__in=[p.pk for p in people]), today=today):
        now.setdefault(row["owner"], {})[row["tier"]] = (row["on_time"], row["clients"])
    kpis = selectors.visit_kpis(Staff.objects.filter(pk__in=[p.pk for p in people]), start=start, end=today)
    seen = {tier for by_tier in now.values() for tier in by_tier}
    tiers = list(ClientTier.objects.filter(Q(is_active=True) | Q(pk__in=seen)).order_by("order", "code"))
    rows = []
    for person in people:
        by_tier = now.get(person.pk, {})
        rows.append(
            {
                "person": person,
                "tiers": [_rate(*by_tier.get(tier.pk, (0, 0))) for tier in tiers],
                "overdue": sum(total - on_time for on_time, total in by_tier.values()),
                "kpis": kpis[person.pk],
            }
        )
    totals = {}
    for by_tier in now.values():
        for tier, (on_time, total) in by_tier.items():
            seen = totals.get(tier, (0, 0))
            totals[tier] = (seen[0] + on_time, seen[1] + total)
    team = {
        "tiers": [_rate(*totals.get(tier.pk, (0, 0))) for tier in tiers],
        "overdue": sum(row["overdue"] for row in rows),
    }
    context = {
        "tiers": tiers,
        "rows": rows,
        "team": team,
        "days": days,
        "start": start,
        "today": today,
        "periods": PERIOD_DAYS,
        "alert_below": VisitSettings.current().compliance_alert_percent,
        "export_url": export_url(request),
    }
    if wants_xlsx(request):
        return _team_xlsx(request, context)
    return render(request, "visits/team.html", context)


def _team_xlsx(request, context):
    """The team table as the page shows it: a column per page column (the figures a cell shows
    under its main one get their own column), the same rows and the total row."""
    tiers = context["tiers"]
    header = [
        _("Account manager"),
        _("Team"),
        *[_("%(tier)s on time") % {"tier": tier} + " (%)" for tier in tiers],
        _("Overdue now"),
        _("Period compliance") + " (%)",
        _("Key clients' period compliance") + " (%)",
        _("Visits"),
        _("On site"),
        _("Minutes per visit"),
        _("Plan completion") + " (%)",
        _("Planned visits done"),
        _("Planned visits"),
    ]
    rows = []
    for row in context["rows"]:
        person, kpis = row["person"], row["kpis"]
        rows.append(
            [
                person.full_name,
                person.org_node.name if person.org_node_id else "",
                *row["tiers"],
                row["overdue"],
                kpis.compliance_rate(),
                kpis.key_compliance,
                kpis.contacts,
                kpis.on_site,
                kpis.avg_minutes,
                kpis.plan_completion,
                kpis.planned_done if kpis.plan_completion is not None else None,
                kpis.planned if kpis.plan_completion is not None else None,
            ]
        )
    team = context["team"]
    totals = [pgettext("table total row", "Total"), "", *team["tiers"], team["overdue"]] if rows else None
    period = _("%(start)s to %(end)s") % {"start": context["start"], "end": context["today"]}
    return xlsx_download(
        request,
        event=AuditEvent.VISIT_TEAM_EXPORTED,
        filename=f"team-visits-{context['today']:%Y%m%d}.xlsx",
        title=f"{_('Team visits')} {period}",
        header=header,
        rows=rows,
        totals=totals,
    )


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@login_required
@require_GET
def finding_list_view(request):
    show_all = request.GET.get("all") == "1"
    findings = selectors.findings_for(request.user, open_only=not show_all)
    context = {
        "findings": list(findings[:200]),
        "show_all": show_all,
        "may_close": services.may_close_findings(request.user),
        "form": FindingCloseForm(),
    }
    return render(request, "visits/finding_list.html", context)


@login_required
@require_POST
def finding_close_view(request, pk: int):
    finding = selectors.access_finding(request.user, pk)
    form = FindingCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what was done."))
        return redirect("visits:findings")
    success = _("Outcome recorded for %(name)s.") % {"name": finding.client.name}
    with reported(request, success):
        services.finding_close(
            actor=request.user,
            finding=finding,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data.get("note", ""),
            request=request,
        )
    return redirect("visits:findings")


@login_required
@require_GET
def inspection_list_view(request):
    today = timezone.localdate()
    inspections = selectors.inspections_for(request.user)
    state = request.GET.get("state", "open")
    if state == "open":
        inspections = inspections.filter(done_on__isnull=True)
    elif state == "overdue":
        inspections = inspections.filter(done_on__isnull=True, due_on__lt=today)
    elif state == "done":
        inspections = inspections.filter(done_on__isnull=False).order_by("-done_on", "-id")
    context = {"inspections": list(inspections[:200]), "state": state, "today": today}
    return render(request, "visits/inspection_list.html", context)


@login_required
def inspection_new_view(request, client_id: int):
    """An ad-hoc post-loan inspection for one client (a risk signal heard of, a missed repayment…)."""
    client = access_client(request.user, client_id)
    loans = list(inspectable_loans(client))
    form = AdHocInspectionForm(request.POST or None, loans=loans, initial={"due_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        loan = next((item for item in loans if str(item.pk) == form.cleaned_data.get("loan")), None)
        try:
            inspection = services.inspection_add(
                actor=request.user,
                client=client,
                loan=loan,
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Ad-hoc inspection added."))
            return redirect(inspection.get_absolute_url())
    return render(request, "visits/inspection_new.html", {"client": client, "form": form})


@login_required
def inspection_detail_view(request, pk: int):
    inspection = selectors.access_inspection(request.user, pk)
    may_record = inspection.client.owner_id == request.user.pk and not inspection.is_done
    form = None
    if may_record:
        if request.method == "POST":
            form = InspectionForm(request.POST)
            if form.is_valid():
                try:
                    services.inspection_record(
                        actor=request.user, inspection=inspection, data=form.cleaned_data, request=request
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                except PermissionDenied as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("Inspection report saved."))
                    return redirect(inspection.get_absolute_url())
        else:
            form = InspectionForm(initial={"done_on": timezone.localdate()})
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "inspection": inspection,
        "form": form,
        "signals": selectors.checklist_labels(inspection.risk_signals),
        "today": timezone.localdate(),
    }
    return render(request, "visits/inspection_detail.html", context)


def inspectable_loans(client):
    lines = VisitSettings.current().inspected_product_lines
    return Holding.objects.filter(client=client, product__line__code__in=lines).select_related("product")
