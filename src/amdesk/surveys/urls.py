"""Pages of this capability, mounted under /surveys/. The answer link (a/<token>/) is public."""

from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.surveys_home_view, name="home"),
    # The client's one-time link: no login (the views carry no login_required).
    path("a/thanks/", views.public_thanks_view, name="public-thanks"),
    path("a/<str:token>/", views.public_answer_view, name="public-answer"),
    # Questionnaire builder
    path("questionnaires/", views.questionnaire_list_view, name="questionnaires"),
    path("questionnaires/new/", views.questionnaire_new_view, name="questionnaire-new"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail_view, name="questionnaire"),
    path("questionnaires/<int:pk>/preview/", views.questionnaire_preview_view, name="questionnaire-preview"),
    path("questionnaires/<int:pk>/publish/", views.questionnaire_publish_view, name="questionnaire-publish"),
    path("questionnaires/<int:pk>/copy/", views.questionnaire_copy_view, name="questionnaire-copy"),
    path("questionnaires/<int:pk>/sections/", views.section_add_view, name="section-add"),
    path("sections/<int:pk>/", views.section_edit_view, name="section-edit"),
    path("sections/<int:pk>/remove/", views.section_remove_view, name="section-remove"),
    path("sections/<int:pk>/move/<str:direction>/", views.section_move_view, name="section-move"),
    path("sections/<int:pk>/questions/", views.question_add_view, name="question-add"),
    path("questions/<int:pk>/", views.question_edit_view, name="question-edit"),
    path("questions/<int:pk>/remove/", views.question_remove_view, name="question-remove"),
    path("questions/<int:pk>/move/<str:direction>/", views.question_move_view, name="question-move"),
    # Rounds and invitations
    path("rounds/", views.round_list_view, name="rounds"),
    path("rounds/new/", views.round_new_view, name="round-new"),
    path("rounds/<int:pk>/", views.round_detail_view, name="round"),
    path("rounds/<int:pk>/open/", views.round_open_view, name="round-open"),
    path("rounds/<int:pk>/close/", views.round_close_view, name="round-close"),
    path("invitations/", views.invitation_list_view, name="invitations"),
    path("invitations/<int:pk>/", views.invitation_view, name="invitation"),
    path("invitations/<int:pk>/link/", views.invitation_link_view, name="invitation-link"),
    # Index, analysis report, improvement actions
    path("report/", views.report_view, name="report"),
    path("report/export/", views.report_export_view, name="report-export"),
    path("actions/", views.action_list_view, name="actions"),
    path("actions/<int:pk>/", views.action_view, name="action"),
    path("actions/<int:pk>/review/", views.action_review_view, name="action-review"),
    path("actions/<int:pk>/due/", views.action_due_view, name="action-due"),
]
