"""Pages: schemes (see urls.py)."""

urlpatterns: list = []
