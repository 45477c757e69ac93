import itertools
from datetime import date, timedelta

from stdnum.cn import ric

from amdesk.clients.services import client_create

_serial = itertools.count(1)


def resident_id(birth: date = date(1985, 6, 15), area: str = "330106") -> str:
    body = f"{area}{birth:%Y%m%d}{next(_serial) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def make_client(owner, name: str = "张三", **data):
    serial = next(_serial)
    data.setdefault("mobile", f"139{serial:08d}")
    data.setdefault("id_number", resident_id(date(1970, 1, 1) + timedelta(days=serial * 37)))
    return client_create(actor=owner, owner=owner, data={"name": name, **data})
