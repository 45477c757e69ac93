"""Demo data of the reports capability: one schedule that mails the service SLA report of the
previous month to the supervisors, each with his own team's figures."""

from datetime import date, time
from random import Random

from amdesk.orgs.models import Staff
from amdesk.reports.models import ReportSchedule


def build_reports(*, rng: Random, today: date) -> None:
    schedule, _created = ReportSchedule.objects.get_or_create(
        name="每月服务时效报表(主管)",
        defaults={
            "report_code": "service-sla",
            "period_kind": ReportSchedule.PeriodKind.PREVIOUS_MONTH,
            "format": ReportSchedule.Format.PDF,
            "day": 2,
            "at": time(8, 0),
            "enabled": True,
        },
    )
    supervisors = Staff.objects.filter(roles__code="supervisor", status=Staff.Status.ACTIVE).distinct()
    schedule.recipients.add(*supervisors.order_by("pk")[:10])
