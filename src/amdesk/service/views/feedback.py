"""The quality feedback form 商品及服务质量信息反馈单 (seed 000, 4.6): on-site inspection and cause,
the client's signature, the supervisor's approval, the replacement handed over and the client's
signature on the receipt; and the printable sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, services
from ..forms import ActionForm, FeedbackForm, SignForm
from ..models import Remedy, Ticket
from .common import apply_errors, lock_fields, reported

# The workflow steps the feedback page offers beside the form (the rest are on the ticket's page).
FEEDBACK_ACTIONS = ("request_approval", "approve", "reject")


def _feedback_initial(ticket: Ticket) -> dict:
    handed = ticket.replacement_handed_at
    return {
        "version": ticket.version,
        "inspection_notes": ticket.inspection_notes,
        "cause": ticket.cause,
        "replacement_handed_at": timezone.localtime(handed).replace(second=0, microsecond=0)
        if handed
        else None,
    }


def _render(request, ticket: Ticket, *, form: FeedbackForm | None = None, status: int = 200):
    may_act = bool(services.capacities(request.user, ticket))
    actions = [
        {
            "action": action,
            "form": ActionForm(
                initial={
                    "version": ticket.version,
                    "remedy": ticket.remedy or Remedy.REPLACEMENT,
                    "remedy_detail": ticket.remedy_detail,
                },
                action=action.code,
            ),
        }
        for action in services.available_actions(request.user, ticket)
        if action.code in FEEDBACK_ACTIONS
    ]
    for item in actions:  # the notes and cause are edited in the form above
        for name in ("inspection_notes", "cause"):
            item["form"].fields.pop(name, None)
    # The client signs what was found: the notes and the cause are recorded first (the service's rule).
    inspected = bool(ticket.inspection_notes.strip() and ticket.cause.strip())
    approved_replacement = ticket.remedy == Remedy.REPLACEMENT and ticket.approval == Ticket.Approval.APPROVED
    form = form or FeedbackForm(initial=_feedback_initial(ticket))
    lock_fields(form, ticket)
    context = {
        "ticket": ticket,
        "form": form,
        "editable": may_act and ticket.is_open,
        "may_sign_form": may_act and ticket.is_open and not ticket.form_signed and inspected,
        "sign_form_later": may_act and ticket.is_open and not ticket.form_signed and not inspected,
        "may_sign_receipt": may_act and ticket.is_open and approved_replacement and not ticket.receipt_signed,
        "approved_replacement": approved_replacement,
        "sign_form": SignForm(initial={"which": "form"}),
        "receipt_form": SignForm(initial={"which": "receipt"}),
        "actions": actions,
    }
    return render(request, "service/feedback.html", context, status=status)


@login_required
def feedback_view(request, pk: int):
    ticket = selectors.access_ticket(request.user, pk)
    if request.method != "POST":
        return _render(request, ticket)
    form = FeedbackForm(request.POST, initial=_feedback_initial(ticket))
    lock_fields(form, ticket)
    status = 200
    if form.is_valid():
        data = {
            name: form.cleaned_data[name] or ""
            for name in ("inspection_notes", "cause")
            if not form.fields[name].disabled
        }
        if form.cleaned_data.get("replacement_handed_at"):
            data["replacement_handed_at"] = form.cleaned_data["replacement_handed_at"]
        try:
            services.ticket_update(
                actor=request.user,
                ticket=ticket,
                data=data,
                version=form.cleaned_data["version"],
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
            messages.success(request, _("Feedback form saved."))
            return redirect("service:feedback", pk=ticket.pk)
    return _render(request, selectors.access_ticket(request.user, pk), form=form, status=status)


@login_required
@require_POST
def ticket_sign_view(request, pk: int):
    """The client signs the feedback form or the receipt of the replacement on the AM's screen."""
    ticket = selectors.access_ticket(request.user, pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ask the client to sign in the box first."))
        return redirect("service:feedback", pk=ticket.pk)
    which = form.cleaned_data["which"]
    done = _("The client signed the form.") if which == "form" else _("The client signed the receipt.")
    with reported(request, done):
        services.ticket_sign(
            actor=request.user,
            ticket=ticket,
            which=which,
            signature=form.cleaned_data["signature"],
            signer_name=form.cleaned_data.get("signer_name", ""),
            request=request,
        )
    return redirect(reverse("service:feedback", args=[ticket.pk]))


@login_required
@require_GET
def feedback_print_view(request, pk: int):
    ticket = selectors.access_ticket(request.user, pk)
    return render(
        request, "service/feedback_print.html", {"ticket": ticket, "printed_at": timezone.localtime()}
    )
