"""Ticket pages: the AM's (or the team's) tickets with their countdowns, opening one (also from a
visit), a ticket's page with its timeline and the steps the user may take now."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amdesk.clients.selectors import client_list
from amdesk.orgs.access import access_client
from amdesk.orgs.access import oversees as sees_others
from amdesk.visits.selectors import access_visit

from .. import selectors, services
from ..forms import ActionForm, StaffRatingForm, TicketForm
from ..models import DONE_STATES, OPEN_STATES, Priority, SlaStatus, TicketState, TicketType
from ..selectors.pages import approvals_waiting
from ..workflow import ACTIONS, action_label
from .common import PAGE_SIZE, apply_errors, clock_labels, clock_of, lock_fields, page_number, reported

FILTERS = ("state", "type", "priority", "sla")
# What the client signed on the feedback form: read-only in the approval request once signed.
FORM_FIELDS = ("inspection_notes", "cause")


@login_required
@require_GET
def home_view(request):
    """Mine (or, for those who oversee, the team's) tickets: breached first, then due soon."""
    now = timezone.now()
    oversees = sees_others(request.user)
    who = request.GET.get("who") or ("team" if oversees else "mine")
    if who not in ("mine", "team") or not oversees:
        who = "mine"
    chosen = {name: request.GET.get(name, "") for name in FILTERS}
    if "state" not in request.GET:
        chosen["state"] = "open"
    # ?left=1: the open tickets whose account manager has left, waiting to be reassigned.
    owner_left = oversees and request.GET.get("left") == "1"
    if owner_left:
        who = "team"
        tickets = selectors.tickets_owner_left(request.user, now=now)
    else:
        tickets = selectors.tickets_for(request.user, now=now)
    if who == "mine":
        tickets = tickets.filter(owner=request.user)
    tickets = selectors.filter_tickets(
        tickets,
        state=chosen["state"] if chosen["state"] in {"open", *TicketState.values} else None,
        ticket_type=chosen["type"] if chosen["type"] in TicketType.values else None,
        priority=chosen["priority"] if chosen["priority"] in Priority.values else None,
        sla=chosen["sla"] if chosen["sla"] in SlaStatus.values else None,
    ).order_by("sla_rank", "sla_due", "pk")
    number = page_number(request)
    offset = (number - 1) * PAGE_SIZE
    rows = list(tickets[offset : offset + PAGE_SIZE + 1])
    for ticket in rows:
        ticket.clock = clock_of(ticket, now)
    query = request.GET.copy()
    query.pop("page", None)
    escalations = []
    if oversees:
        escalations = list(
            selectors.tickets_for(request.user, now=now)
            .filter(escalated_to=request.user, state__in=OPEN_STATES)
            .order_by("sla_due", "pk")[:20]
        )
        for ticket in escalations:
            ticket.clock = clock_of(ticket, now)
    context = {
        "tickets": rows[:PAGE_SIZE],
        "page": number,
        "has_next": len(rows) > PAGE_SIZE,
        "has_previous": number > 1,
        "query": query.urlencode(),
        "who": who,
        "oversees": oversees,
        "owner_left": owner_left,
        "chosen": chosen,
        "states": TicketState.choices,
        "types": TicketType.choices,
        "priorities": Priority.choices,
        "sla_statuses": SlaStatus.choices,
        "alerts": list(selectors.visible_alerts(request.user, unread_only=True)[:20]),
        "escalations": escalations,
        "approvals_waiting": approvals_waiting(request.user),
        "labels": clock_labels(),
    }
    return render(request, "service/home.html", context)


@login_required
@require_POST
def alerts_read_view(request):
    ids = [int(value) for value in request.POST.getlist("alert") if value.isdigit()]
    services.alert_mark_read(actor=request.user, alert_ids=ids or None)
    return redirect("service:home")


@login_required
def ticket_new_view(request):
    """Open a ticket for a client in scope; from a visit record (?visit=) the client, channel and
    the link to the visit come with it."""
    visit = None
    visit_id = request.GET.get("visit") or request.POST.get("visit")
    if visit_id and str(visit_id).isdigit():
        visit = access_visit(request.user, int(visit_id))
        client = access_client(request.user, visit.client_id)
    else:
        client_id = request.GET.get("client") or request.POST.get("client")
        if not client_id or not str(client_id).isdigit():
            q = request.GET.get("q", "").strip()
            found = list(client_list(viewer=request.user, filters={"q": q})[:20]) if q else []
            return render(request, "service/pick_client.html", {"q": q, "found": found})
        client = access_client(request.user, int(client_id))
    if request.method == "POST":
        form = TicketForm(request.POST)
        if form.is_valid():
            try:
                ticket = services.ticket_open(
                    actor=request.user,
                    client=client,
                    data=form.data_for_service(),
                    visit=visit,
                    request=request,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Ticket %(number)s opened.") % {"number": ticket.number})
                return redirect(ticket.get_absolute_url())
    else:
        form = TicketForm(initial=TicketForm.initial_for(visit=visit))
    return render(request, "service/ticket_form.html", {"form": form, "client": client, "visit": visit})


def _owners(viewer, ticket):
    """Whom the ticket may be reassigned to: the service's candidates (active account managers in
    the viewer's scope), other than the one responsible now."""
    return services.ticket_owner_candidates(viewer).exclude(pk=ticket.owner_id)


def _initial(ticket, code: str) -> dict:
    initial = {"version": ticket.version}
    if code == "request_approval":
        initial.update(
            inspection_notes=ticket.inspection_notes,
            cause=ticket.cause,
            remedy=ticket.remedy or "",
            remedy_detail=ticket.remedy_detail,
        )
    return initial


def _fitted(form: ActionForm, ticket) -> ActionForm:
    """Ask only what the service takes for this ticket: "justified?" for complaints and quality
    feedback only, a score at closing only when not rated yet; what the client signed read-only."""
    if ticket.ticket_type not in services.COMPLAINT_TYPES:
        form.fields.pop("is_valid", None)
    if ticket.satisfaction is not None:
        form.fields.pop("satisfaction", None)
    lock_fields(form, ticket, only=FORM_FIELDS)
    return form


def _detail(request, ticket, *, failed: ActionForm | None = None, status: int = 200):
    now = timezone.now()
    available = services.available_actions(request.user, ticket, now=now)
    owners = list(_owners(request.user, ticket)) if any(a.code == "reassign" for a in available) else []
    actions = []
    for action in available:
        if failed is not None and failed.action == action.code:
            form = failed
        else:
            form = _fitted(
                ActionForm(initial=_initial(ticket, action.code), action=action.code, owners=owners), ticket
            )
        actions.append({"action": action, "form": form, "open": form is failed})
    if failed is not None and not any(item["form"] is failed for item in actions):
        # The step is no longer possible (someone moved the ticket on): keep what was typed in view.
        actions.insert(0, {"action": ACTIONS[failed.action], "form": failed, "open": True})
    events = list(selectors.ticket_events(ticket))
    for event in events:
        event.label = action_label(event.action)
    may_act = bool(services.capacities(request.user, ticket))
    ratable = may_act and ticket.state in DONE_STATES and ticket.satisfaction is None
    context = {
        "ticket": ticket,
        "clock": clock_of(ticket, now),
        "labels": clock_labels(),
        "events": events,
        "actions": actions,
        "ratable": ratable,
        "rating_form": StaffRatingForm() if ratable else None,
        "may_act": may_act,
        "is_quality": ticket.ticket_type == TicketType.QUALITY,
    }
    return render(request, "service/ticket_detail.html", context, status=status)


@login_required
@require_GET
def ticket_detail_view(request, pk: int):
    return _detail(request, selectors.access_ticket(request.user, pk))


@login_required
@require_POST
def ticket_act_view(request, pk: int, action: str):
    """One workflow step; a refusal or a stale version shows the page again with what was typed."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    ticket = selectors.access_ticket(request.user, pk)
    owners = _owners(request.user, ticket) if action == "reassign" else ()
    form = _fitted(ActionForm(request.POST, action=action, owners=owners), ticket)
    status = 200
    if form.is_valid():
        try:
            services.ticket_transition(
                actor=request.user,
                ticket=ticket,
                action=action,
                version=form.cleaned_data["version"],
                note=form.cleaned_data.get("note", ""),
                data=form.data_for_service(),
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            status = 403
        except services.StaleTicket as exc:
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, _("%(step)s: done.") % {"step": action_label(action)})
            return redirect(ticket.get_absolute_url())
    else:
        form.add_error(None, _("Please correct the marked fields."))
    # The page shows the ticket as it is now, the failed step's form as it was typed.
    return _detail(request, selectors.access_ticket(request.user, pk), failed=form, status=status)


@login_required
@require_POST
def ticket_rate_view(request, pk: int):
    """Staff record the satisfaction the client gave (by phone, on the spot)."""
    ticket = selectors.access_ticket(request.user, pk)
    form = StaffRatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a score from 1 to 5."))
        return redirect(ticket.get_absolute_url())
    with reported(request, _("Satisfaction recorded.")):
        services.ticket_rate(
            actor=request.user,
            ticket=ticket,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data.get("comment", ""),
            request=request,
        )
    return redirect(ticket.get_absolute_url())


@login_required
@require_POST
def rating_link_view(request, pk: int):
    """Issue a one-time rating link; the token is shown on this response only (only its hash is kept)."""
    ticket = selectors.access_ticket(request.user, pk)
    try:
        token, link = services.ticket_rating_link_issue(actor=request.user, ticket=ticket, request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(ticket.get_absolute_url())
    url = request.build_absolute_uri(reverse("service:rate", args=[token]))
    context = {"ticket": ticket, "url": url, "link": link, "qr": services.rating_link_qr_svg(url)}
    return render(request, "service/rating_link.html", context)
