from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.orgs.models import GradeHistory, LadderGrade, OrgNode, Role, Staff
from amdesk.orgs.selectors import subtree_nodes
from amdesk.orgs.services import (
    OrgError,
    org_node_move,
    staff_leave,
    staff_reinstate,
    staff_set_grade,
    staff_set_roles,
)


def codes(queryset):
    return [node.code for node in queryset]


def test_subtree_is_one_query(org):
    with CaptureQueriesContext(connection) as queries:
        nodes = codes(subtree_nodes(org.sb1))
    assert nodes == ["SB1", "OT1", "TM1", "TM2"]
    assert len(queries) == 1


def test_subtree_query_uses_the_path_index(org):
    sql, params = subtree_nodes(org.sb1).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "USING INDEX" in plan and "path" in plan.lower()
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Index" in plan and "path" in plan


def test_move_carries_the_subtree(org, admin):
    # Given outlet OT1 (with two teams) under SB1, when it moves under SB2
    org_node_move(actor=admin, node=org.ot1, new_parent=org.sb2)
    # then SB2's subtree holds it and its teams, at the right depths
    assert codes(subtree_nodes(OrgNode.objects.get(code="SB2"))) == ["SB2", "OT1", "TM1", "TM2", "OT2", "TM3"]
    assert codes(subtree_nodes(OrgNode.objects.get(code="SB1"))) == ["SB1"]
    assert OrgNode.objects.get(code="TM1").depth == 4
    assert AuditEntry.objects.filter(event=AuditEvent.ORG_NODE_CHANGED, actor=admin).exists()


def test_move_to_the_top_changes_depths(org, admin):
    org_node_move(actor=admin, node=org.sb1, new_parent=None)
    assert OrgNode.objects.get(code="SB1").depth == 0
    assert OrgNode.objects.get(code="TM1").depth == 2


def test_cannot_move_a_node_under_its_descendant(org, admin):
    with pytest.raises(OrgError):
        org_node_move(actor=admin, node=org.sb1, new_parent=org.tm1)
    assert codes(subtree_nodes(OrgNode.objects.get(code="SB1"))) == ["SB1", "OT1", "TM1", "TM2"]


def test_role_changes_are_audited_and_drive_admin_access(account_manager, admin):
    staff_set_roles(actor=admin, staff=account_manager, roles=Role.objects.filter(code="system_admin"))
    account_manager.refresh_from_db()
    assert account_manager.is_staff and account_manager.is_superuser
    roles_entry = AuditEntry.objects.get(
        event=AuditEvent.ROLES_CHANGED, target_id=str(account_manager.pk), actor=admin
    )
    assert roles_entry.detail == {"added": ["system_admin"], "removed": ["account_manager"]}
    assert roles_entry.actor == admin
    assert AuditEntry.objects.filter(
        event=AuditEvent.PERMISSIONS_CHANGED, target_id=str(account_manager.pk)
    ).exists()

    staff_set_roles(actor=admin, staff=account_manager, roles=Role.objects.filter(code="account_manager"))
    account_manager.refresh_from_db()
    assert not account_manager.is_staff and not account_manager.is_superuser


def test_role_permissions_reach_their_holders(appraisal_admin, admin):
    from django.contrib.auth.models import Permission

    from amdesk.orgs.services import role_set_permissions

    holder = Staff.objects.get(pk=appraisal_admin.pk)
    assert not holder.has_perm("orgs.add_gradehistory")
    role = Role.objects.get(code="appraisal_admin")
    role_set_permissions(
        actor=admin, role=role, permissions=Permission.objects.filter(codename="add_gradehistory")
    )
    holder = Staff.objects.get(pk=appraisal_admin.pk)
    assert holder.has_perm("orgs.add_gradehistory")
    assert AuditEntry.objects.filter(
        event=AuditEvent.ROLE_PERMISSIONS_CHANGED, target_id=str(role.pk)
    ).exists()


def test_grade_history_keeps_every_step(account_manager, admin):
    specialist, director = (
        LadderGrade.objects.get(code="specialist"),
        LadderGrade.objects.get(code="director-1"),
    )
    staff_set_grade(actor=admin, staff=account_manager, grade=specialist, effective_on=date(2023, 3, 1))
    staff_set_grade(
        actor=admin,
        staff=account_manager,
        grade=director,
        effective_on=date(2024, 3, 1),
        reason="年度考核晋级",
    )
    # A back-dated correction fills history but does not change the current grade
    staff_set_grade(actor=admin, staff=account_manager, grade=specialist, effective_on=date(2022, 3, 1))
    account_manager.refresh_from_db()
    assert account_manager.grade == director
    history = list(
        GradeHistory.objects.filter(staff=account_manager).values_list("grade__code", "effective_on")
    )
    assert history == [
        ("director-1", date(2024, 3, 1)),
        ("specialist", date(2023, 3, 1)),
        ("specialist", date(2022, 3, 1)),
    ]


def test_the_ladder_has_four_tiers_and_ten_grades(preset):
    grades = list(LadderGrade.objects.order_by("order"))
    assert len(grades) == 10
    assert [grade.tier for grade in grades] == [1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert grades[0].name == "客户专员" and grades[-1].name == "高级客户经理三级"


def test_leaving_keeps_history_and_blocks_sign_in(account_manager, admin):
    staff_set_grade(
        actor=admin, staff=account_manager, grade=LadderGrade.objects.first(), effective_on=date(2023, 1, 1)
    )
    org_lead = OrgNode.objects.get(code="TM2")
    org_lead.leader = account_manager
    org_lead.save()
    staff_leave(actor=admin, staff=account_manager, left_on=date(2026, 11, 1))
    account_manager.refresh_from_db()
    assert account_manager.status == Staff.Status.LEFT and not account_manager.is_active
    assert account_manager.left_on == date(2026, 11, 1)
    assert account_manager.grade_history.count() == 1
    assert OrgNode.objects.get(code="TM2").leader is None
    with pytest.raises(OrgError):
        staff_leave(actor=admin, staff=account_manager)
    staff_reinstate(actor=admin, staff=account_manager)
    account_manager.refresh_from_db()
    assert account_manager.is_active and account_manager.left_on is None


def test_the_database_refuses_an_active_sign_in_for_someone_who_left(account_manager):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Staff.objects.filter(pk=account_manager.pk).update(status=Staff.Status.LEFT, is_active=True)
