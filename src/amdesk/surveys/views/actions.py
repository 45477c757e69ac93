"""Improvement actions (seed 000, 4.8): the AM analyses his clients' low scores and records measures;
his supervisor accepts them or sends them back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, services
from ..forms import ActionForm, DueForm, ReviewForm
from ..models import ImprovementAction, SurveySettings
from ..services import StaleSurveyData
from .common import apply_errors, message_of

STALE = gettext_lazy("Someone changed this improvement action meanwhile; reload the page and try again.")


@login_required
@require_GET
def action_list_view(request):
    state = request.GET.get("state", "")
    if state not in ImprovementAction.State.values:
        state = ""
    overdue = request.GET.get("overdue") == "1"
    actions = list(selectors.action_list(viewer=request.user, state=state or None, overdue=overdue)[:200])
    context = {
        "actions": actions,
        "overdue": overdue,
        "state": state,
        "states": ImprovementAction.State.choices,
        "scale": SurveySettings.current().index_scale,
    }
    return render(request, "surveys/action_list.html", context)


@login_required
def action_view(request, pk: int):
    action = selectors.access_action(request.user, pk)
    # The AM writes while the action is open (new or returned); submitted, it waits read-only.
    may_record = action.owner_id == request.user.pk and action.state == ImprovementAction.State.OPEN
    supervises = services.may_review_action(request.user, action)
    may_review = action.state == ImprovementAction.State.SUBMITTED and supervises
    may_set_due = supervises and action.state != ImprovementAction.State.DONE
    form = None
    if may_record:
        initial = {"analysis": action.analysis, "measures": action.measures, "version": action.version}
        form = ActionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            submit = "submit" in request.POST
            try:
                services.improvement_action_record(
                    actor=request.user,
                    action=action,
                    version=form.cleaned_data["version"],
                    analysis=form.cleaned_data["analysis"],
                    measures=form.cleaned_data["measures"],
                    submit=submit,
                    request=request,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except StaleSurveyData:
                form.add_error(None, str(STALE))
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                if submit:
                    messages.success(request, _("Measures sent to your supervisor for review."))
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("surveys:action", pk=action.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "action": action,
        "form": form,
        "may_review": may_review,
        "review_form": ReviewForm(initial={"version": action.version}) if may_review else None,
        "due_form": DueForm(initial={"due_on": action.due_on, "version": action.version})
        if may_set_due
        else None,
        "scale": SurveySettings.current().index_scale,
    }
    return render(request, "surveys/action.html", context)


@login_required
@require_POST
def action_review_view(request, pk: int):
    action = selectors.access_action(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(STALE))
        return redirect("surveys:action", pk=action.pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.improvement_action_review(
            actor=request.user,
            action=action,
            version=form.cleaned_data["version"],
            accept=accept,
            comment=form.cleaned_data.get("review_comment", ""),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    except StaleSurveyData:
        messages.error(request, str(STALE))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Measures accepted.") if accept else _("Measures returned to the account manager.")
        )
    return redirect("surveys:action", pk=action.pk)


@login_required
@require_POST
def action_due_view(request, pk: int):
    """The supervisor sets or moves the date the measures are due."""
    action = selectors.access_action(request.user, pk)
    form = DueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the measures are due."))
        return redirect("surveys:action", pk=action.pk)
    try:
        services.improvement_action_set_due(
            actor=request.user,
            action=action,
            version=form.cleaned_data["version"],
            due_on=form.cleaned_data["due_on"],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    except StaleSurveyData:
        messages.error(request, str(STALE))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Due date saved."))
    return redirect("surveys:action", pk=action.pk)
