"""Appraisal demo data: the industry's demo scheme (criteria, indicators, AHP judgments) activated by
the appraisal admin, two approved months with ladder proposals (some decided, the latest waiting),
the month just ended computed and waiting for the supervisors' sign-off, manual values entered,
training sessions with attendance, selling teams on a few key clients and a DISC comparison of
three candidates. Everything goes through the services, as hr1 and the supervisors would."""

import random
from datetime import date, timedelta
from decimal import Decimal

from amdesk.appraisal.ahp import MAX_ORDER
from amdesk.appraisal.models import (
    DiscModel,
    Indicator,
    LadderProposal,
    ManualValue,
    PeriodKind,
    SchemeIndicator,
)
from amdesk.appraisal.presets import load_demo_scheme
from amdesk.appraisal.services.disc import disc_profile_save
from amdesk.appraisal.services.ladder import ladder_decide
from amdesk.appraisal.services.periods import period_approve, team_sign_off, teams_to_sign
from amdesk.appraisal.services.runs import period_open, period_run
from amdesk.appraisal.services.schemes import (
    criterion_add,
    matrix_set,
    scheme_create,
    scheme_indicator_add,
    scheme_version_activate,
)
from amdesk.appraisal.services.selling import selling_team_set
from amdesk.appraisal.services.training import attendance_record, training_session_save
from amdesk.clients.models import Client
from amdesk.orgs.models import OrgNode, Role, Staff


