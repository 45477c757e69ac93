"""Scheduled reports by e-mail. Each recipient receives the report gathered in HIS scope, as an
attachment, through the configured mail backend (console by default).

Once per recipient and period: each message is a ReportDelivery claimed (a unique row) before it is
sent and marked sent after, so two runs at once, or cron plus the task chain, send it once. A send
that fails gives its claim back and the others go on; the next run retries only those without a
delivery. The schedule's `last_sent_for` is set when every recipient has his, and the runs after
pass it by. A claim left by a process that died mid-send is taken again after CLAIM_EXPIRES."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..framework.base import REGISTRY, ReportPeriod
from ..framework.render import CONTENT_TYPES, RENDERERS
from ..models import ReportDelivery, ReportSchedule

CLAIM_EXPIRES = timedelta(hours=1)

log = logging.getLogger(__name__)


@dataclass
class SendResult:
    sent: list[tuple[int, str]] = field(default_factory=list)  # (schedule id, period code) completed
    messages: int = 0
    skipped: int = 0  # recipients without an address or for whom the report is not available
    failed: int = 0  # messages that could not be sent (retried by the next run)


def period_due(schedule: ReportSchedule, now: datetime) -> ReportPeriod | None:
    """The period this schedule should have sent by `now` (the one just finished), or None when its
    day and time in the current month or quarter have not come yet."""
    local = timezone.localtime(now)
    current = ReportPeriod.containing(schedule.period_kind, local.date())
    send_at = timezone.make_aware(
        datetime.combine(current.start.replace(day=schedule.day), schedule.at),
        timezone.get_current_timezone(),
    )
    if local < send_at:
        return None
    return current.previous()


def schedules_send_due(*, now: datetime | None = None) -> SendResult:
    """Send every enabled schedule whose time has come and whose period was not sent yet."""
    now = now or timezone.now()
    result = SendResult()
    for schedule in ReportSchedule.objects.filter(enabled=True).order_by("pk"):
        period = period_due(schedule, now)
        if period is not None and schedule.last_sent_for != period.code:
            schedule_send(schedule=schedule, period=period, now=now, result=result)
    return result


def _claim(schedule: ReportSchedule, period: ReportPeriod, recipient, now: datetime) -> bool:
    """Take this recipient's delivery for the period: False when it was sent, or another run holds it."""
    with transaction.atomic():
        row, created = ReportDelivery.objects.select_for_update().get_or_create(
            schedule=schedule, period=period.code, recipient=recipient, defaults={"claimed_at": now}
        )
        if created:
            return True
        if row.sent_at is None and row.claimed_at <= now - CLAIM_EXPIRES:
            row.claimed_at = now
            row.save(update_fields=["claimed_at"])
            return True
        return False


def _message(schedule: ReportSchedule, report_class, period: ReportPeriod, recipient) -> EmailMessage:
    with override(settings.LANGUAGE_CODE):
        data = report_class(viewer=recipient, period=period).gather()
        content = RENDERERS[schedule.format](data)
        subject = f"{data.title} · {data.period_label}"
        body = _("Attached: %(title)s for %(period)s (%(scope)s).") % {
            "title": data.title,
            "period": period.label,
            "scope": data.subtitle,
        }
    message = EmailMessage(subject=subject, body=body, to=[recipient.email])
    message.attach(
        f"{report_class.code}-{period.code}.{schedule.format}", content, CONTENT_TYPES[schedule.format]
    )
    return message


def schedule_send(
    *,
    schedule: ReportSchedule,
    period: ReportPeriod,
    now: datetime | None = None,
    result: SendResult | None = None,
) -> SendResult:
    """Send the schedule's report of `period` to each recipient who has not had it yet."""
    now = now or timezone.now()
    result = result or SendResult()
    report_class = REGISTRY.get(schedule.report_code)
    if report_class is None:
        log.warning("report schedule %s: no report %r", schedule.pk, schedule.report_code)
        return result
    sent_to, complete = [], True
    for recipient in schedule.recipients.filter(is_active=True).order_by("pk"):
        if not recipient.email or not report_class.is_available_to(recipient):
            result.skipped += 1
            continue
        if not _claim(schedule, period, recipient, now):
            # sent already, or another run is sending it now (that run completes the schedule)
            complete = (
                complete
                and ReportDelivery.objects.filter(
                    schedule=schedule, period=period.code, recipient=recipient, sent_at__isnull=False
                ).exists()
            )
            continue
        try:
            _message(schedule, report_class, period, recipient).send()
        except Exception:
            log.exception(
                "report schedule %s, %s: sending to %s failed", schedule.pk, period.code, recipient.pk
            )
            ReportDelivery.objects.filter(
                schedule=schedule, period=period.code, recipient=recipient, sent_at__isnull=True
            ).delete()
            result.failed += 1
            complete = False
            continue
        ReportDelivery.objects.filter(schedule=schedule, period=period.code, recipient=recipient).update(
            sent_at=timezone.now()
        )
        sent_to.append(recipient.get_username())
        result.messages += 1
    if complete:
        ReportSchedule.objects.filter(pk=schedule.pk).update(last_sent_for=period.code, last_sent_at=now)
        result.sent.append((schedule.pk, period.code))
    if sent_to:
        audit_record(
            event=AuditEvent.REPORT_SENT,
            target=schedule,
            detail={
                "report": schedule.report_code,
                "period": period.code,
                "format": schedule.format,
                "recipients": sent_to,
            },
        )
    return result
