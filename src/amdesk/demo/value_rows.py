"""What one demo client is worth and who its people are: holdings, AUM history, tags, contacts, ratings.

Pure generation from a seeded generator, one client at a time, into tuples (see values.py for
the step that reads the clients and writes the rows). The shapes follow the services: a
holding's account number is digits only, the latest AUM snapshot is the sum of the balances
of products that count to AUM, a rating stores its form items as `credit_rating_record` does.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from stdnum import luhn

from .names import mobile, person_name

HISTORY_MONTHS = 12
# Product lines whose holdings carry a card or account number (bank cards, deposit accounts).
NUMBERED_LINES = {"card", "deposit"}
BIG_ACCOUNT_AUM = 3_000_000
TAGS = ["代发工资", "高净值", "小微企业主", "养老客群", "新市民", "专精特新"]
DECISION_ROLES = ["总经理", "董事长", "财务总监"]
OTHER_ROLES = ["副总经理", "财务经理", "采购经理", "出纳", "行政主管", "办公室主任", "人事经理"]
INTERESTS = [
    "关注融资成本",
    "看重结算效率",
    "希望降低手续费",
    "关注资金安全",
    "个人业绩考核",
    "重视长期合作",
    "关注员工福利（代发工资）",
    "希望获得专属服务",
]

HOLDING_FIELDS = ("client_id", "product_id", "balance", "account_no", "opened_on")
SNAPSHOT_FIELDS = ("client_id", "as_of", "amount")
TAG_FIELDS = ("client_id", "tag_id")
CONTACT_FIELDS = (
    "client_id",
    "name",
    "role",
    "is_decision_maker",
    "influence",
    "stance",
    "vested_interests",
    "mobile",
    "last_contact_on",
)
RATING_FIELDS = ("client_id", "rated_on", "rater_id", "scores", "items", "total", "rating_class")


@dataclass
class ValueBatch:
    holdings: list[tuple] = field(default_factory=list)
    snapshots: list[tuple] = field(default_factory=list)
    tags: list[tuple] = field(default_factory=list)
    contacts: list[tuple] = field(default_factory=list)
    ratings: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class Figures:
    """What the client row itself records of its values (the services keep these columns)."""

    aum: Decimal = Decimal("0.00")
    aum_as_of: date | None = None
    is_big_account: bool = False
    contacts: int = 0
    decision_makers: int = 0
    credit_rating: str = ""
    credit_rated_on: date | None = None
    tags: int = 0
    holdings: int = 0


@dataclass(frozen=True)
class Catalogue:
    """The reference data the generator draws from, read once."""

    products: list[tuple[int, str, bool]]  # (id, product line code, counts to AUM)
    rating_items: list[dict]  # as credit_rating_record stores them: code, name, name_en, max
    tag_ids: dict[str, int]


def month_ends(today: date, months: int) -> list[date]:
    """The last days of the `months` full months before today's, oldest first."""
    ends, end = [], today.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        ends.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    return ends[::-1]


def _cents(amount: float) -> Decimal:
    return Decimal(round(amount * 100)).scaleb(-2)


