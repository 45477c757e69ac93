from django.conf import settings

from .navigation import nav_for


def shell(request):
    """What the page shell needs: navigation by role and the language switch."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "session_idle_seconds": settings.SESSION_COOKIE_AGE}
    return {
        "nav_items": nav_for(user, user.role_codes, request.path),
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
    }
