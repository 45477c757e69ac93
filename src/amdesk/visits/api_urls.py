"""API routes of the visit capability (mounted under /api/v1/)."""

urlpatterns: list = []
