"""Monthly targets 目标设定表: an account manager's month table (he proposes and submits, his
supervisor sets, approves or returns), and the team's month with who is behind and the split of
a team target."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amdesk.core.audit_events import AuditEvent
from amdesk.core.xlsx import export_url, wants_xlsx, xlsx_download
from amdesk.orgs.access import access_staff, may_hand_over

from .. import selectors, services
from ..models import WEEKS, PerformanceItem
from ..selectors.targets import BEHIND, DONE, ON_TRACK
from ..workflow import DocState
from .common import int_or_none, message_of, parse_month


def _lines(post, items) -> dict:
    """The posted table: target-<code> and week<n>-<code> per indicator."""
    lines = {}
    for item in items:
        if f"target-{item.code}" not in post:
            continue
        weeks = [post.get(f"week{n}-{item.code}", "") for n in range(1, WEEKS + 1)]
        lines[item.code] = {"target": post.get(f"target-{item.code}"), "weeks": weeks}
    return lines


def _month_url(month, owner, is_own) -> str:
    url = reverse("planning:targets-month", args=[month.strftime("%Y-%m")])
    return url if is_own else f"{url}?owner={owner.pk}"


@login_required
@require_GET
def targets_home_view(request):
    return redirect("planning:targets-month", month=timezone.localdate().strftime("%Y-%m"))


@login_required
@require_http_methods(["GET", "POST"])
def targets_month_view(request, month: str):
    today = timezone.localdate()
    month = parse_month(month, today)
    owner_id = int_or_none(request.GET.get("owner"))
    owner = access_staff(request.user, owner_id) if owner_id and owner_id != request.user.pk else request.user
    is_own = owner.pk == request.user.pk
    table = selectors.month_targets(owner=owner, month=month, today=today)
    sheet = table.sheet
    may_set = not is_own and may_hand_over(request.user)
    may_propose = is_own and (sheet is None or sheet.is_editable)
    status = 200
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            with transaction.atomic():  # saved and submitted together, or neither
                if decision in ("review", "return"):
                    if sheet is None:
                        raise ValidationError(_("There are no targets to decide on."))
                    services.document_transition(
                        actor=request.user,
                        document=sheet,
                        action=decision,
                        version=int_or_none(request.POST.get("version")),
                        comment=request.POST.get("comment", ""),
                        request=request,
                    )
                    done = (
                        _("Targets returned for changes.") if decision == "return" else _("Targets approved.")
                    )
                else:
                    if not (may_set or may_propose):
                        raise PermissionDenied(_("These targets can no longer be changed here."))
                    sheet, _changed = services.target_sheet_save(
                        actor=request.user,
                        owner=owner,
                        month=month,
                        lines=_lines(request.POST, [row.item for row in table.rows]),
                        expected_version=int_or_none(request.POST.get("version")) or 0,
                        request=request,
                    )
                    done = _("Targets set.") if may_set else _("Targets saved.")
                    if is_own and decision == "submit":
                        services.document_transition(
                            actor=request.user, document=sheet, action="submit", request=request
                        )
                        done = _("Targets submitted to your supervisor.")
        except services.StaleDocument as exc:
            messages.error(request, message_of(exc))
            status = 409
        except ValidationError as exc:
            messages.error(request, message_of(exc))
            status = 400
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            status = 403
        else:
            messages.success(request, done)
            return redirect(_month_url(month, owner, is_own))
    following = services.month_end(month) + timedelta(days=1)
    due = services.shown_due_at(sheet) if sheet else services.targets_due_at(month)
    context = {
        "due": due,
        "due_provisional": services.due_provisional(due),
        "table": table,
        "sheet": sheet,
        "owner": owner,
        "is_own": is_own,
        "month": month,
        "previous": selectors.previous_month(month),
        "next": following,
        "owner_query": "" if is_own else f"?owner={owner.pk}",
        "editable": may_set or may_propose,
        "may_set": may_set,
        "may_decide": sheet is not None
        and sheet.state == DocState.SUBMITTED
        and services.may_review(request.user, sheet),
        "events": list(sheet.events.select_related("actor")) if sheet else [],
        "week_numbers": range(1, WEEKS + 1),
        "share": round(table.share * 100),
    }
    return render(request, "planning/targets.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def targets_team_view(request, month: str):
    """The team's month: each account manager's targets and achieved, who is behind; a supervisor
    splits a team target among them (evenly, or by the weights he types)."""
    today = timezone.localdate()
    month = parse_month(month, today)
    status = 200
    if request.method == "POST":
        weights = {
            int(name.removeprefix("weight-")): value
            for name, value in request.POST.items()
            if name.startswith("weight-") and name.removeprefix("weight-").isdigit() and value.strip()
        }
        try:
            shares = services.team_targets_split(
                actor=request.user,
                month=month,
                item_code=request.POST.get("item", ""),
                total=request.POST.get("total"),
                weights=weights,
                request=request,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, message_of(exc) if isinstance(exc, ValidationError) else str(exc))
            status = 400
        else:
            messages.success(
                request, _("Team target split among %(n)d account managers.") % {"n": len(shares)}
            )
            return redirect("planning:targets-team", month=month.strftime("%Y-%m"))
    items, rows = selectors.team_targets(viewer=request.user, month=month, today=today)
    rows = [row for row in rows if row.person.pk != request.user.pk]
    for row in rows:
        row.line = [(item, *row.cells[item.pk]) for item in items]
    context = {
        "month": month,
        "previous": selectors.previous_month(month),
        "next": services.month_end(month) + timedelta(days=1),
        "items": items,
        "rows": rows,
        "behind": [row for row in rows if row.behind],
        "share": round(selectors.expected_share(month, today) * 100),
        "may_split": may_hand_over(request.user) and rows,
        "all_items": PerformanceItem.objects.filter(is_active=True).order_by("order", "code"),
        "export_url": export_url(request),
    }
    if request.method == "GET" and wants_xlsx(request):
        return _team_xlsx(request, context)
    return render(request, "planning/targets_team.html", context, status=status)


def _team_xlsx(request, context):
    """The team's month as the page shows it: per account manager his state and, per indicator, the
    achieved, the target and the status (the page's "achieved / target" cell, in three columns)."""
    statuses = {DONE: _("Achieved"), ON_TRACK: _("On track"), BEHIND: _("Behind")}
    header = [_("Account manager"), _("Team"), _("State")]
    for item in context["items"]:
        header += [f"{item} · {_('achieved')}", f"{item} · {_('target')}", f"{item} · {_('Status')}"]
    rows = []
    for row in context["rows"]:
        cells = [
            row.person.full_name,
            row.person.org_node.name if row.person.org_node_id else "",
            row.sheet.get_state_display() if row.sheet else _("No targets"),
        ]
        for _item, target, achieved, status in row.line:
            cells += [achieved, target, statuses.get(status, "")]
        rows.append(cells)
    month = context["month"]
    return xlsx_download(
        request,
        event=AuditEvent.TEAM_TARGETS_EXPORTED,
        filename=f"team-targets-{month:%Y-%m}.xlsx",
        title=_("Team targets, %(month)s") % {"month": f"{month:%Y-%m}"},
        header=header,
        rows=rows,
        notes=[_("%(share)s%% of the month's working days are over.") % {"share": context["share"]}],
    )
