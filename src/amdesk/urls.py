from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from amdesk.accounts.api import MeApi, TokenApi, TokenDetailApi, TokenListApi
from amdesk.core.api import WorkingDayApi
from amdesk.orgs.api import OrgNodeListApi, StaffDetailApi, StaffListApi

api_v1 = [
    path("auth/token/", TokenApi.as_view(), name="auth-token"),
    path("auth/tokens/", TokenListApi.as_view(), name="auth-token-list"),
    path("auth/tokens/<int:pk>/", TokenDetailApi.as_view(), name="auth-token-detail"),
    path("me/", MeApi.as_view(), name="me"),
    path("staff/", StaffListApi.as_view(), name="staff-list"),
    path("staff/<int:pk>/", StaffDetailApi.as_view(), name="staff-detail"),
    path("org-nodes/", OrgNodeListApi.as_view(), name="org-node-list"),
    path("calendar/working-day/", WorkingDayApi.as_view(), name="calendar-working-day"),
    path("", include("amdesk.clients.api_urls")),
    path("", include("amdesk.visits.api_urls")),
    path("", include("amdesk.service.api_urls")),
    path("", include("amdesk.surveys.api_urls")),
    path("planning/", include("amdesk.planning.api_urls")),
    path("", include("amdesk.attachments.api_urls")),
    path("appraisal/", include("amdesk.appraisal.api_urls")),
    path("reports/", include("amdesk.reports.api_urls")),
    path("notifications/", include("amdesk.notifications.api_urls")),
]

urlpatterns = [
    path("", include("amdesk.desk.urls")),
    path("accounts/", include("amdesk.accounts.urls")),
    path("orgs/", include("amdesk.orgs.urls")),
    path("clients/", include("amdesk.clients.urls")),
    path("visits/", include("amdesk.visits.urls")),
    path("service/", include("amdesk.service.urls")),
    path("surveys/", include("amdesk.surveys.urls")),
    path("planning/", include("amdesk.planning.urls")),
    path("attachments/", include("amdesk.attachments.urls")),
    path("appraisal/", include("amdesk.appraisal.urls")),
    path("reports/", include("amdesk.reports.urls")),
    path("notifications/", include("amdesk.notifications.urls")),
    path("i18n/setlang/", set_language, name="set-language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its script from a static file, so the CSP needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
