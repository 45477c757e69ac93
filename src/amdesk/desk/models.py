"""Pre-aggregated figures the desks chart, so a branch head's desk reads a few hundred summary rows
instead of scanning a million clients, their AUM history and every visit.

The rows are refreshed as a whole by `desk_figures_refresh` (services.py): by the self-scheduling
`desk_refresh_task` (tasks.py) or the `amdesk desk_refresh` command (cron), and by the demo after it
builds its data. Each row says when it was computed, and DeskRefresh keeps the last run; the desk
shows that time ("as of") on the cards that read them. The figures are about org nodes and account
managers, never about one client: nothing personal is kept. docs/adr/0022.
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


class NodeClients(models.Model):
    """Per org node, now: the client card's counts as the client list counts them (all clients, lost
    ones included in `total`; the others about the clients still served), so a head's or a supervisor's
    desk does not count his whole branch on every visit. The account manager's own card stays live."""

    org_node = models.OneToOneField("orgs.OrgNode", on_delete=models.CASCADE, related_name="+")
    total = models.PositiveIntegerField(default=0)
    lost = models.PositiveIntegerField(default=0)
    key = models.PositiveIntegerField(default=0)
    incomplete = models.PositiveIntegerField(default=0)
    stakeholder_gaps = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("desk client counts per node")

    def __str__(self) -> str:
        return f"{self.org_node_id}"


class DeskRefresh(models.Model):
    """One row (pk=1): when the figures were last refreshed, how long it took, and the token of the
    refresh task's chain (tasks.py: only one chain of the self-scheduling task runs)."""

    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    seconds = models.FloatField(default=0)
    chain = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("desk figures refresh")

    def __str__(self) -> str:
        return f"{self.refreshed_at}"

    @classmethod
    def current(cls) -> "DeskRefresh":
        row, _created = cls.objects.get_or_create(pk=1)
        return row


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
