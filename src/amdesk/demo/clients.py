"""Demo clients: realistic names, valid ID numbers, credit codes and mobiles, spread over the AMs.

Rows are generated as tuples with ids the demo reserves, and written with the fastest writer
the database offers (see rows.py): a million clients, their owner history, search keys and
values (values.py) take minutes, not hours. The search keys are exactly what `keys_for` gives
for the client; the name's part is memoised (names repeat) and, on big loads, worked out by a
second process while the batch is written (name_keys.py).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from stdnum.cn import ric, uscc

from amdesk.clients.models import Client, ClientGrade, ClientOwnership, ClientSearchKey, ClientTier, VipLevel
from amdesk.clients.search import keys_for
from amdesk.core.rows import RowWriter
from amdesk.orgs.models import Staff

from .name_keys import PARALLEL_FROM, NameKeys
from .names import mobile, person_name

BATCH = 10_000
AREAS = ["330102", "330105", "330106", "330108", "330110", "330122", "110105", "310104", "320102", "440305"]
OCCUPATIONS = ["教师", "医生", "工程师", "个体经营", "公务员", "企业管理", "退休", "销售", "会计", "律师"]
COMPANY_WORDS = ["科技", "贸易", "制造", "物流", "餐饮", "建材", "纺织", "电子", "食品", "医药"]
COMPANY_SUFFIX = ["有限公司", "股份有限公司", "有限责任公司"]
COMPANY_SIZES = ["微型", "小型", "中型", "大型"]
CITY = ["杭州", "宁波", "温州", "绍兴", "嘉兴", "湖州"]
STREETS = ["文三路", "天目山路", "延安路", "解放路", "江南大道", "滨盛路", "庆春路", "莫干山路"]
SOURCES = ["网点营销", "转介绍", "电话营销", "社区活动", "存量客户"]
_CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"

CLIENT_FIELDS = (
    "id",
    "kind",
    "name",
    "id_number",
    "gender",
    "birth_date",
    "birthday_kind",
    "mobile",
    "address",
    "occupation",
    "credit_code",
    "industry",
    "size",
    "legal_representative",
    "owner_id",
    "org_node_id",
    "lifecycle",
    "tier_id",
    "grade_id",
    "vip_level_id",
    "source",
    "onboarded_on",
    "created_at",
    "updated_at",
)
AT = {name: index for index, name in enumerate(CLIENT_FIELDS)}
OWNERSHIP_FIELDS = ("client_id", "owner_id", "how", "started_at", "reason")
KEY_FIELDS = ("client_id", "key")


@dataclass(frozen=True)
class ClientRange:
    """The ids the demo gave its clients: `first` up to, not including, `stop`."""

    first: int
    stop: int


def _resident_id(rng: random.Random, today: date) -> tuple[str, date, str]:
    birth = today - timedelta(days=rng.randint(20 * 365, 75 * 365))
    sequence = rng.randrange(1000)
    body = f"{rng.choice(AREAS)}{birth:%Y%m%d}{sequence:03d}"
    gender = "male" if sequence % 2 else "female"
    return body + ric.calc_check_digit(body + "0"), birth, gender


def _credit_code(rng: random.Random) -> str:
    # 9 = registered by market regulation, 1 = enterprise; the area, then the organisation code.
    body = "91" + rng.choice(AREAS) + "".join(rng.choice(_CREDIT_CODE_CHARS) for _ in range(9))
    return body + uscc.calc_check_digit(body)


class ClientRows:
    """Generates client tuples (CLIENT_FIELDS) and the search keys and ownership that go with them."""

    def __init__(
        self, *, rng: random.Random, today: date, managers: list, vip_levels: list, tiers: list, grades: list
    ):
        self.rng, self.today = rng, today
        self.owners = [(manager.pk, manager.org_node_id) for manager in managers]
        self.vip_ids = [level.pk for level in vip_levels]
        # The preset's tiers (highest first) and grades (lowest rank first), as ids: a fifth of the
        # clients in the first key tier, the rest in the lowest tier; grades spread evenly.
        key = [tier.pk for tier in tiers if tier.is_key]
        self.key_tier = key[0] if key else tiers[0].pk
        self.other_tier = tiers[-1].pk
        self.grade_ids = [grade.pk for grade in grades]
        self.seen: set[str] = set()  # ID numbers and credit codes are unique

    def client(self, pk: int, now) -> tuple | None:
        rng = self.rng
        owner_id, node_id = rng.choice(self.owners)
        corporate = rng.random() < 0.15
        lifecycle = rng.choices(["prospect", "won", "influencer", "lost"], weights=[25, 60, 5, 10])[0]
        tier = self.key_tier if rng.random() < 0.2 else self.other_tier
        grade = self.grade_ids[(rng.randint(1, 5) - 1) % len(self.grade_ids)] if self.grade_ids else None
        vip_id = rng.choice(self.vip_ids) if self.vip_ids and rng.random() < 0.3 else None
        source = rng.choice(SOURCES)
        onboarded = self.today - timedelta(days=rng.randint(30, 3650)) if lifecycle != "prospect" else None
        id_number = gender = occupation = credit_code = industry = size = legal = ""
        birth, birthday_kind = None, "solar"
        if corporate:
            trade_name = person_name(rng)[1:] + rng.choice(COMPANY_WORDS)
            name = f"{rng.choice(CITY)}{trade_name}{rng.choice(COMPANY_SUFFIX)}"
            legal = person_name(rng)
            industry = rng.choice(COMPANY_WORDS)
            size = rng.choice(COMPANY_SIZES) if rng.random() < 0.7 else ""
            # Most corporates have their credit code on file; prospects often not yet.
            if rng.random() < (0.5 if lifecycle == "prospect" else 0.9):
                credit_code = _credit_code(rng)
                if credit_code in self.seen:
                    return None
        else:
            name = person_name(rng)
            id_number, birth, gender = _resident_id(rng, self.today)
            if id_number in self.seen:
                return None
            occupation = rng.choice(OCCUPATIONS)
            birthday_kind = "lunar" if rng.random() < 0.2 else "solar"
        self.seen.update(number for number in (id_number, credit_code) if number)
        # Some archives are left incomplete on purpose: no mobile, no address.
        phone = mobile(rng) if rng.random() < 0.85 else ""
        address = (
            f"{rng.choice(CITY)}市{rng.choice(STREETS)}{rng.randint(1, 999)}号" if rng.random() < 0.8 else ""
        )
        return (
            pk,
            "corporate" if corporate else "individual",
            name,
            id_number,
            gender,
            birth,
            birthday_kind,
            phone,
            address,
            occupation,
            credit_code,
            industry,
            size,
            legal,
            owner_id,
            node_id,
            lifecycle,
            tier,
            grade,
            vip_id,
            source,
            onboarded,
            now,
            now,
        )

    @staticmethod
    def keys(row: tuple, name_keys: NameKeys):
        """The client's search keys: keys_for's parts are independent, so the name's come memoised."""
        pk = row[AT["id"]]
        for key in name_keys[row[AT["name"]]]:
            yield pk, key
        numbers = {field: row[AT[field]] for field in ("mobile", "id_number", "credit_code")}
        for key in keys_for(name="", **numbers):
            yield pk, key


