"""The audit events. Later capabilities add their members here and record them with audit_record()."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.TextChoices):
    LOGIN = "auth.login", _("Sign-in")
    LOGOUT = "auth.logout", _("Sign-out")
    LOGIN_FAILED = "auth.login_failed", _("Failed sign-in")
    LOCKOUT = "auth.lockout", _("Account locked")
    TOKEN_ISSUED = "auth.token_issued", _("API token issued")
    SESSION_EXPIRED = "auth.session_expired", _("Session expired")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    ROLES_CHANGED = "staff.roles_changed", _("Roles changed")
    PERMISSIONS_CHANGED = "staff.permissions_changed", _("Permissions changed")
    ROLE_PERMISSIONS_CHANGED = "role.permissions_changed", _("Role permissions changed")
    STAFF_CREATED = "staff.created", _("Staff member created")
    STAFF_LEFT = "staff.left", _("Staff member left")
    STAFF_REINSTATED = "staff.reinstated", _("Staff member reinstated")
    GRADE_CHANGED = "staff.grade_changed", _("Ladder grade changed")
    ORG_NODE_CHANGED = "org.node_changed", _("Org node changed")
    PRESET_APPLIED = "system.preset_applied", _("Industry preset applied")
    CLIENT_CREATED = "client.created", _("Client created")
    CLIENT_UPDATED = "client.updated", _("Client updated")
    CLIENT_HANDED_OVER = "client.handed_over", _("Client handed over")
    PERSONAL_DATA_REVEALED = "client.personal_data_revealed", _("Personal data revealed")
    CLIENT_CONTACT_CHANGED = "client.contact_changed", _("Client contact changed")
    CLIENT_HOLDING_CHANGED = "client.holding_changed", _("Client holding changed")
    CLIENT_CREDIT_RATED = "client.credit_rated", _("Client credit rated")
    AUM_SNAPSHOT_TAKEN = "client.aum_snapshot", _("AUM snapshot taken")
    AUM_RECORDED = "client.aum_recorded", _("Client AUM recorded")
    CLIENT_SETTINGS_CHANGED = "client.settings_changed", _("Client archive settings changed")
    CLIENTS_IMPORTED = "client.imported", _("Clients imported")
    CLIENTS_EXPORTED = "client.exported", _("Clients exported")
    IMPORT_TEMPLATE_DOWNLOADED = "client.import_template", _("Import template downloaded")
    VISIT_RECORDED = "visit.recorded", _("Visit recorded")
    VISIT_CHANGED = "visit.changed", _("Visit record changed")
    VISIT_SIGNED = "visit.signed", _("Visit record signed by the client")
    VISIT_FINDING_CLOSED = "visit.finding_closed", _("Visit finding closed")
    SCHEDULE_CHANGED = "visit.schedule_changed", _("Visit schedule changed")
    SCHEDULE_SUBMITTED = "visit.schedule_submitted", _("Visit schedule submitted")
    SCHEDULE_REVIEWED = "visit.schedule_reviewed", _("Visit schedule reviewed")
    INSPECTION_RECORDED = "visit.inspection_recorded", _("Post-loan inspection recorded")
    VISIT_SETTINGS_CHANGED = "visit.settings_changed", _("Visit settings changed")


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")
