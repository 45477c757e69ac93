"""Survey rounds (create, open, close, response rates) and invitations: the AM records a client's
answers during a visit or call, or issues the client a one-time link shown with its QR code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from amdesk.orgs.access import org_nodes_q, scope_of, scoped
from amdesk.orgs.models import OrgNode

from .. import selectors, services
from ..forms import AnswerSheet, RecordForm, RoundForm
from ..models import Questionnaire, SurveyAnswer, SurveyInvitation, SurveyRound
from .common import apply_errors, check_manager, page_number, qr_svg, reported, sections_of

PAGE_SIZE = 50


def _mark_recordable(user, invitations: list[SurveyInvitation]) -> list[SurveyInvitation]:
    """Each row's `recordable`: still waiting in an open round, and the viewer may record it (the
    client's AM, or an overseer: the rows are already in his scope). Others only view it."""
    overseer = services.is_overseer(user)
    for invitation in invitations:
        invitation.recordable = (
            invitation.state == SurveyInvitation.State.PENDING
            and invitation.round.state == SurveyRound.State.OPEN
            and (overseer or invitation.owner_id == user.pk)
        )
    return invitations


@login_required
@require_GET
def round_list_view(request):
    rounds = list(selectors.round_list(viewer=request.user)[:100])
    for survey_round in rounds:
        survey_round.rate = selectors.response_rate(survey_round)
    context = {"rounds": rounds, "manages": services.may_manage_surveys(request.user)}
    return render(request, "surveys/round_list.html", context)


