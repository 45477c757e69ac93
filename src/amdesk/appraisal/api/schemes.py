"""API: schemes."""

urlpatterns: list = []