def _month_start(day: date, back: int) -> date:
    month = day.month - 1 - back
    return date(day.year + month // 12, month % 12 + 1, 1)


def _generic_scheme() -> dict:
    """For a preset without a demo scheme: one criterion per dimension of the computed, non-optional
    indicators, all judged equal."""
    groups: dict[str, list] = {}
    for indicator in (
        Indicator.objects.filter(is_active=True, optional=False)
        .exclude(source=Indicator.MANUAL)
        .select_related("dimension")
    ):
        groups.setdefault(indicator.dimension.name, []).append([indicator.code])
    criteria = [
        {
            "name": name,
            "indicators": items[:MAX_ORDER],
            "judgments": [[1] * (len(items[:MAX_ORDER]) - 1 - i) for i in range(len(items[:MAX_ORDER]))],
        }
        for name, items in list(groups.items())[:MAX_ORDER]
    ]
    n = len(criteria)
    return {
        "code": "demo-monthly",
        "name": "客户经理月度考核",
        "period": "month",
        "roles": ["account_manager"],
        "criteria": criteria,
        "judgments": [[1] * (n - 1 - i) for i in range(n)],
    }


def build_scheme(*, hr, spec: dict):
    roles = list(Role.objects.filter(code__in=spec["roles"]))
    scheme = scheme_create(
        actor=hr,
        code=spec["code"],
        name=spec["name"],
        period_kind=spec.get("period", PeriodKind.MONTH),
        roles=roles,
        description=spec.get("description", ""),
    )
    version = scheme.versions.get()
    indicators = {item.code: item for item in Indicator.objects.all()}
    for criterion_spec in spec["criteria"]:
        criterion = criterion_add(actor=hr, version=version, name=criterion_spec["name"])
        for code, *points in criterion_spec["indicators"]:
            given = {}
            if points:
                mode, low, high = points
                given = {"point_mode": mode, "low": Decimal(str(low)), "high": Decimal(str(high))}
            else:
                given = {"point_mode": SchemeIndicator.PointMode.PERCENTILE}
            scheme_indicator_add(actor=hr, criterion=criterion, indicator=indicators[code], points=given)
        matrix_set(actor=hr, version=version, criterion=criterion, upper=criterion_spec["judgments"])
    matrix_set(actor=hr, version=version, upper=spec["judgments"])
    scheme_version_activate(actor=hr, version=version)
    return scheme


def _manual_values(*, rng: random.Random, hr, scheme, period, people) -> None:
    """What the system cannot know (e.g. simulated profit), entered by hr1 for the period."""
    manual = Indicator.objects.filter(
        source=Indicator.MANUAL,
        pk__in=SchemeIndicator.objects.filter(criterion__version__scheme=scheme).values("indicator"),
    )
    ManualValue.objects.bulk_create(
        ManualValue(
            indicator=indicator,
            staff=person,
            period_start=period.start,
            period_end=period.end,
            value=Decimal(rng.randint(20, 160)) / 2,
            entered_by=hr,
        )
        for indicator in manual
        for person in people
    )


def _sign_off_all(period, note: str = "") -> None:
    for team in teams_to_sign(period):
        leader = (
            team.leader
            or OrgNode.objects.filter(path__lt=team.path, leader__isnull=False)
            .order_by("-path")
            .first()
            .leader
        )
        team_sign_off(actor=leader, period=period, org_node=team, comment=note)


def build_appraisal(*, rng: random.Random, today: date, industry: str, account_managers: list) -> None:
    hr = Staff.objects.get(username="hr1")
    spec = load_demo_scheme(industry) or _generic_scheme()
    scheme = build_scheme(hr=hr, spec=spec)
    # Two approved months, then the month just ended computed and waiting for sign-off.
    starts = [_month_start(today, back) for back in (3, 2, 1)]
    periods = []
    for number, start in enumerate(starts):
        period = period_open(actor=hr, scheme=scheme, start=start)
        _manual_values(rng=rng, hr=hr, scheme=scheme, period=period, people=account_managers)
        period = period_run(actor=hr, period=period)
        if number < 2:
            _sign_off_all(period, "已核对本团队考核结果。")
            period = period_approve(actor=hr, period=period)
        periods.append(period)
    # The first month's moves are decided; the second month's wait for hr1.
    for proposal in LadderProposal.objects.filter(period=periods[0], state=LadderProposal.State.PENDING):
        ladder_decide(actor=hr, proposal=proposal, approve=True, reason="连续考核结果符合规则，同意调整。")
    # One team of the open month has handed its sheet in, the others are still due.
    open_teams = teams_to_sign(periods[2])
    if open_teams:
        leader = open_teams[0].leader
        if leader is not None:
            team_sign_off(actor=leader, period=periods[2], org_node=open_teams[0], comment="")
    build_training(rng=rng, today=today, hr=hr, account_managers=account_managers)
    build_selling_teams(account_managers=account_managers)
    build_disc(rng=rng, today=today, hr=hr, account_managers=account_managers)


def build_training(*, rng: random.Random, today: date, hr, account_managers: list) -> None:
    """Monthly sessions for each team over the last three months (one team misses this month's)."""
    topics = [
        "理财产品知识与销售技巧",
        "客户投诉处理与服务礼仪",
        "反洗钱与合规要点",
        "客户关系维护与拜访技巧",
    ]
    teams = sorted({person.org_node for person in account_managers}, key=lambda node: node.path)
    for back in (2, 1, 0):
        month = _month_start(today, back)
        for number, team in enumerate(teams):
            if back == 0 and number == len(teams) - 1:
                continue
            held_on = month + timedelta(days=min(6 + number * 3, 27))
            if held_on > today:
                held_on = month
            session = training_session_save(
                actor=hr,
                topic=topics[(back + number) % len(topics)],
                held_on=held_on,
                hours=Decimal("2.5") if (back + number) % 3 else Decimal("1.5"),
                trainer=rng.choice(["王培训", "李讲师", "总行零售部"]),
                org_node=team,
                credits=Decimal(2),
            )
            people = [person.pk for person in account_managers if person.org_node_id == team.pk]
            attendance_record(
                actor=hr, session=session, attended_ids=[pk for pk in people if rng.random() < 0.85]
            )


def build_selling_teams(*, account_managers: list) -> None:
    """Core clients of the first AM served with the product manager (and the risk manager)."""
    first = account_managers[0]
    product_manager = Staff.objects.filter(roles__code="product_manager").first()
    risk_manager = Staff.objects.filter(roles__code="risk_manager").first()
    if product_manager is None:
        return
    roles = {
        role.code: role
        for role in Role.objects.filter(code__in=["account_manager", "product_manager", "risk_manager"])
    }
    clients = Client.objects.filter(owner=first, tier__is_key=True, lifecycle=Client.Lifecycle.WON).order_by(
        "pk"
    )[:3]
    for client in clients:
        members = [(first, roles["account_manager"], None), (product_manager, roles["product_manager"], None)]
        if risk_manager is not None:
            members.append((risk_manager, roles["risk_manager"], None))
        selling_team_set(actor=first, client=client, members=members)


def build_disc(*, rng: random.Random, today: date, hr, account_managers: list) -> None:
    """Three candidates against the AM job model: two staff members and an applicant."""
    if not DiscModel.objects.filter(is_active=True).exists():
        return
    people = [account_managers[1], account_managers[5], None]
    styles = [
        ({"D": 35, "I": 70, "S": 45, "C": 55}, {"D": 30, "I": 74, "S": 48, "C": 58}),
        ({"D": 62, "I": 40, "S": 30, "C": 70}, {"D": 55, "I": 52, "S": 38, "C": 64}),
        ({"D": 45, "I": 60, "S": 55, "C": 40}, {"D": 40, "I": 66, "S": 50, "C": 48}),
    ]
    for person, (inner, outer) in zip(people, styles, strict=True):
        disc_profile_save(
            actor=hr,
            staff=person,
            candidate_name="" if person else "赵应聘",
            assessed_on=today - timedelta(days=rng.randint(10, 60)),
            inner=inner,
            outer=outer,
        )
