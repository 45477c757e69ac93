"""Rows of the people tests (DISC, training, team selling, staffing), made by the tests themselves."""

from decimal import Decimal

from amdesk.appraisal.models import DiscModel, SellingShareDefault, StaffingRatio
from amdesk.appraisal.services.disc import disc_profile_save
from amdesk.orgs.models import Role
from tests.orgs.factories import StaffFactory


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def disc_model(name="银行客户经理A", d=32, i=72, s=46, c=57) -> DiscModel:
    return DiscModel.objects.create(role=role("account_manager"), name=name, d=d, i=i, s=s, c=c)


def scores(d, i, s, c) -> dict:
    return {"D": d, "I": i, "S": s, "C": c}


def profile(actor, *, staff=None, candidate="", inner=(50, 50, 50, 50), outer=(50, 50, 50, 50)):
    return disc_profile_save(
        actor=actor, staff=staff, candidate_name=candidate, inner=scores(*inner), outer=scores(*outer)
    )


def share_defaults(**shares) -> None:
    """e.g. share_defaults(account_manager=60, product_manager=20, risk_manager=20)."""
    for code, share in shares.items():
        SellingShareDefault.objects.update_or_create(
            role=role(code), defaults={"share_percent": Decimal(share)}
        )


def staffing_ratio(code="product_manager", per="account_manager", count=3) -> StaffingRatio:
    found, _ = StaffingRatio.objects.update_or_create(
        role=role(code), per_role=role(per), defaults={"per_count": count}
    )
    return found


def person(node, code, name, **extra):
    return StaffFactory(full_name=name, org_node=node, roles=[code], **extra)
