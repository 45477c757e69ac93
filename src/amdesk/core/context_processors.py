from django.conf import settings

from .navigation import nav_for


def shell(request):
    """What the page shell needs: navigation by role and the language switch."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "idle_minutes": settings.SESSION_COOKIE_AGE // 60}
    return {
        "nav_items": nav_for(user, user.role_codes, request.path),
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
