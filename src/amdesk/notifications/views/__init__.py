"""Pages of the notification centre and the inbox. Thin: a selector or a service, then render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amdesk.core.htmx import is_htmx

from ..inbox import grouped, inbox_sections
from ..kinds import KINDS
from ..selectors import access_notification, nav_counts, notification_list
from ..services import notifications_mark_read, preference_of, preferences_save

PAGE_SIZE = 30
BELL_SIZE = 8


def _safe(request, url: str) -> str:
    ok = url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    return url if ok else ""


@login_required
def notification_list_view(request):
    page = Paginator(notification_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "notifications": page.object_list})


@login_required
def nav_view(request):
    """The inbox link and the bell with their counts (htmx, loaded after the page when not cached)."""
    return render(request, "notifications/partials/nav.html", {"counts": nav_counts(request.user)})


@login_required
def bell_view(request):
    """The bell's drop-down (htmx): the newest notifications, unread first."""
    items = list(notification_list(request.user)[:BELL_SIZE])
    return render(request, "notifications/partials/bell_menu.html", {"notifications": items})


@login_required
@require_POST
def notification_read_view(request, pk: int):
    notification = access_notification(request.user, pk)
    notifications_mark_read(actor=request.user, ids=[notification.pk])
    notification.refresh_from_db()
    if is_htmx(request):
        return render(
            request,
            "notifications/partials/read_response.html",
            {
                "n": notification,
                "counts": nav_counts(request.user),
                "where": request.POST.get("where", "list"),
            },
        )
    return redirect("notifications:list")


@login_required
def notification_open_view(request, pk: int):
    """Follow a notification's link, marking it read on the way."""
    notification = access_notification(request.user, pk)
    if notification.read_at is None:
        notifications_mark_read(actor=request.user, ids=[notification.pk])
    return redirect(_safe(request, notification.url) or "notifications:list")


@login_required
@require_POST
def notification_read_all_view(request):
    marked = notifications_mark_read(actor=request.user)
    messages.success(request, _("%(n)d notifications marked read.") % {"n": marked})
    return redirect("notifications:list")


@login_required
def inbox_view(request):
    sections = inbox_sections(request.user, today=timezone.localdate(), limit=10)
    groups = grouped(sections)
    return render(
        request,
        "notifications/inbox.html",
        {"groups": groups, "total": sum(s.count for s in sections)},
    )


@login_required
def preferences_view(request):
    preference = preference_of(request.user)
    if request.method == "POST":
        enabled = set(request.POST.getlist("kind"))
        preferences_save(
            actor=request.user,
            muted_kinds=[code for code in KINDS if code not in enabled],
            digest=request.POST.get("digest") == "on",
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    kinds = [
        {
            "code": kind.code,
            "label": kind.label,
            "description": kind.description,
            "enabled": kind.code not in (preference.muted_kinds or []),
        }
        for kind in KINDS.values()
    ]
    return render(request, "notifications/preferences.html", {"kinds": kinds, "preference": preference})
