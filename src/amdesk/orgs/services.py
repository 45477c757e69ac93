"""Writes to the org tree and the staff: each service is one transaction and leaves an audit entry."""

from datetime import date

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .models import PATH_SEPARATOR, PATH_STEP_WIDTH, GradeHistory, LadderGrade, OrgNode, Role, Staff


class OrgError(ValueError):
    """A rule of the org tree or staff record was broken; the message is for the user."""


def _step(node_id: int) -> str:
    return f"{node_id:0{PATH_STEP_WIDTH}d}{PATH_SEPARATOR}"


def _forget_cached_access(staff: Staff) -> None:
    staff.__dict__.pop("role_codes", None)
    staff.__dict__.pop("_amdesk_scope", None)


@transaction.atomic
def org_node_create(
    *, actor, name: str, code: str, parent: OrgNode | None, leader: Staff | None = None
) -> OrgNode:
    node = OrgNode(name=name, code=code, parent=parent, leader=leader, path=f"~new~{code}")
    node.depth = parent.depth + 1 if parent else 0
    node.full_clean()
    node.save()
    node.path = (parent.path if parent else "") + _step(node.pk)
    node.save(update_fields=["path"])
    audit_record(event=AuditEvent.ORG_NODE_CHANGED, actor=actor, target=node, detail={"action": "create"})
    return node


@transaction.atomic
def org_node_move(*, actor, node: OrgNode, new_parent: OrgNode | None) -> OrgNode:
    """Hang a node (with everything under it) under another parent: one UPDATE for the subtree."""
    node.refresh_from_db()
    if new_parent is not None:
        new_parent.refresh_from_db()
        if new_parent.path.startswith(node.path):
            raise OrgError(_("A node cannot be moved under itself or one of its own descendants."))
    old_path = node.path
    new_path = (new_parent.path if new_parent else "") + _step(node.pk)
    depth_change = (new_parent.depth + 1 if new_parent else 0) - node.depth
    OrgNode.objects.filter(node.subtree_q()).update(
        path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1)),
        depth=F("depth") + depth_change,
    )
    OrgNode.objects.filter(pk=node.pk).update(parent=new_parent)
    node.refresh_from_db()
    audit_record(
        event=AuditEvent.ORG_NODE_CHANGED,
        actor=actor,
        target=node,
        detail={"action": "move", "to": new_parent.pk if new_parent else None},
    )
    return node


@transaction.atomic
def staff_create(
    *,
    actor,
    username: str,
    employee_no: str,
    full_name: str,
    password: str | None,
    org_node: OrgNode | None,
    roles: list[Role] = (),
    phone: str = "",
    supervisor: Staff | None = None,
    hire_date: date | None = None,
    grade: LadderGrade | None = None,
) -> Staff:
    staff = Staff(
        username=username,
        employee_no=employee_no,
        full_name=full_name,
        phone=phone,
        org_node=org_node,
        supervisor=supervisor,
        hire_date=hire_date,
    )
    if password:
        staff.set_password(password)
    else:
        staff.set_unusable_password()
    staff.full_clean(exclude=["password"])
    staff.save()
    audit_record(event=AuditEvent.STAFF_CREATED, actor=actor, target=staff)
    if roles:
        staff_set_roles(actor=actor, staff=staff, roles=roles)
    if grade is not None:
        staff_set_grade(actor=actor, staff=staff, grade=grade, effective_on=hire_date or timezone.localdate())
    return staff


@transaction.atomic
def staff_set_roles(*, actor, staff: Staff, roles, request=None) -> Staff:
    """Give a person exactly these roles; admin-site access and superuser rights follow the roles."""
    roles = list(roles)
    before = set(staff.roles.values_list("code", flat=True))
    after = {role.code for role in roles}
    staff.roles.set(roles)
    _forget_cached_access(staff)
    if before != after:
        audit_record(
            event=AuditEvent.ROLES_CHANGED,
            actor=actor,
            request=request,
            target=staff,
            detail={"added": sorted(after - before), "removed": sorted(before - after)},
        )
    staff_sync_flags(actor=actor, staff=staff, request=request)
    return staff


