"""API: periods."""

urlpatterns: list = []
