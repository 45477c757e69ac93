"""Pre-aggregated figures the desks chart, so a branch head's desk reads a few hundred summary rows
instead of scanning a million clients, their AUM history and every visit.

The rows are refreshed as a whole by `desk_figures_refresh` (services.py): nightly by the
`amdesk desk_refresh` command (cron or the task runner), and by the demo after it builds its data.
Each row says when it was computed; the desk shows that date under the charts that read them. The
figures are about org nodes and account managers, never about one client: nothing personal is kept.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NodeMonth(models.Model):
    """Per org node (the node the clients belong to now) and month: the month-end AUM (each client's
    latest snapshot on or before the month's last day), the clients it counts, and the visits made."""

    org_node = models.ForeignKey("orgs.OrgNode", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))  # the first day
    aum = models.DecimalField(_("AUM"), max_digits=20, decimal_places=2, default=0)
    aum_clients = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("desk figures per node and month")
        constraints = [models.UniqueConstraint(fields=["org_node", "month"], name="desk_node_month_unique")]

    def __str__(self) -> str:
        return f"{self.org_node_id} {self.month:%Y-%m}"


class NodeTier(models.Model):
    """Per org node and client tier, now: clients served (lost ones left out) and their AUM."""

    org_node = models.ForeignKey("orgs.OrgNode", on_delete=models.CASCADE, related_name="+")
    tier = models.ForeignKey("clients.ClientTier", on_delete=models.CASCADE, related_name="+")
    clients = models.PositiveIntegerField(default=0)
    aum = models.DecimalField(_("AUM"), max_digits=20, decimal_places=2, default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("desk figures per node and tier")
        constraints = [models.UniqueConstraint(fields=["org_node", "tier"], name="desk_node_tier_unique")]

    def __str__(self) -> str:
        return f"{self.org_node_id} {self.tier_id}"


class OwnerWeek(models.Model):
    """Per account manager and week (Monday): clients due a visit by the frequency norms in that week
    and those that had their visits (visits.selectors.compliance_in_period), and the visits made."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("week"))
    clients_due = models.PositiveIntegerField(default=0)
    complied = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("desk figures per account manager and week")
        constraints = [models.UniqueConstraint(fields=["owner", "week"], name="desk_owner_week_unique")]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.week}"

    @property
    def rate(self) -> float | None:
        return round(100 * self.complied / self.clients_due, 1) if self.clients_due else None
