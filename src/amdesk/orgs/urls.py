from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("staff/", views.staff_list_view, name="staff-list"),
    path("staff/<int:pk>/", views.staff_detail_view, name="staff-detail"),
    path("tree/", views.org_tree_view, name="tree"),
]