@login_required
def round_new_view(request):
    check_manager(request.user)
    questionnaires = Questionnaire.objects.filter(state=Questionnaire.State.PUBLISHED).order_by(
        "code", "-edition"
    )
    nodes = scoped(OrgNode.objects.filter(is_active=True), org_nodes_q(request.user)).order_by("path")
    defaults = services.survey_round_defaults()
    initial = {
        "name": defaults.name,
        "period_start": defaults.period_start,
        "period_end": defaults.period_end,
        "opens_on": defaults.opens_on,
        "closes_on": defaults.closes_on,
        "questionnaire": questionnaires.first(),
    }
    if not scope_of(request.user).sees_all:
        # A supervisor or head runs rounds for the units he leads, not the whole organisation.
        initial["org_node"] = nodes.first()
    form = RoundForm(request.POST or None, initial=initial, questionnaires=questionnaires, org_nodes=nodes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_round = services.survey_round_create(
                actor=request.user,
                questionnaire=data["questionnaire"],
                name=data["name"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                target=data["target"],
                sample_size=data.get("sample_size"),
                org_node=data.get("org_node"),
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("org_node", str(exc))
        else:
            messages.success(request, _("Survey round created as a draft: open it to invite the clients."))
            return redirect("surveys:round", pk=survey_round.pk)
    return render(
        request, "surveys/round_new.html", {"form": form, "has_questionnaire": questionnaires.exists()}
    )


@login_required
@require_GET
def round_detail_view(request, pk: int):
    survey_round = selectors.access_round(request.user, pk)
    state = request.GET.get("state", "")
    if state not in SurveyInvitation.State.values:
        state = ""
    owner = request.GET.get("owner", "")
    invitations = selectors.invitation_list(
        viewer=request.user,
        survey_round=survey_round,
        state=state or None,
        owner_id=int(owner) if owner.isdigit() else None,
        search=request.GET.get("q", ""),
    )
    number = page_number(request)
    rows = _mark_recordable(
        request.user, list(invitations[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "round": survey_round,
        "rate": selectors.response_rate(survey_round),
        "by_owner": selectors.round_response_rates(
            viewer=request.user, survey_round=survey_round, group_by="owner"
        ),
        "by_team": selectors.round_response_rates(
            viewer=request.user, survey_round=survey_round, group_by="team"
        ),
        "invitations": rows[:PAGE_SIZE],
        "page": number,
        "has_next": len(rows) > PAGE_SIZE,
        "query": query.urlencode(),
        "state": state,
        "states": SurveyInvitation.State.choices,
        "may_manage": services.may_manage_round(request.user, survey_round),
    }
    return render(request, "surveys/round_detail.html", context)


@login_required
@require_POST
def round_open_view(request, pk: int):
    survey_round = selectors.access_round(request.user, pk, for_write=True)
    with reported(request) as outcome:
        count = services.survey_round_open(actor=request.user, survey_round=survey_round, request=request)
    if outcome.ok:
        messages.success(request, _("Round opened: %(count)s clients invited.") % {"count": count})
    return redirect("surveys:round", pk=survey_round.pk)


@login_required
@require_POST
def round_close_view(request, pk: int):
    survey_round = selectors.access_round(request.user, pk, for_write=True)
    with reported(request) as outcome:
        actions = services.survey_round_close(actor=request.user, survey_round=survey_round, request=request)
    if outcome.ok:
        messages.success(
            request,
            _("Round closed: unanswered links expired, %(count)s improvement actions asked for.")
            % {"count": actions},
        )
    return redirect("surveys:round", pk=survey_round.pk)


@login_required
@require_GET
def invitation_list_view(request):
    """The viewer's invitations (an AM: his clients'), by default those still waiting in open rounds."""
    state = request.GET.get("state", SurveyInvitation.State.PENDING)
    if state not in SurveyInvitation.State.values:
        state = ""
    invitations = selectors.invitation_list(
        viewer=request.user, state=state or None, search=request.GET.get("q", "")
    )
    if request.GET.get("open", "1") == "1":
        invitations = invitations.filter(round__state=SurveyRound.State.OPEN)
    number = page_number(request)
    rows = _mark_recordable(
        request.user, list(invitations[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "invitations": rows[:PAGE_SIZE],
        "page": number,
        "has_next": len(rows) > PAGE_SIZE,
        "query": query.urlencode(),
        "state": state,
        "states": SurveyInvitation.State.choices,
        "q": request.GET.get("q", ""),
    }
    return render(request, "surveys/invitation_list.html", context)


def _answered(invitation: SurveyInvitation) -> list[SurveyAnswer]:
    response = getattr(invitation, "response", None)
    if response is None:
        return []
    return list(
        response.answers.select_related("question__section")
        .prefetch_related("options")
        .order_by("question__section__order", "question__section_id", "question__order", "question_id")
    )


@login_required
def invitation_view(request, pk: int):
    """One client's invitation: record his answers (visit or phone), or issue him a link; once answered,
    what he answered."""
    invitation = selectors.access_invitation(request.user, pk)
    survey_round = invitation.round
    answerable = (
        invitation.state == SurveyInvitation.State.PENDING
        and survey_round.state == SurveyRound.State.OPEN
        and survey_round.closes_on >= timezone.localdate()
    )
    # Seeing the invitation (scope) is not recording for it: that is the client's AM's, or an overseer's.
    records = answerable and services.may_record_answers(request.user, invitation)
    may_answer = answerable and records
    sheet = form = None
    if may_answer:
        questionnaire = survey_round.questionnaire
        data = request.POST if request.method == "POST" else None
        sheet = AnswerSheet(sections_of(questionnaire), data)
        form = RecordForm(data)
        if request.method == "POST" and form.is_valid():
            try:
                services.survey_answer_record(
                    actor=request.user,
                    invitation=invitation,
                    answers=sheet.answers(),
                    mode=form.cleaned_data["mode"],
                    request=request,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "mode" in exc.error_dict:
                    apply_errors(form, ValidationError({"mode": exc.error_dict.pop("mode")}))
                sheet.apply_errors(exc)
            except PermissionDenied as exc:
                sheet.non_field_errors.append(str(exc))
            else:
                messages.success(
                    request, _("Answers of %(name)s recorded.") % {"name": invitation.client.name}
                )
                return redirect("surveys:invitation", pk=invitation.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "invitation": invitation,
        "round": survey_round,
        "questionnaire": survey_round.questionnaire,
        "sheet": sheet,
        "form": form,
        "may_answer": may_answer,
        "not_yours": answerable and not records,
        "answers": _answered(invitation) if invitation.state == SurveyInvitation.State.ANSWERED else [],
    }
    return render(request, "surveys/invitation.html", context)


@never_cache
@login_required
@require_POST
def invitation_link_view(request, pk: int):
    """Issue a new one-time link (an earlier one stops working) and show it once, with its QR code."""
    invitation = selectors.access_invitation(request.user, pk)
    if not services.may_record_answers(request.user, invitation):
        raise PermissionDenied
    try:
        token = services.survey_link_issue(actor=request.user, invitation=invitation, request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("surveys:invitation", pk=invitation.pk)
    url = request.build_absolute_uri(reverse("surveys:public-answer", kwargs={"token": token}))
    context = {"invitation": invitation, "url": url, "qr": qr_svg(url)}
    return render(request, "surveys/invitation_link.html", context)
