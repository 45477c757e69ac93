"""The client book and the scheme of bench/appraisal_run.py: what the bank's indicators read.

Every client gets a tier (a fifth key), a lifecycle (won, prospect, centre of influence, lost), an
archive completeness, an ownership row, AUM snapshots at the ends of April and May for the clients
with assets, and 1–4 product holdings unless a prospect. A few percent of them move in the appraised
month: won (a lifecycle change, or a new client entering the archive won), lost (a change) or handed
over to the next AM (his ownership ends, the new one starts). Each AM has his own drift of AUM and
his own leaning to sell several product lines, so the percentile scales have something to spread.

All rows go through the row writer (COPY on PostgreSQL), in batches, with the secondary indexes set
aside while loading."""

from datetime import date, datetime, timedelta
from decimal import Decimal

MONTH = date(2026, 5, 1)
MONTH_END = date(2026, 5, 31)
BEFORE_END = date(2026, 4, 30)
BATCH = 50_000
LIFECYCLES = ["won", "prospect", "influencer", "lost"]
LIFECYCLE_WEIGHTS = [70, 15, 5, 10]


class Book:
    """Rows of the clients first..first+n and what hangs off them, for the row writer."""

    def __init__(self, *, rng, ams, node_of, clients_per_am, first_client, zone):
        from amdesk.clients.models import ClientTier, Product

        self.rng, self.ams, self.node_of, self.per_am = rng, ams, node_of, clients_per_am
        self.first, self.zone = first_client, zone
        tiers = list(ClientTier.objects.order_by("order", "code"))
        self.key_tier = next(tier.pk for tier in tiers if tier.is_key)
        self.other_tier = next(tier.pk for tier in tiers if not tier.is_key)
        self.products = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        self.since = datetime(2025, 1, 1, tzinfo=zone)
        # Each AM his own AUM drift and his own leaning to sell several lines.
        self.drift = {pk: rng.uniform(-0.05, 0.10) for pk in ams}
        self.lines = {pk: [rng.random() for _ in range(4)] for pk in ams}
        self.clients, self.ownerships, self.changes, self.snapshots, self.holdings = [], [], [], [], []

    def in_month(self, hour: int = 11) -> datetime:
        day = MONTH + timedelta(days=self.rng.randrange(30))
        return datetime(day.year, day.month, day.day, hour, tzinfo=self.zone)

    def client(self, n: int) -> None:
        rng, pk = self.rng, self.first + n
        owner = self.ams[n // self.per_am]
        lifecycle = rng.choices(LIFECYCLES, LIFECYCLE_WEIGHTS)[0]
        tier = self.key_tier if rng.random() < 0.2 else self.other_tier
        self.clients.append(
            (pk, f"客户{pk}", owner, self.node_of[owner], lifecycle, tier, rng.randrange(20, 101))
        )
        event, started, how, new = rng.random(), self.since, "created", False
        if event < 0.01 and lifecycle == "won":  # won in the month
            self.changes.append((pk, "lifecycle", "prospect", "won", self.in_month()))
        elif event < 0.013 and lifecycle == "won":  # a new client, entered won
            started, new = self.in_month(9), True
        elif event < 0.016 and lifecycle == "lost":  # lost in the month
            self.changes.append((pk, "lifecycle", "won", "lost", self.in_month()))
        elif event < 0.02 and len(self.ams) > 1:  # handed over from the next AM in the month
            before = self.ams[(n // self.per_am + 1) % len(self.ams)]
            started, how = self.in_month(9), "handover"
            self.ownerships.append((pk, before, "created", self.since, started, "基准数据"))
        self.ownerships.append((pk, owner, how, started, None, "基准数据"))
        if lifecycle != "prospect":
            amount = Decimal(rng.randrange(10_000, 2_000_000))
            if not new:
                self.snapshots.append((pk, BEFORE_END, amount))
            if lifecycle != "lost":
                grown = amount * Decimal(1 + self.drift[owner] + rng.uniform(-0.05, 0.05))
                self.snapshots.append((pk, MONTH_END, grown.quantize(Decimal("0.01"))))
            held = rng.choices([1, 2, 3, 4], self.lines[owner])[0]
            for product in rng.sample(self.products, min(held, len(self.products))):
                self.holdings.append((pk, product, Decimal(rng.randrange(1_000, 500_000))))

    def write(self, writer) -> list[int]:
        from amdesk.clients.models import AumSnapshot, Client, ClientChange, ClientOwnership, Holding

        writer.write(
            Client,
            ["id", "name", "owner_id", "org_node_id", "lifecycle", "tier_id", "completeness"],
            self.clients,
        )
        writer.write(
            ClientOwnership,
            ["client_id", "owner_id", "how", "started_at", "ended_at", "reason"],
            self.ownerships,
        )
        writer.write(
            ClientChange, ["client_id", "field", "old_value", "new_value", "changed_at"], self.changes
        )
        writer.write(AumSnapshot, ["client_id", "as_of", "amount"], self.snapshots)
        writer.write(Holding, ["client_id", "product_id", "balance"], self.holdings)
        counts = [len(rows) for rows in (self.ownerships, self.changes, self.snapshots, self.holdings)]
        self.clients, self.ownerships, self.changes, self.snapshots, self.holdings = [], [], [], [], []
        return counts


def build_book(writer, *, rng, ams, node_of, clients_per_am, zone) -> tuple[int, dict]:
    """Writes the clients and their book; returns (first client id, rows written per table)."""
    from amdesk.clients.models import AumSnapshot, Client, ClientChange, ClientOwnership, Holding

    total = len(ams) * clients_per_am
    first = writer.reserve_ids(Client, total)
    book = Book(
        rng=rng, ams=ams, node_of=node_of, clients_per_am=clients_per_am, first_client=first, zone=zone
    )
    written = dict.fromkeys(["ownerships", "changes", "AUM snapshots", "holdings"], 0)
    with writer.bulk_load(Client, ClientOwnership, ClientChange, AumSnapshot, Holding):
        for start in range(0, total, BATCH):
            for n in range(start, min(start + BATCH, total)):
                book.client(n)
            for name, count in zip(written, book.write(writer), strict=True):
                written[name] += count
    writer.finish(Client)
    return first, written


# --- the scheme -------------------------------------------------------------------------------------

# (code, name, source, higher is better, point mode, low, high): percentiles 10/90 where no fixed
# points are given, as an admin would for amounts and counts that depend on the book's size.
INDICATORS = {
    "acquire": [
        ("b-won", "新增客户", "clients_won", True, None),
        ("b-visits", "拜访次数", "visits_made", True, None),
        ("b-contacts", "日均联系", "contacts_per_day", True, (0, 5)),
    ],
    "retain": [
        ("b-retention", "重点客户保有率", "key_client_retention", True, (80, 100)),
        ("b-churned", "重点客户流失", "churned_key_clients", False, (0, 5)),
        ("b-archive", "档案完整率", "archive_completeness", True, (40, 100)),
    ],
    "grow": [
        ("b-aum", "期末资产", "aum_end", True, None),
        ("b-aum-growth", "资产增长率", "aum_growth", True, (-5, 10)),
        ("b-cross-sell", "交叉销售率", "cross_sell_rate", True, (20, 80)),
        ("b-coverage", "产品覆盖", "product_coverage", True, (1, 3)),
    ],
    "mark": [("b-mark", "主管评分", "manual", True, (60, 100))],
}
CRITERIA = [("acquire", "获客"), ("retain", "保有"), ("grow", "提升"), ("mark", "主管评价")]
# Saaty judgments above the diagonal, row by row: growth matters most, then acquisition.
CRITERIA_JUDGMENTS = [[2, 1 / 2, 3], [1 / 3, 2], [4]]
INDICATOR_JUDGMENTS = {
    "acquire": [[3, 5], [2]],
    "retain": [[2, 4], [3]],
    "grow": [[2, 3, 4], [2, 3], [2]],
    "mark": [],
}


def build_scheme(ams, rng) -> int:
    """The scheme `bench` (AHP weights from the judgments above) and a supervisor's mark for nine AMs
    in ten; returns the number of indicators."""
    from amdesk.appraisal.ahp import ahp, from_upper
    from amdesk.appraisal.models import (
        Criterion,
        Dimension,
        Indicator,
        ManualValue,
        Scheme,
        SchemeIndicator,
        SchemeVersion,
    )
    from amdesk.orgs.models import Role

    dimension, _ = Dimension.objects.get_or_create(code="bench", defaults={"name": "基准"})
    scheme = Scheme.objects.create(code="bench", name="基准方案", period_kind="month")
    scheme.roles.set(Role.objects.filter(code="account_manager"))
    version = SchemeVersion.objects.create(scheme=scheme, number=1, state=SchemeVersion.State.ACTIVE)
    criteria_weights = ahp(from_upper(CRITERIA_JUDGMENTS, len(CRITERIA))).weights
    mark = None
    for order, ((key, name), weight) in enumerate(zip(CRITERIA, criteria_weights, strict=True)):
        criterion = Criterion.objects.create(version=version, name=name, weight=weight, order=order)
        rows = INDICATORS[key]
        weights = ahp(from_upper(INDICATOR_JUDGMENTS[key], len(rows))).weights if len(rows) > 1 else [1.0]
        for position, ((code, label, source, better, points), share) in enumerate(
            zip(rows, weights, strict=True)
        ):
            indicator = Indicator.objects.create(
                code=code, name=label, dimension=dimension, source=source, higher_is_better=better
            )
            mark = indicator if source == "manual" else mark
            fixed = (
                {"point_mode": "fixed", "low": Decimal(points[0]), "high": Decimal(points[1])}
                if points
                else {}
            )
            SchemeIndicator.objects.create(
                criterion=criterion, indicator=indicator, order=position, weight=share, **fixed
            )
    # Every tenth AM has no mark entered: his score is judged on the other indicators.
    ManualValue.objects.bulk_create(
        [
            ManualValue(
                indicator=mark,
                staff_id=pk,
                period_start=MONTH,
                period_end=MONTH_END,
                value=Decimal(rng.randrange(50, 101)),
            )
            for n, pk in enumerate(ams)
            if n % 10
        ],
        batch_size=1000,
    )
    return sum(len(rows) for rows in INDICATORS.values())
