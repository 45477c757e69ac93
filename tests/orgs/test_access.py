"""The scope gate: who sees which staff, nodes and (through records_q) owned records."""

import pytest
from django.http import Http404

from amdesk.orgs.access import access_staff, may_see_personal_data, org_nodes_q, records_q, scope_of
from amdesk.orgs.models import OrgNode, Staff
from amdesk.orgs.selectors import staff_list


def usernames(queryset):
    return set(queryset.values_list("username", flat=True))


def test_account_manager_sees_only_himself(everyone, account_manager):
    assert usernames(staff_list(viewer=account_manager)) == {"am"}


def test_supervisor_sees_the_teams_he_leads(everyone, supervisor):
    # He leads TM1 and TM2, not TM3
    assert usernames(staff_list(viewer=supervisor)) == {"sup", "am", "am_team2"}


def test_supervisor_who_leads_nothing_sees_his_own_node(everyone, org, supervisor):
    OrgNode.objects.filter(leader=supervisor).update(leader=None)
    supervisor = Staff.objects.get(pk=supervisor.pk)
    assert usernames(staff_list(viewer=supervisor)) == {"sup", "am"}


def test_branch_head_sees_his_branch(everyone, branch_head):
    assert usernames(staff_list(viewer=branch_head)) == {
        "head",
        "sup",
        "sup_other",
        "am",
        "am_team2",
        "am_other",
    }


def test_admin_sees_everyone(everyone, admin):
    assert usernames(staff_list(viewer=admin)) == usernames(Staff.objects.all())


def test_personal_data_is_masked_for_admins_only(
    everyone, account_manager, supervisor, branch_head, admin, appraisal_admin
):
    assert may_see_personal_data(account_manager)
    assert may_see_personal_data(supervisor)
    assert may_see_personal_data(branch_head)
    assert not may_see_personal_data(admin)
    assert not may_see_personal_data(appraisal_admin)
    assert scope_of(appraisal_admin).sees_all


def test_anonymous_and_inactive_users_see_nothing(everyone, account_manager, admin):
    from django.contrib.auth.models import AnonymousUser

    from amdesk.orgs.services import staff_leave

    assert not staff_list(viewer=AnonymousUser()).exists()
    staff_leave(actor=admin, staff=account_manager)
    assert not staff_list(viewer=Staff.objects.get(pk=account_manager.pk)).exists()


def test_records_q_for_owned_records(
    everyone, account_manager, supervisor, branch_head, other_manager, admin
):
    # Staff stand in for owned records here: "owner" = their supervisor, node = their org node.
    def visible(viewer):
        return usernames(
            Staff.objects.filter(records_q(viewer, owner_field="supervisor", node_field="org_node"))
        )

    # An AM owns the records whose owner he is (nobody reports to him) …
    assert visible(account_manager) == set()
    # … a supervisor sees what he owns plus everything under his teams …
    assert visible(supervisor) == {"sup", "am", "am_team2"}
    # … the other supervisor's team stays out of sight …
    assert "am_other" not in visible(supervisor)
    # … and the admin sees all.
    assert visible(admin) == usernames(Staff.objects.all())


def test_one_not_found_for_missing_and_forbidden(everyone, account_manager, other_manager):
    assert access_staff(account_manager, account_manager.pk) == account_manager
    with pytest.raises(Http404) as forbidden:
        access_staff(account_manager, other_manager.pk)
    with pytest.raises(Http404) as missing:
        access_staff(account_manager, 999_999)
    assert str(forbidden.value) == str(missing.value)


def test_org_nodes_in_scope(everyone, org, account_manager, supervisor, branch_head, admin):
    def codes(viewer):
        return set(OrgNode.objects.filter(org_nodes_q(viewer)).values_list("code", flat=True))

    assert codes(account_manager) == {"TM1"}
    assert codes(supervisor) == {"TM1", "TM2"}
    assert codes(branch_head) == {"BR", "SB1", "SB2", "OT1", "OT2", "TM1", "TM2", "TM3"}
    assert codes(admin) == set(OrgNode.objects.values_list("code", flat=True))


def test_widest_role_wins(everyone, account_manager, org):
    from amdesk.orgs.models import Role
    from amdesk.orgs.services import staff_set_roles

    staff_set_roles(
        actor=None, staff=account_manager, roles=Role.objects.filter(code__in=["account_manager", "head"])
    )
    org.ot1.leader = account_manager
    org.ot1.save()
    viewer = Staff.objects.get(pk=account_manager.pk)
    assert usernames(staff_list(viewer=viewer)) == {"sup", "am", "am_team2"}


def test_a_superuser_without_roles_sees_all_but_personal_data_stays_masked(everyone):
    root = Staff.objects.create_superuser(
        username="root", password="Root-pass-2026", email="", employee_no="99999", full_name="运维"
    )
    assert usernames(staff_list(viewer=root)) == usernames(Staff.objects.all())
    assert not may_see_personal_data(root)
