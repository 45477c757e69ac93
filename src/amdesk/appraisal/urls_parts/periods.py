"""Pages: periods (see urls.py)."""

urlpatterns: list = []
