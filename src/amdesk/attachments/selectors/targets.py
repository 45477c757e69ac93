"""Who may do what with the files of one target: the one place the attachment rules are decided.

Reading goes through the target's own gate (orgs.access.access_client, visits' access_visit and
access_inspection, service's access_ticket): whoever may see the client, visit, ticket or
inspection sees its files; anyone else gets the same "not found" as for a missing target.

Writing (upload, delete) follows the gate's write scope (orgs.access.may_write, roles' write
rights are data): an account manager writes to his own clients, visits and inspections, a
supervisor or head to those under the nodes he leads, read-only roles (product, risk, appraisal)
to none. A ticket also takes files from whoever may act on it (its own capacities: owner, service
desk, overseer). Deleting is for the uploader while he may still write to the target, and for
those who write to others' records (supervisors, heads, the system admin: may_hand_over).

Downloading a file of a personal-data category (an ID-card copy) needs more than seeing the
target: the viewer's role may see personal data (orgs.access.may_see_personal_data), or he owns
the client.
"""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from amdesk.orgs import access

from ..models import TargetKind


@dataclass
class Target:
    kind: str
    obj: object
    client: object

    @property
    def pk(self) -> int:
        return self.obj.pk

    @property
    def page_url(self) -> str:
        return {
            TargetKind.CLIENT: lambda: reverse("clients:detail", args=[self.pk]),
            TargetKind.VISIT: lambda: reverse("visits:detail", args=[self.pk]),
            TargetKind.TICKET: lambda: reverse("service:detail", args=[self.pk]),
            TargetKind.INSPECTION: lambda: reverse("visits:inspection", args=[self.pk]),
        }[self.kind]()

    def fk(self) -> dict:
        """The attachment fields that point at this target."""
        fields = {"target_kind": self.kind, "client_id": self.client.pk}
        if self.kind != TargetKind.CLIENT:
            fields[f"{self.kind}_id"] = self.pk
        return fields


def resolve_target(viewer, kind: str, target_id) -> Target:
    """The target the viewer may see, or Http404 (missing, forbidden, or an unknown kind alike)."""
    from amdesk.service.selectors import access_ticket
    from amdesk.visits.selectors import access_inspection, access_visit

    try:
        target_id = int(target_id)
    except (TypeError, ValueError):
        raise Http404("No such target.") from None
    if not 0 < target_id < 2**63:  # past 64 bits the database driver would fail, not answer
        raise Http404("No such target.")
    if kind == TargetKind.CLIENT:
        client = access.access_client(viewer, target_id)
        return Target(kind, client, client)
    if kind == TargetKind.VISIT:
        visit = access_visit(viewer, target_id)
        return Target(kind, visit, visit.client)
    if kind == TargetKind.TICKET:
        ticket = access_ticket(viewer, target_id)
        return Target(kind, ticket, ticket.client)
    if kind == TargetKind.INSPECTION:
        inspection = access_inspection(viewer, target_id)
        return Target(kind, inspection, inspection.client)
    raise Http404("No such target.")


def may_write(viewer, target: Target) -> bool:
    """Upload to the target (the viewer already passed resolve_target for it)."""
    if target.kind == TargetKind.TICKET:
        from amdesk.service.services.common import capacities

        if capacities(viewer, target.obj):
            return True
    return access.may_write(viewer, type(target.obj).objects.filter(pk=target.pk))


def may_delete(viewer, attachment, target: Target, *, writable: bool | None = None) -> bool:
    """`writable`: may_write(viewer, target) when the caller knows it already (a list of files)."""
    if not (may_write(viewer, target) if writable is None else writable):
        return False
    return attachment.uploaded_by_id == viewer.pk or access.may_hand_over(viewer)


def may_download(viewer, attachment, target: Target) -> bool:
    """Seeing the target is enough, except for personal-data categories (ID copies)."""
    if not attachment.category.personal_data:
        return True
    return access.may_see_personal_data(viewer) or target.client.owner_id == viewer.pk
