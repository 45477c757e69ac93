"""The survey API: questionnaires, rounds with response rates, invitations and answers, the index."""

from .invitations import InvitationAnswersApi, InvitationDetailApi, InvitationListApi
from .questionnaires import QuestionnaireDetailApi, QuestionnaireListApi
from .rounds import RoundDetailApi, RoundListApi, SatisfactionIndexApi

__all__ = [
    "InvitationAnswersApi",
    "InvitationDetailApi",
    "InvitationListApi",
    "QuestionnaireDetailApi",
    "QuestionnaireListApi",
    "RoundDetailApi",
    "RoundListApi",
    "SatisfactionIndexApi",
]
