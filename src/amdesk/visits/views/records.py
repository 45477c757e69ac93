"""Visit pages for the account manager in the field: today's route, the record form, sign-off."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amdesk.clients.models import Client
from amdesk.clients.selectors import client_list
from amdesk.orgs.access import access_client, oversees

from .. import selectors, services
from ..forms import SignForm, VisitForm
from ..models import ScheduleEntry, Visit, VisitSettings
from .common import apply_errors, page_number, reported

PAGE_SIZE = 50
DUE_ROWS = 30


@login_required
@require_GET
def visits_home_view(request):
    """The AM's day: today's route and the clients due; a supervisor's team overview is a link away."""
    today = timezone.localdate()
    settings = VisitSettings.current()
    own = Client.objects.filter(owner=request.user).exclude(lifecycle=Client.Lifecycle.LOST)
    due = (
        selectors.with_visit_status(own, settings=settings)
        .filter(
            selectors.status_q("overdue", today=today, settings=settings)
            | selectors.status_q("due_soon", today=today, settings=settings)
        )
        .select_related("tier")
        .order_by("next_due_on", "pk")
    )
    due_rows = list(due[:DUE_ROWS])
    for client in due_rows:
        client.visit_status = selectors.status_of(client, today=today, settings=settings)
    context = {
        "today": today,
        "route": list(selectors.today_route(request.user, today=today)),
        "due": due_rows,
        "due_more": due.count() > DUE_ROWS if len(due_rows) == DUE_ROWS else False,
        "recent": list(selectors.visits_for(request.user).filter(owner=request.user)[:10]),
        "week": services.week_of(today),
        "next_week": services.week_of(today) + timedelta(days=7),
        "oversees": oversees(request.user),
    }
    # "Every client is visited on time" only when it is true of the viewer's own clients; an overseer
    # (who may own none) is told how his team stands.
    context["own_clients"] = bool(due_rows) or own.exists()
    if context["oversees"]:
        context["team_overdue"] = selectors.team_overdue_count(request.user, today=today, settings=settings)
    return render(request, "visits/home.html", context)


@login_required
@require_GET
def visit_list_view(request):
    visits = selectors.visits_for(request.user)
    if request.GET.get("owner", "").isdigit():
        visits = visits.filter(owner_id=int(request.GET["owner"]))
    if request.GET.get("kind") in dict(Visit.Kind.choices):
        visits = visits.filter(kind=request.GET["kind"])
    number = page_number(request)
    offset = (number - 1) * PAGE_SIZE
    rows = list(visits[offset : offset + PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "visits": rows[:PAGE_SIZE],
        "page": number,
        "has_next": len(rows) > PAGE_SIZE,
        "has_previous": number > 1,
        "query": query.urlencode(),
        "kinds": Visit.Kind.choices,
    }
    return render(request, "visits/visit_list.html", context)


def _entry_for(request, client) -> ScheduleEntry | None:
    entry_id = request.GET.get("entry") or request.POST.get("entry")
    if not entry_id or not str(entry_id).isdigit():
        return None
    return (
        ScheduleEntry.objects.filter(pk=entry_id, schedule__owner=request.user, client=client)
        .select_related("schedule")
        .first()
    )


@login_required
def visit_new_view(request):
    """Record a visit: reached from today's route, a due client or the client's page (?client=)."""
    client_id = request.GET.get("client") or request.POST.get("client")
    if not client_id or not str(client_id).isdigit():
        q = request.GET.get("q", "").strip()
        found = list(client_list(viewer=request.user, filters={"q": q})[:20]) if q else []
        return render(request, "visits/pick_client.html", {"q": q, "found": found})
    # Only those who change the client's records record a visit to him (403 for a read-only role).
    client = access_client(request.user, int(client_id), for_write=True)
    entry = _entry_for(request, client)
    if request.method == "POST":
        form = VisitForm(request.POST)
        if form.is_valid():
            try:
                visit = services.visit_record(
                    actor=request.user,
                    client=client,
                    data=form.data_for_service(),
                    entry=entry,
                    signature=form.cleaned_data.get("signature", ""),
                    request=request,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Visit to %(name)s recorded.") % {"name": client.name})
                return redirect(visit.get_absolute_url())
    else:
        initial = VisitForm.initial_for_new()
        if entry is not None:
            initial["mode"] = entry.mode
        form = VisitForm(initial=initial)
    context = {"form": form, "client": client, "entry": entry, "settings": VisitSettings.current()}
    return render(request, "visits/visit_form.html", context)


@login_required
def visit_edit_view(request, pk: int):
    visit = selectors.access_visit(request.user, pk)
    if not services.may_edit(request.user, visit):
        messages.error(
            request, _("This record can no longer be changed: it is signed, or not yours, or too old.")
        )
        return redirect(visit.get_absolute_url())
    if request.method == "POST":
        form = VisitForm(request.POST, recorded=visit)
        if form.is_valid():
            try:
                services.visit_update(
                    actor=request.user,
                    visit=visit,
                    data=form.data_for_service(),
                    expected_version=form.cleaned_data.get("version"),
                    request=request,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except services.StaleVisit as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Visit record saved."))
                return redirect(visit.get_absolute_url())
    else:
        initial = {name: getattr(visit, name) for name in services.records.CONTENT_FIELDS}
        initial["started_at"] = timezone.localtime(visit.started_at)
        initial["ended_at"] = timezone.localtime(visit.ended_at) if visit.ended_at else None
        initial["version"] = visit.version
        form = VisitForm(initial=initial, recorded=visit)
    context = {"form": form, "client": visit.client, "visit": visit, "settings": VisitSettings.current()}
    return render(request, "visits/visit_form.html", context)


@login_required
@require_GET
def visit_detail_view(request, pk: int):
    visit = selectors.access_visit(request.user, pk)
    context = {
        "visit": visit,
        "checklist": selectors.checklist_labels(visit.checklist),
        "anomalies": selectors.anomaly_labels(visit.anomalies),
        "findings": list(visit.findings.select_related("closed_by", "anomaly", "outcome")),
        "may_edit": services.may_edit(request.user, visit),
        "may_sign": visit.owner_id == request.user.pk and not visit.is_signed,
        "sign_form": SignForm(),
    }
    return render(request, "visits/visit_detail.html", context)


@login_required
@require_POST
def visit_sign_view(request, pk: int):
    visit = selectors.access_visit(request.user, pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ask the client to sign in the box first."))
        return redirect(visit.get_absolute_url())
    with reported(request, _("The client signed the record.")):
        services.visit_sign(
            actor=request.user,
            visit=visit,
            signature=form.cleaned_data["signature"],
            signer_name=form.cleaned_data.get("signer_name", ""),
            request=request,
        )
    return redirect(visit.get_absolute_url())


@login_required
@require_GET
def client_visits_view(request, client_id: int):
    """The client page's visit panel (loaded by htmx): status by norm, the last visits."""
    client = access_client(request.user, client_id)
    today = timezone.localdate()
    settings = VisitSettings.current()
    annotated = selectors.with_visit_status(Client.objects.filter(pk=client.pk), settings=settings).get()
    context = {
        "client": client,
        "status_client": annotated,
        "status": selectors.status_of(annotated, today=today, settings=settings),
        "visits": list(selectors.visits_of_client(request.user, client)[:10]),
        "may_record": client.owner_id == request.user.pk,
        "inspects": bool(settings.inspected_product_lines),
    }
    return render(request, "visits/partials/client_visits.html", context)
