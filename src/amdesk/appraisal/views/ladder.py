"""Pages of the ladder and pay: the admin's ladder proposals, the pay sheet, a person's career."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from amdesk.core.fields import NoteField
from amdesk.core.params import IdFormField
from amdesk.orgs.access import access_staff

from ..models import AppraisalPeriod, LadderProposal
from ..selectors.ladder import career, is_appraisal_admin, ladder_proposals
from ..selectors.pay import pay_lines, pay_periods, pay_totals
from ..services.ladder import ladder_decide
from ..services.pay import pay_sheet_export

REASON_MAX = NoteField().max_length


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))]
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX,
        error_messages={"required": gettext_lazy("Give a reason for the decision.")},
    )


def _require_admin(user):
    if not is_appraisal_admin(user):
        raise PermissionDenied(_("Only the appraisal administrator decides ladder moves."))


@login_required
@require_GET
def proposals_view(request):
    """Waiting proposals per period with a decision form each; the latest decided ones below."""
    _require_admin(request.user)
    # A reopened period's proposals are not decided: they are renewed when it is approved again.
    waiting = list(
        ladder_proposals(viewer=request.user, state=LadderProposal.State.PENDING).filter(
            period__state=AppraisalPeriod.State.APPROVED
        )
    )
    decided = list(
        ladder_proposals(viewer=request.user)
        .exclude(state=LadderProposal.State.PENDING)
        .order_by("-decided_at", "-id")[:50]
    )
    groups: dict = {}
    for proposal in waiting:
        groups.setdefault(proposal.period, []).append(proposal)
    return render(
        request,
        "appraisal/ladder/proposals.html",
        {"groups": groups.items(), "waiting_count": len(waiting), "decided": decided},
    )


@login_required
@require_POST
def decide_view(request, proposal_id: int):
    _require_admin(request.user)
    proposal = get_object_or_404(ladder_proposals(viewer=request.user), pk=proposal_id)
    form = DecideForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            proposal = ladder_decide(
                actor=request.user,
                proposal=proposal,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
            proposal.refresh_from_db()
    else:
        error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "appraisal/partials/ladder_proposal_row.html",
            {"proposal": proposal, "error": error, "reason": request.POST.get("reason", "")},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("appraisal:ladder-proposals")


def _period_choice(request, periods):
    raw = request.GET.get("period", "")
    if raw:
        try:
            period_id = IdFormField().clean(raw)
        except ValidationError:
            raise Http404("No such period.") from None
        return get_object_or_404(periods, pk=period_id)
    return periods.first()


@login_required
@require_GET
def pay_sheet_view(request):
    """The period's pay components of the people the viewer sees; the admin downloads the sheet."""
    periods = pay_periods(viewer=request.user)
    period = _period_choice(request, periods)
    lines = pay_lines(viewer=request.user, period=period) if period else []
    context = {
        "periods": periods[:36],
        "period": period,
        "lines": lines,
        "totals": pay_totals(lines),
        "may_export": is_appraisal_admin(request.user),
    }
    return render(request, "appraisal/ladder/pay_sheet.html", context)


@login_required
@require_GET
def pay_sheet_download(request):
    periods = pay_periods(viewer=request.user)
    period = _period_choice(request, periods)
    if period is None:
        raise Http404("No period.")
    content = pay_sheet_export(actor=request.user, period=period)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"pay-sheet-{period.label}-{period.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def my_career_view(request, staff_id: int | None = None):
    """His grade, history, what the next grade needs, his last scores and pay; a supervisor may open
    his team members' (?staff= or career/<id>/), anyone else's is "not found"."""
    raw = staff_id if staff_id is not None else request.GET.get("staff", "")
    if raw not in ("", None):
        try:
            wanted = IdFormField().clean(raw)
        except ValidationError:
            raise Http404("No such staff member.") from None
        staff = access_staff(request.user, wanted)
    else:
        staff = access_staff(request.user, request.user.pk)
    data = career(staff=staff)
    latest = pay_periods(viewer=request.user).filter(cards__staff=staff).first()
    pay = pay_lines(viewer=request.user, period=latest, staff_id=staff.pk) if latest else []
    context = {
        "career": data,
        "staff": staff,
        "own": staff.pk == request.user.pk,
        "pay_period": latest,
        "pay": pay[0] if pay else None,
    }
    return render(request, "appraisal/ladder/career.html", context)
