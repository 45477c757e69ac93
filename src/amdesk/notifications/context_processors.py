from django.conf import settings

from .selectors import nav_counts, nav_counts_cached


def nav(request):
    """The bell's and the inbox's counts for the navigation, when the user's figures are in the cache
    and still valid (selectors.nav_counts, stamps.py); otherwise base.html loads them after the page
    (notifications:nav, a read-only GET). A page view never queries the database for them: two cache
    reads. AMDESK_NAV_COUNTS_INLINE computes them with the page instead (the browser tests: no request
    trails a page, so none can meet the test's own database work on the shared SQLite database)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if getattr(settings, "AMDESK_NAV_COUNTS_INLINE", False):
        return {"nav_notifications": nav_counts(user)}
    return {"nav_notifications": nav_counts_cached(user)}
