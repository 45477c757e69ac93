"""Pages: people (see urls.py)."""

urlpatterns: list = []
