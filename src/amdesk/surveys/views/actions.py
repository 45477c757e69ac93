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
from ..forms import ActionForm, ReviewForm
from ..models import ImprovementAction
from ..services import StaleSurveyData
from .common import apply_errors, message_of

STALE = gettext_lazy("Someone changed this improvement action meanwhile; reload the page and try again.")


@login_required
@require_GET
def action_list_view(request):
    state = request.GET.get("state", "")
    if state not in ImprovementAction.State.values:
        state = ""
    actions = list(selectors.action_list(viewer=request.user, state=state or None)[:200])
    context = {"actions": actions, "state": state, "states": ImprovementAction.State.choices}
    return render(request, "surveys/action_list.html", context)


@login_required
def action_view(request, pk: int):
    action = selectors.access_action(request.user, pk)
    may_record = action.owner_id == request.user.pk and action.state != ImprovementAction.State.DONE
    may_review = action.state == ImprovementAction.State.SUBMITTED and services.may_review_action(
        request.user, action
    )
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
                    version=form.cleaned_data.get("version") or action.version,
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
    }
    return render(request, "surveys/action.html", context)


@login_required
@require_POST
def action_review_view(request, pk: int):
    action = selectors.access_action(request.user, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    accept = request.POST.get("decision") == "accept"
    try:
        services.improvement_action_review(
            actor=request.user,
            action=action,
            version=form.cleaned_data.get("version") or action.version,
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
