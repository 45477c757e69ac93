"""Pages: library (see urls.py)."""

urlpatterns: list = []
