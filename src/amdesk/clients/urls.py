from django.urls import include, path

from . import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list_view, name="list"),
    path("import/", include("amdesk.clients.imports.urls")),
    path("new/", views.client_create_view, name="create"),
    path("handover/", views.handover_view, name="handover"),
    path("completeness/", views.completeness_view, name="completeness"),
    path("export/", views.client_export_view, name="export"),
    path("import-template/", views.import_template_view, name="import-template"),
    path("<int:pk>/", views.client_detail_view, name="detail"),
    path("<int:pk>/edit/", views.client_edit_view, name="edit"),
    path("<int:pk>/reveal/", views.client_reveal_view, name="reveal"),
    path("<int:pk>/contacts/new/", views.contact_edit_view, name="contact-add"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_edit_view, name="contact-edit"),
    path("<int:pk>/contacts/<int:contact_pk>/delete/", views.contact_delete_view, name="contact-delete"),
    path("<int:pk>/holdings/", views.holding_edit_view, name="holding-edit"),
    path("<int:pk>/credit-rating/", views.credit_rating_view, name="credit-rating"),
]
