"""Pages: people (see urls.py): DISC job fit, training, team selling, staffing."""

from django.urls import path

from ..views import people as views

urlpatterns = [
    path("disc/", views.disc_view, name="disc"),
    path("disc/profiles/new/", views.disc_profile_form_view, name="disc-profile-create"),
    path("disc/profiles/<int:pk>/", views.disc_profile_form_view, name="disc-profile-edit"),
    path("disc/import/", views.disc_import_view, name="disc-import"),
    path("training/", views.training_view, name="training"),
    path("training/new/", views.training_session_form_view, name="training-session-create"),
    path("training/<int:pk>/", views.training_session_form_view, name="training-session-edit"),
    path("selling-team/<int:client_id>/", views.selling_team_view, name="selling-team"),
    path("staffing/", views.staffing_view, name="staffing"),
]
