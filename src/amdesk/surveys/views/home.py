"""The survey home: an AM's clients waiting for answers, his index and trend, his improvement actions;
for those who oversee AMs, the rounds' response rates, the index per AM/team/branch and the low scorers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amdesk.orgs.access import scope_of
from amdesk.orgs.models import Role

from .. import selectors, services
from ..models import SurveySettings
from .common import sparkline

HOME_ROUNDS = 6
TREND_QUARTERS = 4


def group_of(request) -> str:
    group = request.GET.get("group", "owner")
    return group if group in selectors.GROUPS else "owner"


def trend_lines(trend, index_result=None) -> None:
    """Give each trend row (and the total) its sparkline; attach them to the index rows by key."""
    for row in [*trend.rows, trend.total]:
        row.spark = sparkline(row.values)  # the shape is the same on any display scale
    if index_result is not None:
        by_key = {row.key: row for row in trend.rows}
        for row in index_result.rows:
            line = by_key.get(row.key)
            row.spark = line.spark if line else ""
            row.values = line.values if line else []


@login_required
@require_GET
def surveys_home_view(request):
    user = request.user
    # Running rounds is the overseers'; reading the figures of several AMs is anyone's whose scope
    # holds them (product and risk managers, the appraisal admin too).
    manages = services.may_manage_surveys(user)
    overview = scope_of(user).kind != Role.Scope.OWN
    settings = SurveySettings.current()
    desk = selectors.survey_desk(viewer=user)
    context = {"manages": manages, "overview": overview, "desk": desk, "settings": settings}
    if overview:
        group = group_of(request)
        rounds = list(selectors.round_list(viewer=user)[:HOME_ROUNDS])
        for survey_round in rounds:
            survey_round.rate = selectors.response_rate(survey_round)
        index = selectors.satisfaction_index(viewer=user, group_by=group)
        trend = selectors.satisfaction_trend(viewer=user, group_by=group, quarters=TREND_QUARTERS)
        trend_lines(trend, index)
        context.update(
            {
                "group": group,
                "rounds": rounds,
                "index": index,
                "trend": trend,
                "low": selectors.low_scorers(viewer=user, survey_round=index.survey_round)
                if index.survey_round
                else [],
            }
        )
    else:
        # An AM: his own index per round (his scope holds only his own responses).
        trend = selectors.satisfaction_trend(viewer=user, group_by="owner", quarters=TREND_QUARTERS)
        trend_lines(trend)
        context["trend"] = trend
        context["mine"] = selectors.satisfaction_index(viewer=user, group_by="owner")
    return render(request, "surveys/home.html", context)