def build_clients(
    *,
    rng: random.Random,
    count: int,
    today: date,
    writer: RowWriter | None = None,
    values=None,
    progress: Callable[[int], None] = lambda done: None,
) -> ClientRange:
    """`count` clients with their owner history and search keys.

    With `values` (a values.ClientValues), also their value rows, and on each client row the
    figures of those (AUM, rating, completeness…): every row is written once, complete.
    """
    writer = writer or RowWriter()
    managers = list(
        Staff.objects.filter(roles__code="account_manager", status=Staff.Status.ACTIVE).order_by("id")
    )
    vip_levels = list(VipLevel.objects.filter(is_active=True))
    generator = ClientRows(
        rng=rng,
        today=today,
        managers=managers,
        vip_levels=vip_levels,
        tiers=list(ClientTier.objects.filter(is_active=True).order_by("order", "code")),
        grades=list(ClientGrade.objects.filter(is_active=True).order_by("rank", "order")),
    )
    fields = CLIENT_FIELDS + (values.fields if values else ())
    first = writer.reserve_ids(Client, count)
    stop = first + count
    next_id = first
    tables = (Client, ClientOwnership, ClientSearchKey, *(values.models if values else ()))
    with writer.bulk_load(*tables), NameKeys(parallel=count >= PARALLEL_FROM) as name_keys:
        while next_id < stop:
            now = timezone.now()
            clients = []
            while next_id < stop and len(clients) < BATCH:
                row = generator.client(next_id, now)
                if row is None:  # a duplicate ID number or credit code: draw again
                    continue
                if values:
                    row += values.figures(dict(zip(CLIENT_FIELDS, row, strict=True)))
                clients.append(row)
                next_id += 1
            # The names' keys are worked out (maybe by the worker) while the rows are written.
            pending = name_keys.start(row[AT["name"]] for row in clients)
            writer.write(Client, fields, clients)
            writer.write(
                ClientOwnership,
                OWNERSHIP_FIELDS,
                ((row[AT["id"]], row[AT["owner_id"]], "created", now, "演示数据") for row in clients),
            )
            if values:
                values.write(writer)
            name_keys.finish(pending)
            writer.write(
                ClientSearchKey,
                KEY_FIELDS,
                (key for row in clients for key in generator.keys(row, name_keys)),
            )
            progress(next_id - first)
    writer.finish(Client)
    return ClientRange(first, stop)
