"""Demo clients: realistic names, valid ID numbers and mobiles, spread over the account managers.

Written in batches with bulk inserts (a million clients take minutes, not hours); the owner
history and search keys are written alongside, as the client services would.
"""

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from amdesk.clients.models import Client, ClientOwnership, ClientSearchKey, VipLevel
from amdesk.clients.search import keys_for
from amdesk.orgs.models import Staff

from .names import mobile, person_name

BATCH = 2000
AREAS = ["330102", "330105", "330106", "330108", "330110", "330122", "110105", "310104", "320102", "440305"]
OCCUPATIONS = ["教师", "医生", "工程师", "个体经营", "公务员", "企业管理", "退休", "销售", "会计", "律师"]
COMPANY_WORDS = ["科技", "贸易", "制造", "物流", "餐饮", "建材", "纺织", "电子", "食品", "医药"]
COMPANY_SUFFIX = ["有限公司", "股份有限公司", "有限责任公司"]
CITY = ["杭州", "宁波", "温州", "绍兴", "嘉兴", "湖州"]
STREETS = ["文三路", "天目山路", "延安路", "解放路", "江南大道", "滨盛路", "庆春路", "莫干山路"]


def _resident_id(rng: random.Random, today: date) -> tuple[str, date, str]:
    birth = today - timedelta(days=rng.randint(20 * 365, 75 * 365))
    sequence = rng.randrange(1000)
    body = f"{rng.choice(AREAS)}{birth:%Y%m%d}{sequence:03d}"
    gender = "male" if sequence % 2 else "female"
    return body + ric.calc_check_digit(body + "0"), birth, gender


def build_clients(
    *, rng: random.Random, count: int, today: date, progress: Callable[[int], None] = lambda done: None
) -> int:
    managers = list(
        Staff.objects.filter(roles__code="account_manager", status=Staff.Status.ACTIVE).order_by("id")
    )
    vip_levels = list(VipLevel.objects.filter(is_active=True))
    seen_ids: set[str] = set()
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        with transaction.atomic():
            made += _batch(rng, size, today, managers, vip_levels, seen_ids)
        progress(made)
    return made


def _batch(rng, size, today, managers, vip_levels, seen_ids) -> int:
    now = timezone.now()
    clients = []
    for _ in range(size):
        owner = rng.choice(managers)
        corporate = rng.random() < 0.15
        lifecycle = rng.choices(["prospect", "won", "influencer", "lost"], weights=[25, 60, 5, 10])[0]
        client = Client(
            kind="corporate" if corporate else "individual",
            owner=owner,
            org_node_id=owner.org_node_id,
            lifecycle=lifecycle,
            tier="key" if rng.random() < 0.2 else "ordinary",
            grade=rng.randint(1, 5),
            vip_level=rng.choice(vip_levels) if vip_levels and rng.random() < 0.3 else None,
            source=rng.choice(["网点营销", "转介绍", "电话营销", "社区活动", "存量客户"]),
            onboarded_on=today - timedelta(days=rng.randint(30, 3650)) if lifecycle != "prospect" else None,
            created_at=now,
            updated_at=now,
        )
        if corporate:
            trade_name = person_name(rng)[1:] + rng.choice(COMPANY_WORDS)
            client.name = f"{rng.choice(CITY)}{trade_name}{rng.choice(COMPANY_SUFFIX)}"
            client.legal_representative = person_name(rng)
            client.industry = rng.choice(COMPANY_WORDS)
        else:
            client.name = person_name(rng)
            number, birth, gender = _resident_id(rng, today)
            if number in seen_ids:
                continue
            seen_ids.add(number)
            client.id_number, client.birth_date, client.gender = number, birth, gender
            client.occupation = rng.choice(OCCUPATIONS)
            client.birthday_kind = "lunar" if rng.random() < 0.2 else "solar"
        # Some archives are left incomplete on purpose: no mobile, no address.
        if rng.random() < 0.85:
            client.mobile = mobile(rng)
        if rng.random() < 0.8:
            client.address = f"{rng.choice(CITY)}市{rng.choice(STREETS)}{rng.randint(1, 999)}号"
        clients.append(client)
    Client.objects.bulk_create(clients, batch_size=1000)
    ClientOwnership.objects.bulk_create(
        (ClientOwnership(client=c, owner_id=c.owner_id, started_at=now, reason="演示数据") for c in clients),
        batch_size=1000,
    )
    ClientSearchKey.objects.bulk_create(
        (
            ClientSearchKey(client=c, key=key)
            for c in clients
            for key in keys_for(
                name=c.name, mobile=c.mobile, id_number=c.id_number, credit_code=c.credit_code
            )
        ),
        batch_size=5000,
    )
    return len(clients)
