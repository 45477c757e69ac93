"""Team selling 团队营销 (seed 002): a core client served by a team (account manager, product
manager, risk manager…) whose shares of what the client brings add up to 100. The indicator
sources read the split; this module only edits the team."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import access_client
from amdesk.orgs.models import Staff

from ..models import SellingTeamMember
from ..selectors.selling import share_defaults, team_fingerprint, team_node_q
from .stale import check_fresh

FULL = Decimal(100)
MAX_MEMBERS = 10


def _share(value, role, defaults) -> Decimal:
    if value is None or value == "":
        if role.pk not in defaults:
            raise ValidationError(
                {
                    "members": _("No default share is configured for %(role)s: give the share.")
                    % {"role": role}
                }
            )
        return Decimal(defaults[role.pk])
    try:
        share = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"members": _("A share must be a number from 0 to 100.")}) from None
    if not share.is_finite() or not 0 <= share <= FULL:
        raise ValidationError({"members": _("A share must be a number from 0 to 100.")})
    return share.quantize(Decimal("0.01"))


@transaction.atomic
def selling_team_set(
    *, actor, client, members, expected: str | None = None, request=None
) -> list[SellingTeamMember]:
    """Replace the client's selling team with `members`: (staff, role, share or None for the role's
    configured default). The owner must be in it; shares add up to 100; members serve on the client's
    node, under it or above it; each holds the role he takes. An empty list dissolves the team
    (the owner alone gets all the credit again)."""
    client = access_client(actor, client.pk, for_write=True)
    check_fresh(expected, team_fingerprint(client))
    members = list(members)
    if len(members) > MAX_MEMBERS:
        raise ValidationError(
            {"members": _("A selling team has at most %(n)d members.") % {"n": MAX_MEMBERS}}
        )
    before = [
        [m.staff_id, m.role_id, str(m.share_percent)] for m in SellingTeamMember.objects.filter(client=client)
    ]
    rows = []
    if members:
        defaults = share_defaults()
        staff_ids = [staff.pk for staff, _role, _share_value in members]
        if len(set(staff_ids)) != len(staff_ids):
            raise ValidationError({"members": _("Each person appears in the team once.")})
        if client.owner_id not in staff_ids:
            raise ValidationError({"members": _("The client's owner (account manager) must be in the team.")})
        allowed = set(
            Staff.objects.filter(
                team_node_q(client), pk__in=staff_ids, status=Staff.Status.ACTIVE
            ).values_list("pk", flat=True)
        )
        held = set(
            Staff.roles.through.objects.filter(staff_id__in=staff_ids).values_list("staff_id", "role_id")
        )
        for staff, role, share in members:
            if staff.pk not in allowed:
                raise ValidationError(
                    {
                        "members": _("%(name)s does not work in the client's branch line.")
                        % {"name": staff.full_name}
                    }
                )
            if (staff.pk, role.pk) not in held:
                raise ValidationError(
                    {
                        "members": _("%(name)s does not hold the role %(role)s.")
                        % {"name": staff.full_name, "role": role}
                    }
                )
            rows.append(
                SellingTeamMember(
                    client=client, staff=staff, role=role, share_percent=_share(share, role, defaults)
                )
            )
        total = sum(row.share_percent for row in rows)
        if total != FULL:
            raise ValidationError(
                {
                    "members": _("The shares add up to %(total)s%%; they must add up to 100%%.")
                    % {"total": format(total.normalize(), "f")}
                }
            )
        for row in rows:
            row.full_clean(exclude=["client", "staff", "role"], validate_unique=False)
    SellingTeamMember.objects.filter(client=client).delete()
    SellingTeamMember.objects.bulk_create(rows)
    audit_record(
        event=AuditEvent.SELLING_TEAM_CHANGED,
        actor=actor,
        request=request,
        target=client,
        detail={"before": before, "after": [[r.staff_id, r.role_id, str(r.share_percent)] for r in rows]},
    )
    return rows