class ValueRows:
    def __init__(
        self, *, rng: random.Random, today: date, catalogue: Catalogue, rating_class, history_share=1.0
    ):
        self.rng, self.today, self.catalogue = rng, today, catalogue
        self.rating_class = rating_class  # total -> class code (the service's rule, memoised by the caller)
        self.history_share = history_share
        self.ends = month_ends(today, HISTORY_MONTHS)

    def add(self, client: dict, batch: ValueBatch) -> Figures:
        """Add the client's value rows to `batch`; returns what its own row records of them."""
        pk, owner_id, onboarded_on = client["id"], client["owner_id"], client["onboarded_on"]
        corporate = client["kind"] == "corporate"
        figures: dict = {}
        aum = None
        if client["lifecycle"] == "won" and self.catalogue.products:
            held_before = len(batch.holdings)
            aum = self._holdings(pk, corporate, onboarded_on, batch)
            figures["holdings"] = len(batch.holdings) - held_before
            figures["aum"], figures["aum_as_of"] = aum, self._history(pk, aum, onboarded_on, batch)
        big = corporate and aum is not None and aum >= BIG_ACCOUNT_AUM and self.rng.random() < 0.85
        figures["is_big_account"] = big
        if corporate:
            contacts = self._contacts(pk, big, batch)
            figures["contacts"] = len(contacts)
            figures["decision_makers"] = sum(1 for contact in contacts if contact[3])
        figures["tags"] = self._tags(pk, client, aum, batch)
        if self.catalogue.rating_items and self.rng.random() < (0.5 if corporate else 0.05):
            latest = dict(zip(RATING_FIELDS, self._ratings(pk, owner_id, batch), strict=True))
            figures["credit_rating"], figures["credit_rated_on"] = latest["rating_class"], latest["rated_on"]
        return Figures(**figures)

    def _holdings(self, pk, corporate, onboarded_on, batch) -> Decimal:
        rng = self.rng
        count = rng.choices([2, 3, 4, 5] if corporate else [1, 2, 3, 4], weights=[35, 35, 20, 10])[0]
        aum = Decimal("0.00")
        opened_span = max((self.today - onboarded_on).days, 0) if onboarded_on else 365
        for product_id, line, counts in rng.sample(
            self.catalogue.products, min(count, len(self.catalogue.products))
        ):
            balance = _cents(rng.lognormvariate(13.0, 1.4) if corporate else rng.lognormvariate(10.8, 1.3))
            account_no = ""
            if line in NUMBERED_LINES:
                # UnionPay numbers: 16 (credit cards) to 19 digits, the last a Luhn check digit.
                length = rng.choice([16, 19]) if line == "card" else rng.randint(16, 19)
                body = "62" + f"{rng.randrange(10 ** (length - 3)):0{length - 3}d}"
                account_no = body + luhn.calc_check_digit(body)
            opened = self.today - timedelta(days=rng.randint(0, opened_span))
            batch.holdings.append((pk, product_id, balance, account_no, opened))
            if counts:
                aum += balance
        return aum

    def _history(self, pk, aum: Decimal, onboarded_on, batch) -> date:
        """Month-end AUM, a random walk backwards from today's holdings; some months missing."""
        rng = self.rng
        ends = [end for end in self.ends if onboarded_on is None or end >= onboarded_on] or self.ends[-1:]
        if rng.random() >= self.history_share:
            ends = ends[-1:]
        amounts, amount = [], float(aum)
        for _end in ends:
            amounts.append(_cents(amount) if amounts else aum)
            amount = amount / max(1 + rng.gauss(0.008, 0.05), 0.5)
        amounts.reverse()
        rows = list(zip(ends, amounts, strict=True))
        if len(rows) > 3 and rng.random() < 0.1:  # a few months the import did not deliver
            for gap in rng.sample(range(len(rows) - 1), rng.randint(1, 3)):
                rows[gap] = None
        batch.snapshots.extend((pk, as_of, value) for as_of, value in filter(None, rows))
        return ends[-1]

    def _contacts(self, pk, big: bool, batch) -> list[tuple]:
        rng = self.rng
        if big:
            # Most big accounts have a full stakeholder map; some are short of people or of a decision maker.
            shape = rng.choices(["full", "few", "no-decider"], weights=[75, 13, 12])[0]
            count = {"full": rng.randint(3, 5), "few": rng.randint(1, 2), "no-decider": rng.randint(3, 4)}[
                shape
            ]
            deciders = 0 if shape == "no-decider" else 1
        elif rng.random() < 0.55:
            count, deciders = rng.randint(1, 3), int(rng.random() < 0.5)
        else:
            return []
        roles = rng.sample(DECISION_ROLES, deciders) + rng.sample(OTHER_ROLES, count - deciders)
        contacts = []
        for index, role in enumerate(roles):
            decides = index < deciders
            contacts.append(
                (
                    pk,
                    person_name(rng),
                    role,
                    decides,
                    "high" if decides else rng.choices(["high", "medium", "low"], weights=[2, 5, 3])[0],
                    rng.choices(["supportive", "neutral", "opposed"], weights=[5, 4, 1])[0],
                    rng.choice(INTERESTS) if rng.random() < 0.7 else "",
                    mobile(rng) if rng.random() < 0.9 else "",
                    self.today - timedelta(days=rng.randint(1, 200)) if rng.random() < 0.85 else None,
                )
            )
        batch.contacts.extend(contacts)
        return contacts

    def _tags(self, pk, client: dict, aum, batch) -> int:
        rng = self.rng
        if rng.random() >= 0.32:
            return 0
        if client["kind"] == "corporate":
            eligible = ["代发工资", "专精特新"]
        else:
            birth_date = client["birth_date"]
            age = (self.today - birth_date).days // 365 if birth_date else 40
            eligible = [
                name
                for name, applies in (
                    ("代发工资", client["lifecycle"] == "won"),
                    ("高净值", aum is not None and aum >= 1_000_000),
                    ("小微企业主", client["occupation"] in ("个体经营", "企业管理")),
                    ("养老客群", age >= 55),
                    ("新市民", age < 35),
                )
                if applies
            ]
        eligible = [name for name in eligible if name in self.catalogue.tag_ids]
        chosen = rng.sample(eligible, min(len(eligible), rng.choice([1, 1, 1, 2])))
        batch.tags.extend((pk, self.catalogue.tag_ids[name]) for name in chosen)
        return len(chosen)

    def _ratings(self, pk, owner_id, batch) -> tuple:
        """One rating, a quarter of the clients a year-older one too; returns the latest."""
        rng, items = self.rng, self.catalogue.rating_items
        quality = rng.uniform(0.45, 0.97)
        rated_on = self.today - timedelta(days=rng.randint(5, 330))
        dates = [rated_on]
        if rng.random() < 0.25:  # rated a year before as well
            dates.append(rated_on - timedelta(days=365 + rng.randint(0, 60)))
        for on in dates:
            scores = {
                item["code"]: min(item["max"], max(0, round(item["max"] * rng.gauss(quality, 0.1))))
                for item in items
            }
            total = sum(scores.values())
            batch.ratings.append((pk, on, owner_id, scores, items, total, self.rating_class(total)))
            quality = min(quality + rng.uniform(-0.1, 0.1), 1.0)
        return batch.ratings[-len(dates)]
