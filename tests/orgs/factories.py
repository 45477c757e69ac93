"""Factories that go through the org services, so paths, roles and audit stay consistent."""

import itertools

import factory

from amdesk.orgs.models import OrgNode, Role, Staff
from amdesk.orgs.services import org_node_create, staff_create

PASSWORD = "Amdesk-Test-2026"
_numbers = itertools.count(50001)


class OrgNodeFactory(factory.Factory):
    class Meta:
        model = OrgNode

    name = factory.Sequence(lambda n: f"机构{n}")
    code = factory.Sequence(lambda n: f"N{n:04d}")
    parent = None
    leader = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return org_node_create(actor=None, **kwargs)


class StaffFactory(factory.Factory):
    """A staff member; `roles` are role codes (the bank preset must be applied)."""

    class Meta:
        model = Staff

    username = factory.Sequence(lambda n: f"user{n:03d}")
    employee_no = factory.LazyFunction(lambda: str(next(_numbers)))
    full_name = factory.Faker("name", locale="zh_CN")
    phone = factory.Sequence(lambda n: f"1380000{n:04d}")
    org_node = None
    roles = ("account_manager",)
    password = PASSWORD
    supervisor = None
    hire_date = None

    @classmethod
    def _create(cls, model_class, roles=(), **kwargs):
        return staff_create(actor=None, roles=list(Role.objects.filter(code__in=roles)), **kwargs)
