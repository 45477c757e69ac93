"""API: people (DISC job fit, training, team selling, staffing); the views live in disc.py,
training.py and selling.py beside this module."""

from django.urls import path

from .disc import DiscMatchApi, DiscModelListApi, DiscProfileListApi, DiscRankingApi
from .selling import SellingTeamApi, StaffingApi
from .training import TrainingCreditsApi, TrainingSessionListApi

urlpatterns: list = [
    path("disc-match/", DiscMatchApi.as_view(), name="appraisal-disc-match"),
    path("disc-models/", DiscModelListApi.as_view(), name="appraisal-disc-models"),
    path("disc-profiles/", DiscProfileListApi.as_view(), name="appraisal-disc-profiles"),
    path("disc-ranking/", DiscRankingApi.as_view(), name="appraisal-disc-ranking"),
    path("training-sessions/", TrainingSessionListApi.as_view(), name="appraisal-training-sessions"),
    path("training-credits/", TrainingCreditsApi.as_view(), name="appraisal-training-credits"),
    path("clients/<int:client_id>/selling-team/", SellingTeamApi.as_view(), name="appraisal-selling-team"),
    path("staffing/", StaffingApi.as_view(), name="appraisal-staffing"),
]
