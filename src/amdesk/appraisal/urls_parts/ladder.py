"""Pages: ladder (see urls.py)."""

urlpatterns: list = []
