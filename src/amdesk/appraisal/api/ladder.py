"""API: ladder."""

urlpatterns: list = []
