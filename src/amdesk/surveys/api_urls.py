"""API routes of the survey capability (mounted under /api/v1/, names in the "api" namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("questionnaires/", api.QuestionnaireListApi.as_view(), name="questionnaire-list"),
    path("questionnaires/<int:pk>/", api.QuestionnaireDetailApi.as_view(), name="questionnaire-detail"),
    path("survey-rounds/", api.RoundListApi.as_view(), name="survey-round-list"),
    path("survey-rounds/<int:pk>/", api.RoundDetailApi.as_view(), name="survey-round-detail"),
    path("survey-invitations/", api.InvitationListApi.as_view(), name="survey-invitation-list"),
    path("survey-invitations/<int:pk>/", api.InvitationDetailApi.as_view(), name="survey-invitation-detail"),
    path(
        "survey-invitations/<int:pk>/answers/",
        api.InvitationAnswersApi.as_view(),
        name="survey-invitation-answers",
    ),
    path("satisfaction-index/", api.SatisfactionIndexApi.as_view(), name="satisfaction-index"),
]