def staff_sync_flags(*, actor, staff: Staff, request=None) -> None:
    """Admin-site access and superuser status come from the roles only."""
    flags = staff.roles.values_list("admin_site", "superuser")
    is_staff = any(admin for admin, _superuser in flags)
    is_superuser = any(superuser for _admin, superuser in flags)
    if (is_staff, is_superuser) == (staff.is_staff, staff.is_superuser):
        return
    before = {"is_staff": staff.is_staff, "is_superuser": staff.is_superuser}
    staff.is_staff, staff.is_superuser = is_staff, is_superuser
    staff.save(update_fields=["is_staff", "is_superuser"])
    audit_record(
        event=AuditEvent.PERMISSIONS_CHANGED,
        actor=actor,
        request=request,
        target=staff,
        detail={"before": before, "after": {"is_staff": is_staff, "is_superuser": is_superuser}},
    )


@transaction.atomic
def role_set_permissions(*, actor, role: Role, permissions, request=None) -> Role:
    permissions = list(permissions)
    before = set(role.permissions.values_list("codename", flat=True))
    role.permissions.set(permissions)
    after = {permission.codename for permission in permissions}
    if before != after:
        audit_record(
            event=AuditEvent.ROLE_PERMISSIONS_CHANGED,
            actor=actor,
            request=request,
            target=role,
            detail={"added": sorted(after - before), "removed": sorted(before - after)},
        )
    return role


@transaction.atomic
def staff_set_grade(
    *, actor, staff: Staff, grade: LadderGrade, effective_on: date, reason: str = ""
) -> GradeHistory:
    previous = staff.grade
    entry = GradeHistory.objects.create(
        staff=staff,
        grade=grade,
        previous_grade=previous,
        effective_on=effective_on,
        reason=reason,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # The current grade is the one with the latest effective date (a back-dated entry fills history only).
    latest = staff.grade_history.order_by("-effective_on", "-id").first()
    if staff.grade_id != latest.grade_id:
        staff.grade = latest.grade
        staff.save(update_fields=["grade"])
    audit_record(
        event=AuditEvent.GRADE_CHANGED,
        actor=actor,
        target=staff,
        detail={
            "from": previous.code if previous else None,
            "to": grade.code,
            "effective_on": effective_on.isoformat(),
            "reason": reason,
        },
    )
    return entry


@transaction.atomic
def staff_leave(*, actor, staff: Staff, left_on: date | None = None, request=None) -> Staff:
    """The person leaves: he keeps his history but can no longer sign in, by form or by token."""
    if staff.status == Staff.Status.LEFT:
        raise OrgError(_("%(name)s has already left.") % {"name": staff})
    staff.status = Staff.Status.LEFT
    staff.left_on = left_on or timezone.localdate()
    staff.is_active = False
    # Saved through save(): the signal revokes his API tokens (accounts.receivers).
    staff.save(update_fields=["status", "left_on", "is_active"])
    OrgNode.objects.filter(leader=staff).update(leader=None)
    audit_record(
        event=AuditEvent.STAFF_LEFT,
        actor=actor,
        request=request,
        target=staff,
        detail={"left_on": staff.left_on.isoformat()},
    )
    return staff


@transaction.atomic
def staff_reinstate(*, actor, staff: Staff, request=None) -> Staff:
    if staff.status == Staff.Status.ACTIVE:
        raise OrgError(_("%(name)s has not left, so cannot be reinstated.") % {"name": staff})
    staff.status = Staff.Status.ACTIVE
    staff.left_on = None
    staff.is_active = True
    staff.save(update_fields=["status", "left_on", "is_active"])
    audit_record(event=AuditEvent.STAFF_REINSTATED, actor=actor, request=request, target=staff)
    return staff
