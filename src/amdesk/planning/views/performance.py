"""The month's performance sheet 每日业绩登记表: the account manager fills it in (one form for the
month), his supervisor reads it."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amdesk.orgs.access import access_staff

from .. import selectors, services
from .common import int_or_none, message_of, parse_month

PREFIX = "cell-"


def _cells(post) -> dict[tuple[str, date], str]:
    """The posted cells: inputs named cell-<YYYY-MM-DD>-<item code> (only the changed ones are sent)."""
    cells = {}
    for name, value in post.items():
        if not name.startswith(PREFIX):
            continue
        raw = name[len(PREFIX) :]
        try:
            day = date.fromisoformat(raw[:10])
        except ValueError:
            continue
        cells[(raw[11:], day)] = value
    return cells


@login_required
@require_GET
def performance_home_view(request):
    return redirect("planning:performance-month", month=timezone.localdate().strftime("%Y-%m"))


@login_required
@require_http_methods(["GET", "POST"])
def performance_month_view(request, month: str):
    today = timezone.localdate()
    month = parse_month(month, today)
    owner_id = int_or_none(request.GET.get("owner"))
    owner = access_staff(request.user, owner_id) if owner_id and owner_id != request.user.pk else request.user
    is_own = owner.pk == request.user.pk
    status = 200
    unsaved: list[str] = []
    if request.method == "POST":
        if not is_own:
            messages.error(request, _("Only the account manager registers his own performance."))
            return redirect(request.get_full_path())
        cells = _cells(request.POST)
        try:
            _sheet, changed = services.performance_sheet_save(
                actor=request.user,
                month=month,
                cells=cells,
                expected_version=int_or_none(request.POST.get("version")) or 0,
                request=request,
            )
        except services.StaleSheet as exc:
            messages.error(request, message_of(exc))
            unsaved = selectors.unsaved_cells(owner=request.user, month=month, cells=cells)
            status = 409
        except ValidationError as exc:
            messages.error(request, message_of(exc))
            status = 400
        else:
            if changed:
                messages.success(request, _("%(n)d figures saved.") % {"n": changed})
            else:
                messages.info(request, _("Nothing changed."))
            return redirect(reverse("planning:performance-month", args=[month.strftime("%Y-%m")]))
    sheet = selectors.month_sheet(owner=owner, month=month, today=today, editable=is_own)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = services.month_end(month) + timedelta(days=1)
    context = {
        "sheet": sheet,
        "owner": owner,
        "is_own": is_own,
        "month": month,
        "today": today,
        "previous": previous,
        "next": following if following <= today else None,
        "owner_query": f"?owner={owner.pk}" if not is_own else "",
        "unsaved": unsaved,
        "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
    }
    return render(request, "planning/performance.html", context, status=status)
