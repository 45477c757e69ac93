"""Team selling page: a client's selling team (who, in which role, with which share), edited by
those who may change the client; read by those who see it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amdesk.orgs.access import ensure_writable
from amdesk.orgs.models import Role

from ..selectors import selling as selectors
from ..services.selling import MAX_MEMBERS, selling_team_set
from .posted import posted_id

ROWS = 5


def _may_edit(user, client) -> bool:
    from amdesk.clients.models import Client

    try:
        ensure_writable(user, Client.objects.filter(pk=client.pk))
    except PermissionDenied:
        return False
    return True


def _posted_members(post, candidates, roles):
    members = []
    for n in range(MAX_MEMBERS):
        staff_id, role_id, share = (
            post.get(f"staff-{n}", ""),
            post.get(f"role-{n}", ""),
            post.get(f"share-{n}", "").strip(),
        )
        if not staff_id:
            continue
        staff = candidates.get(posted_id(staff_id))
        role = roles.get(posted_id(role_id))
        if staff is None or role is None:
            raise ValidationError({"members": _("Choose each member and his role.")})
        members.append((staff, role, share or None))
    return members


@login_required
@require_http_methods(["GET", "POST"])
def selling_team_view(request, client_id):
    client, team = selectors.selling_team(viewer=request.user, client_id=client_id)
    may_edit = _may_edit(request.user, client)
    candidates = {s.pk: s for s in selectors.team_candidates(client)}
    roles = {r.pk: r for r in Role.objects.all()}
    status, errors, rows = 200, [], None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("This record is outside the records you may change."))
        try:
            selling_team_set(
                actor=request.user,
                client=client,
                members=_posted_members(request.POST, candidates, roles),
                expected=request.POST.get("expected"),
                request=request,
            )
        except ValidationError as exc:
            errors, status = exc.messages, 400
            rows = [
                {
                    "staff": request.POST.get(f"staff-{n}", ""),
                    "role": request.POST.get(f"role-{n}", ""),
                    "share": request.POST.get(f"share-{n}", ""),
                }
                for n in range(ROWS)
            ]
        else:
            messages.success(request, _("Selling team saved."))
            return redirect("appraisal:selling-team", client.pk)
    if rows is None:
        rows = [{"staff": str(m.staff_id), "role": str(m.role_id), "share": m.share_percent} for m in team]
        if not rows:
            rows = [{"staff": str(client.owner_id), "role": "", "share": ""}]
        rows += [{"staff": "", "role": "", "share": ""}] * max(0, ROWS - len(rows))
    context = {
        "client": client,
        "team": team,
        "may_edit": may_edit,
        "errors": errors,
        "rows": rows,
        "candidates": list(candidates.values()),
        "roles": list(selectors.team_roles()),
        "defaults": selectors.share_defaults(),
        "expected": selectors.team_fingerprint(client),
    }
    return render(request, "appraisal/people/selling_team.html", context, status=status)
