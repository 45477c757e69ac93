"""Changing the service settings row outside the admin (the admin audits its own saves the same way)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import ServiceSettings

EDITABLE = [
    "reopen_window_days",
    "repeat_window_days",
    "rating_link_hours",
    "first_feedback_target",
    "handling_rate_target",
    "satisfaction_target",
    "satisfied_from",
    "signature_max_kb",
    "backdate_max_days",
]


@transaction.atomic
def service_settings_update(*, actor, data: dict, request=None) -> ServiceSettings:
    """System administrators change the numbers; every change is audited with old → new values."""
    if not (actor.is_superuser or actor.has_perm("service.change_servicesettings")):
        raise PermissionDenied(_("Only administrators change the service settings."))
    settings = ServiceSettings.current()
    changes = {}
    for name in EDITABLE:
        if name in data and getattr(settings, name) != data[name]:
            changes[name] = [getattr(settings, name), data[name]]
            setattr(settings, name, data[name])
    if not changes:
        return settings
    settings.full_clean()
    settings.save()
    audit_record(
        event=AuditEvent.SERVICE_SETTINGS_CHANGED,
        actor=actor,
        request=request,
        target=settings,
        detail={"settings": {k: [str(v) for v in pair] for k, pair in changes.items()}},
    )
    return settings
