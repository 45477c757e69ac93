from .actions import ImprovementAction
from .questionnaire import Option, Question, Questionnaire, Section
from .rounds import SurveyAnswer, SurveyInvitation, SurveyResponse, SurveyRound, SurveySettings

__all__ = [
    "ImprovementAction",
    "Option",
    "Question",
    "Questionnaire",
    "Section",
    "SurveyAnswer",
    "SurveyInvitation",
    "SurveyResponse",
    "SurveyRound",
    "SurveySettings",
]
