import itertools
from datetime import date, timedelta
from decimal import Decimal

from stdnum.cn import ric

from amdesk.clients.models import ClientGrade, ClientTier, Product
from amdesk.clients.services import client_create, contact_save, holding_set

_serial = itertools.count(1)


def resident_id(birth: date = date(1985, 6, 15), area: str = "330106") -> str:
    body = f"{area}{birth:%Y%m%d}{next(_serial) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def tier(code: str) -> ClientTier:
    """A tier of the bank preset by code: key, ordinary."""
    return ClientTier.objects.get(code=code)


def grade(code) -> ClientGrade:
    """A grade of the bank preset by code: 1 … 5."""
    return ClientGrade.objects.get(code=str(code))


def by_code(data: dict) -> dict:
    """Tiers and grades given as codes (tier="key", grade=3) turned into the preset's rows."""
    data = dict(data)
    if isinstance(data.get("tier"), str):
        data["tier"] = tier(data["tier"])
    if isinstance(data.get("grade"), int | str):
        data["grade"] = grade(data["grade"])
    return data


def make_client(owner, name: str = "张三", **data):
    data = by_code(data)
    serial = next(_serial)
    data.setdefault("mobile", f"139{serial:08d}")
    # Birth dates cycle through 40 years, so a long test run never reaches a future one.
    data.setdefault("id_number", resident_id(date(1970, 1, 1) + timedelta(days=serial * 37 % 14600)))
    return client_create(actor=owner, owner=owner, data={"name": name, **data})


def make_corporate(owner, name: str = "杭州某某科技有限公司", **data):
    """A corporate client: no resident ID, a mobile of the contact desk."""
    data = by_code(data)
    serial = next(_serial)
    data.setdefault("mobile", f"137{serial:08d}")
    return client_create(actor=owner, owner=owner, data={"name": name, "kind": "corporate", **data})


def make_contact(client, actor=None, name: str = "联系人", **data):
    data.setdefault("role", "财务总监")
    return contact_save(actor=actor or client.owner, client=client, data={"name": name, **data})


def product(code: str) -> Product:
    """A product of the bank preset's catalogue (demand-deposit, mortgage, wealth-fixed…)."""
    return Product.objects.get(code=code)


def set_holding(client, code: str, balance, actor=None, **extra):
    return holding_set(
        actor=actor or client.owner,
        client=client,
        product=product(code),
        balance=Decimal(str(balance)),
        **extra,
    )
