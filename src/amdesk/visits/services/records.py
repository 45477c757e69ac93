"""Recording a visit 拜访记录: content, findings for the supervisor, the client's sign-off."""

import base64
import binascii
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import Client
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import client_q, read_only_message

from ..models import (
    AnomalyKind,
    ChecklistItem,
    ClientLocation,
    ScheduleEntry,
    Visit,
    VisitFinding,
    VisitSettings,
)

CONTENT_FIELDS = [
    "kind",
    "mode",
    "started_at",
    "ended_at",
    "latitude",
    "longitude",
    "checklist",
    "special_reason",
    "market_anomaly",
    "anomalies",
    "opinions",
    "effect",
    "next_step",
    "next_step_on",
    "unsigned_reason",
    "signer_name",
]
PNG_PREFIX = "data:image/png;base64,"


class StaleVisit(Exception):
    """Someone saved the record after this form was opened."""


def _check(visit: Visit, settings: VisitSettings, *, recorded_codes=(), recorded_anomalies=()) -> None:
    """The rules of a record; `recorded_codes` (`recorded_anomalies`) are checklist items (anomaly
    kinds) already on it, which stay acceptable after the item is retired (an edit must not fail on
    words the record already had)."""
    errors: dict[str, list[str]] = {}
    known = set(
        ChecklistItem.objects.filter(purpose=ChecklistItem.Purpose.VISIT, is_active=True).values_list(
            "code", flat=True
        )
    )
    known.update(recorded_codes)
    unknown = [code for code in visit.checklist if code not in known]
    if unknown:
        errors["checklist"] = [_("Unknown checklist item: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if not isinstance(visit.anomalies, list) or not all(isinstance(code, str) for code in visit.anomalies):
        errors["anomalies"] = [_("Give the anomalies seen as a list of codes.")]
    else:
        kinds = set(AnomalyKind.objects.filter(is_active=True).values_list("code", flat=True))
        kinds.update(recorded_anomalies)
        unknown = [code for code in visit.anomalies if code not in kinds]
        if unknown:
            errors["anomalies"] = [_("Unknown anomaly kind: %(codes)s.") % {"codes": ", ".join(unknown)}]
        visit.anomalies = list(dict.fromkeys(visit.anomalies))
    if visit.kind == Visit.Kind.SPECIAL and not visit.special_reason.strip():
        errors["special_reason"] = [_("Say what happened at the client that calls for this special visit.")]
    if visit.ended_at and visit.started_at and visit.ended_at < visit.started_at:
        errors["ended_at"] = [_("The visit cannot end before it starts.")]
    if visit.started_at and visit.started_at > timezone.now() + timedelta(minutes=5):
        errors["started_at"] = [
            _("A visit is recorded once it has taken place; plan future ones in the schedule.")
        ]
    if (visit.latitude is None) != (visit.longitude is None):
        errors["latitude"] = [_("Give both latitude and longitude, or neither.")]
    if visit.next_step_on and not visit.next_step.strip():
        errors["next_step"] = [_("Say what the next step is.")]
    if visit.next_step_on and visit.visited_on and visit.next_step_on < visit.visited_on:
        errors["next_step_on"] = [_("The next step comes after the visit.")]
    if visit.mode == Visit.Mode.ON_SITE and not visit.signature and not visit.unsigned_reason.strip():
        errors["unsigned_reason"] = [_("Ask the client to sign, or say why the client could not sign.")]
    if errors:
        raise ValidationError(errors)


def _signature(data_url: str, settings: VisitSettings) -> str:
    """Accept a PNG drawn on the screen, as a data URL, within the size limit."""
    if not data_url.startswith(PNG_PREFIX):
        raise ValidationError({"signature": [_("The signature must be a PNG image drawn on the screen.")]})
    payload = data_url[len(PNG_PREFIX) :]
    limit = settings.signature_max_kb * 1024
    # Refused before decoding: base64 takes 4 characters for every 3 bytes.
    if len(payload) > (limit + 2) // 3 * 4:
        raise ValidationError({"signature": [_("The signature image is too large.")]})
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        damaged = _("The signature image is damaged; ask the client to sign again.")
        raise ValidationError({"signature": [damaged]}) from None
    if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError({"signature": [_("The signature must be a PNG image drawn on the screen.")]})
    if len(raw) > limit:
        raise ValidationError({"signature": [_("The signature image is too large.")]})
    return data_url


def _sync_findings(visit: Visit) -> list[VisitFinding]:
    """Raise one finding per thing seen that the supervisor must act on (the anomalies written down,
    each anomaly kind ticked); never remove one raised."""
    wanted: dict[str, AnomalyKind | None] = {}
    if visit.market_anomaly.strip():
        wanted[VisitFinding.MARKET_ANOMALY] = None
    for kind in AnomalyKind.objects.filter(code__in=visit.anomalies):
        wanted[kind.code] = kind
    existing = set(visit.findings.values_list("kind", flat=True))
    raised = []
    for code, anomaly in wanted.items():
        if code not in existing:
            raised.append(
                VisitFinding.objects.create(
                    visit=visit,
                    client=visit.client,
                    owner=visit.owner,
                    org_node=visit.org_node,
                    kind=code,
                    anomaly=anomaly,
                    note=visit.market_anomaly.strip(),
                )
            )
    return raised


def _learn_location(visit: Visit) -> None:
    """An on-site visit's position becomes the client's location when none was entered."""
    if visit.mode != Visit.Mode.ON_SITE or visit.latitude is None:
        return
    location, created = ClientLocation.objects.get_or_create(
        client=visit.client,
        defaults={
            "latitude": visit.latitude,
            "longitude": visit.longitude,
            "source": ClientLocation.Source.VISIT,
        },
    )
    if not created and location.latitude is None:
        location.latitude, location.longitude = visit.latitude, visit.longitude
        location.source = ClientLocation.Source.VISIT
        location.updated_at = timezone.now()
        location.save(update_fields=["latitude", "longitude", "source", "updated_at"])


@transaction.atomic
def visit_record(
    *,
    actor,
    client: Client,
    data: dict,
    entry: ScheduleEntry | None = None,
    signature: str = "",
    request=None,
) -> Visit:
    """Record a visit the actor made to a client he may see; planned when it fulfils a schedule entry."""
    # The client's account manager, or whoever changes his records (a supervisor on a joint visit).
    if not Client.objects.filter(client_q(actor, for_write=True), pk=client.pk).exists():
        raise PermissionDenied(read_only_message(actor))
    settings = VisitSettings.current()
    visit = Visit(client=client, owner=actor, org_node_id=client.org_node_id)
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(visit, name, data[name])
    visit.started_at = visit.started_at or timezone.now()
    visit.visited_on = timezone.localtime(visit.started_at).date()
    if entry is not None:
        if entry.schedule.owner_id != actor.pk or entry.client_id != client.pk:
            raise ValidationError({"entry": [_("This schedule entry is not for this client.")]})
        if Visit.objects.filter(entry=entry).exists():
            raise ValidationError({"entry": [_("This scheduled visit is already recorded.")]})
        visit.entry, visit.planned = entry, True
    if signature:
        visit.signature = _signature(signature, settings)
        visit.signed_at = timezone.now()
        visit.unsigned_reason = ""
    _check(visit, settings)
    visit.full_clean(exclude=["entry"])
    visit.save()
    _sync_findings(visit)
    _learn_location(visit)
    audit_record(
        event=AuditEvent.VISIT_RECORDED,
        actor=actor,
        request=request,
        target=visit,
        detail={"client": client.pk, "planned": visit.planned, "signed": visit.is_signed},
    )
    return visit


def may_edit(actor, visit: Visit, *, settings: VisitSettings | None = None) -> bool:
    """Only the AM who made it, only before the client signed it, only for a while."""
    settings = settings or VisitSettings.current()
    if visit.owner_id != actor.pk or visit.is_signed:
        return False
    return timezone.now() - visit.created_at <= timedelta(hours=settings.record_edit_hours)


@transaction.atomic
def visit_update(
    *, actor, visit: Visit, data: dict, expected_version: int | None = None, request=None
) -> Visit:
    settings = VisitSettings.current()
    if not may_edit(actor, visit, settings=settings):
        raise PermissionDenied(
            _("This record can no longer be changed: it is signed, or not yours, or too old.")
        )
    changed = [name for name in CONTENT_FIELDS if name in data and getattr(visit, name) != data[name]]
    recorded_codes, recorded_anomalies = list(visit.checklist), list(visit.anomalies)
    for name in changed:
        setattr(visit, name, data[name])
    if not changed:
        return visit
    visit.visited_on = timezone.localtime(visit.started_at).date()
    _check(visit, settings, recorded_codes=recorded_codes, recorded_anomalies=recorded_anomalies)
    visit.full_clean(exclude=["entry"])
    version = visit.version if expected_version is None else expected_version
    fields = [*changed, "visited_on", "updated_at"]
    visit.updated_at = timezone.now()
    updated = Visit.objects.filter(pk=visit.pk, version=version).update(
        version=F("version") + 1, **{name: getattr(visit, name) for name in fields}
    )
    if not updated:
        raise StaleVisit(_("Someone saved this record after you opened it. Reload to see their changes."))
    visit.refresh_from_db()
    _sync_findings(visit)
    _learn_location(visit)
    audit_record(
        event=AuditEvent.VISIT_CHANGED, actor=actor, request=request, target=visit, detail={"fields": changed}
    )
    return visit


@transaction.atomic
def visit_sign(*, actor, visit: Visit, signature: str, signer_name: str = "", request=None) -> Visit:
    """The client signs the record on the AM's screen; a signed record is never signed again."""
    if visit.owner_id != actor.pk:
        raise PermissionDenied(_("Only the account manager who made the visit collects the signature."))
    settings = VisitSettings.current()
    data = _signature(signature, settings)
    updated = Visit.objects.filter(pk=visit.pk, signed_at__isnull=True).update(
        signature=data,
        signed_at=timezone.now(),
        signer_name=signer_name[:50],
        unsigned_reason="",
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise ValidationError({"signature": [_("This record is already signed.")]})
    visit.refresh_from_db()
    audit_record(event=AuditEvent.VISIT_SIGNED, actor=actor, request=request, target=visit)
    return visit
