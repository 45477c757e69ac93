"""Scheduled reports by e-mail. Each recipient receives the report gathered in HIS scope, as an
attachment, through the configured mail backend (console by default).

Never twice for the same period: the run claims the period on the locked schedule row
(last_sent_for) before it sends, so two runs at once, or cron plus the task chain, send once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

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
from ..models import ReportSchedule

log = logging.getLogger(__name__)


@dataclass
class SendResult:
    sent: list[tuple[int, str]] = field(default_factory=list)  # (schedule id, period code)
    messages: int = 0
    skipped: int = 0  # recipients without an address or for whom the report is not available


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


def _claim(schedule_id: int, period: ReportPeriod, now: datetime) -> tuple[bool, str]:
    with transaction.atomic():
        row = ReportSchedule.objects.select_for_update().get(pk=schedule_id)
        if row.last_sent_for == period.code:
            return False, row.last_sent_for
        before = row.last_sent_for
        row.last_sent_for, row.last_sent_at = period.code, now
        row.save(update_fields=["last_sent_for", "last_sent_at"])
        return True, before


def schedule_send(
    *,
    schedule: ReportSchedule,
    period: ReportPeriod,
    now: datetime | None = None,
    result: SendResult | None = None,
) -> SendResult:
    """Send the schedule's report of `period` to each recipient, once (a second call does nothing)."""
    now = now or timezone.now()
    result = result or SendResult()
    report_class = REGISTRY.get(schedule.report_code)
    if report_class is None:
        log.warning("report schedule %s: no report %r", schedule.pk, schedule.report_code)
        return result
    claimed, before = _claim(schedule.pk, period, now)
    if not claimed:
        return result
    sent_to = []
    try:
        for recipient in schedule.recipients.filter(is_active=True).order_by("pk"):
            if not recipient.email or not report_class.is_available_to(recipient):
                result.skipped += 1
                continue
            with override(settings.LANGUAGE_CODE):
                report = report_class(viewer=recipient, period=period)
                data = report.gather()
                content = RENDERERS[schedule.format](data)
                subject = f"{data.title} · {data.period_label}"
                body = _("Attached: %(title)s for %(period)s (%(scope)s).") % {
                    "title": data.title,
                    "period": period.label,
                    "scope": data.subtitle,
                }
            message = EmailMessage(subject=subject, body=body, to=[recipient.email])
            message.attach(
                f"{report_class.code}-{period.code}.{schedule.format}",
                content,
                CONTENT_TYPES[schedule.format],
            )
            message.send()
            sent_to.append(recipient.get_username())
            result.messages += 1
    except Exception:
        if not sent_to:  # nothing went out: give the period back, the next run tries again
            ReportSchedule.objects.filter(pk=schedule.pk).update(last_sent_for=before)
        raise
    result.sent.append((schedule.pk, period.code))
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
