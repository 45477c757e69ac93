"""Pages: periods, score cards, my score, the team's results (see urls.py)."""

from django.urls import path

from ..views import my, periods, team

urlpatterns = [
    path("", periods.period_list_view, name="period-list"),
    path("overview/", periods.admin_overview_view, name="admin-overview"),
    path("open/", periods.period_open_view, name="period-open"),
    path("<int:pk>/", periods.period_detail_view, name="period-detail"),
    path("<int:pk>/run/", periods.period_run_view, name="period-run"),
    path("<int:pk>/approve/", periods.period_approve_view, name="period-approve"),
    path("<int:pk>/reopen/", periods.period_reopen_view, name="period-reopen"),
    path("<int:pk>/sign-off/", team.sign_off_view, name="period-sign-off"),
    path("results/<int:pk>/adjust/", periods.result_adjust_view, name="result-adjust"),
    path("cards/<int:pk>/", my.card_detail_view, name="card-detail"),
    path("my/", my.my_score_view, name="my-score"),
    path("team/", team.team_view, name="team"),
]
