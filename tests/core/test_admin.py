"""The admin maintains the tree, staff, roles and grades through the services."""

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.orgs.models import OrgNode, Role, Staff


def test_admin_adds_an_org_node_with_its_path(org, admin, client_for):
    client = client_for(admin)
    response = client.post(
        "/admin/orgs/orgnode/add/",
        {"name": "黄龙网点", "code": "OT3", "parent": org.sb1.pk, "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    node = OrgNode.objects.get(code="OT3")
    assert node.path.startswith(org.sb1.path) and node.depth == org.sb1.depth + 1


def test_admin_role_change_is_audited(account_manager, admin, client_for):
    client = client_for(admin)
    url = f"/admin/orgs/staff/{account_manager.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = {
        "username": "am",
        "employee_no": account_manager.employee_no,
        "full_name": account_manager.full_name,
        "phone": account_manager.phone,
        "email": "",
        "org_node": account_manager.org_node_id,
        "supervisor": account_manager.supervisor_id or "",
        "hire_date": "",
        "roles": [Role.objects.get(code="account_manager").pk, Role.objects.get(code="supervisor").pk],
        "grade_history-TOTAL_FORMS": "0",
        "grade_history-INITIAL_FORMS": "0",
        "grade_history-MIN_NUM_FORMS": "0",
        "grade_history-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Staff.objects.get(pk=account_manager.pk).role_codes == {"account_manager", "supervisor"}
    entry = AuditEntry.objects.get(
        event=AuditEvent.ROLES_CHANGED, target_id=str(account_manager.pk), actor=admin
    )
    assert entry.actor == admin and entry.detail["added"] == ["supervisor"] and entry.ip == "127.0.0.1"


def test_admin_marks_someone_as_left(account_manager, admin, client_for):
    client = client_for(admin)
    response = client.post(
        "/admin/orgs/staff/", {"action": "mark_left", "_selected_action": [account_manager.pk]}
    )
    assert response.status_code == 302
    account_manager.refresh_from_db()
    assert account_manager.status == Staff.Status.LEFT and not account_manager.is_active


def test_staff_cannot_be_deleted_in_the_admin(account_manager, admin, client_for):
    assert client_for(admin).get(f"/admin/orgs/staff/{account_manager.pk}/delete/").status_code == 403


def test_account_manager_has_no_admin(account_manager, client_for):
    response = client_for(account_manager).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
