from django.utils.functional import SimpleLazyObject

from .selectors import nav_counts


def nav(request):
    """The bell's and the inbox's counts for the navigation: computed only when a template shows
    them (htmx partials never do), and cached per user (selectors.nav_counts)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_notifications": SimpleLazyObject(lambda: nav_counts(user))}
