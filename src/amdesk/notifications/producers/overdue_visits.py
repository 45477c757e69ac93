"""Overdue visits: a client of the account manager's whose visit fell due (by the frequency
norms, visits.selectors.status) within the look-back window and is still not visited. Once per
client and due date: a new visit moves the due date, and a later lapse raises a new one."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import Client
from amdesk.visits.models import VisitSettings
from amdesk.visits.selectors.status import with_visit_status

from ..kinds import VISIT_OVERDUE
from ..services import Draft

KINDS = (VISIT_OVERDUE,)


def drafts(*, now, settings) -> list[Draft]:
    today = timezone.localdate(now)
    clients = (
        with_visit_status(
            Client.objects.exclude(lifecycle=Client.Lifecycle.LOST).filter(owner__is_active=True),
            settings=VisitSettings.current(),
        )
        .filter(next_due_on__lt=today, next_due_on__gte=today - timedelta(days=settings.lookback_days))
        .values("pk", "name", "owner_id", "next_due_on")
    )
    return [
        Draft(
            user_id=row["owner_id"],
            kind=VISIT_OVERDUE,
            key=f"client:{row['pk']}:{row['next_due_on'].isoformat()}",
            title=_("%(client)s is overdue for a visit (due %(due)s)")
            % {"client": row["name"], "due": row["next_due_on"].isoformat()},
            url=reverse("clients:detail", args=[row["pk"]]),
        )
        for row in clients
    ]
