from .actions import access_action, action_list
from .grouping import GROUPS, group_key, group_labels
from .index import (
    IndexResult,
    IndexRow,
    Trend,
    TrendRow,
    low_scorers,
    reported_rounds,
    responses_for,
    satisfaction_index,
    satisfaction_trend,
)
from .questionnaires import access_questionnaire, questionnaire_list, questionnaire_structure
from .report import AnalysisReport, analysis_report
from .rounds import (
    RateRow,
    access_invitation,
    access_round,
    invitation_list,
    response_rate,
    round_list,
    round_response_rates,
    survey_desk,
    visible_rounds,
)

__all__ = [
    "GROUPS",
    "AnalysisReport",
    "IndexResult",
    "IndexRow",
    "RateRow",
    "Trend",
    "TrendRow",
    "access_action",
    "access_invitation",
    "access_questionnaire",
    "access_round",
    "action_list",
    "analysis_report",
    "group_key",
    "group_labels",
    "invitation_list",
    "low_scorers",
    "questionnaire_list",
    "questionnaire_structure",
    "reported_rounds",
    "response_rate",
    "responses_for",
    "round_list",
    "round_response_rates",
    "satisfaction_index",
    "satisfaction_trend",
    "survey_desk",
    "visible_rounds",
]
