"""Demo attachments: what the source documents keep, drawn in code (no file is committed).

The first account managers' key clients get an ID-card copy and a deposit slip, recent on-site
visits a photo of the shop front, a quality ticket the signed feedback form, a finished post-loan
inspection a photo of the site. Every file goes through the upload service as its owner, at a time
in the past, so it is checked, re-encoded, stored and audited as a real upload would be."""

import random
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amdesk.attachments.demo_files import id_card_jpeg, photo_jpeg, slip_pdf
from amdesk.attachments.selectors import resolve_target
from amdesk.attachments.services import attachment_upload
from amdesk.clients.models import Client
from amdesk.service.models import Ticket
from amdesk.visits.models import LoanInspection, Visit

CLIENTS = 6
VISITS = 8


def _upload(actor, kind, obj, *, name, data, category, at, note=""):
    target = resolve_target(actor, kind, obj.pk)
    attachment_upload(
        actor=actor,
        target=target,
        upload=SimpleUploadedFile(name, data),
        category=category,
        note=note,
        at=at,
    )


def _at(day: date, hour: int) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), timezone.now())


def build_attachments(*, rng: random.Random, today: date) -> int:
    """A few files on clients, visits, a ticket and an inspection; returns how many."""
    made = 0
    clients = list(
        Client.objects.filter(owner__roles__code="account_manager", kind=Client.Kind.INDIVIDUAL)
        .select_related("owner")
        .order_by("owner_id", "-id")[: CLIENTS * 4]
    )
    for client in clients[::4][:CLIENTS]:
        day = today - timedelta(days=rng.randint(20, 120))
        _upload(
            client.owner,
            "client",
            client,
            name="身份证复印件.jpg",
            data=id_card_jpeg(seed=client.pk),
            category="id_copy",
            at=_at(day, 10),
        )
        amount = f"{rng.randint(5, 80) * 10_000:,}.00"
        _upload(
            client.owner,
            "client",
            client,
            name="存款凭条.pdf",
            data=slip_pdf(amount),
            category="deposit_slip",
            at=_at(day, 11),
            note=f"存入 {amount} 元",
        )
        made += 2
    visits = (
        Visit.objects.filter(mode=Visit.Mode.ON_SITE).select_related("owner").order_by("-started_at")[:VISITS]
    )
    for visit in visits:
        _upload(
            visit.owner,
            "visit",
            visit,
            name=f"IMG_{visit.pk:04d}.jpg",
            data=photo_jpeg(seed=visit.pk),
            category="onsite_photo",
            at=visit.ended_at or visit.started_at,
            note="门头及陈列",
        )
        made += 1
    ticket = (
        Ticket.objects.filter(ticket_type="quality").select_related("owner").order_by("-received_at").first()
    )
    if ticket is not None:
        _upload(
            ticket.owner,
            "ticket",
            ticket,
            name="质量反馈单.pdf",
            data=slip_pdf("—", account="QUALITY FEEDBACK"),
            category="signed_form",
            at=min(ticket.received_at + timedelta(hours=2), timezone.now()),
        )
        made += 1
    inspection = (
        LoanInspection.objects.filter(done_on__isnull=False)
        .select_related("owner")
        .order_by("-done_on")
        .first()
    )
    if inspection is not None:
        _upload(
            inspection.owner,
            "inspection",
            inspection,
            name="经营场所.jpg",
            data=photo_jpeg(seed=inspection.pk),
            category="onsite_photo",
            at=_at(inspection.done_on, 15),
            note="经营场所正常营业",
        )
        made += 1
    return made
