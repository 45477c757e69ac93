"""Demo visits: where clients are, six months of visits per account manager, what the visits raised,
this week's and next week's schedules, and post-loan inspections.

The history is simulated one working day at a time: each AM first keeps his appointments (post-loan
inspections, follow-ups he promised), then visits the clients most overdue by the frequency norms,
key clients before the others, as many as his pace and the working day (9:00–17:30) allow. So a
small portfolio follows the norms closely and a large one falls behind the way a real one does,
and the number of visits stays bounded (AMs × days × a handful) whatever the number of clients.
Diligent, steady and lax AMs differ in how many visits they make, how long they let a client wait,
how often the client signs and how many promised visits they keep; a few key clients of each AM
were left unvisited these last weeks, so they show as overdue today.

History rows are written in bulk (see rows.py) exactly as the services would record them: the
client's owner visits under the client's org node, a finding per thing seen, a signature or the
reason there is none, the position of an on-site visit near the client's place; each past week had
its schedule, submitted and reviewed, most visits fulfilling an entry and a few entries not kept
(the plan completion on the team page). This week and the
next go through the services: the system proposes each AM's week, the AM spreads it and adds the
weekend appointments, submits it, his supervisor reviews most; the visits already made this week
fulfil their schedule entries, post-loan inspections due are recorded with their reports.
"""

import heapq
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from amdesk.clients.models import Client, ClientOwnership, ClientTier, Holding, ProductLine
from amdesk.core.rows import RowWriter
from amdesk.orgs.models import Staff
from amdesk.visits import services
from amdesk.visits.models import (
    AnomalyKind,
    ChecklistItem,
    ClientLocation,
    FindingOutcome,
    LoanInspection,
    ScheduleEntry,
    Visit,
    VisitFinding,
    VisitNorm,
    VisitSchedule,
    VisitSettings,
)
from amdesk.visits.services.inspections import REPORT_FIELDS

from .clients import ClientRange
from .names import person_name

HISTORY_DAYS = 182
CLIENT_AGE_DAYS = 365  # how long before the visit history the demo's clients joined
ANOMALY_DAYS = 28  # anomalies are seen in the last weeks, so they still wait in the supervisors' queues
# A client's signature as the signature pad sends it (a 1×1 PNG data URL).
SIGNATURE = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
# District centres of the demo's city (name, latitude, longitude); clients are scattered ±JITTER around.
CITIES = {
    "杭州": [("西湖区", 30.259, 120.130), ("滨江区", 30.208, 120.211), ("拱墅区", 30.319, 120.142),
           ("上城区", 30.242, 120.169), ("余杭区", 30.419, 120.301)],
    "南京": [("鼓楼区", 32.066, 118.770), ("建邺区", 32.004, 118.732), ("玄武区", 32.048, 118.798),
           ("秦淮区", 32.034, 118.797), ("栖霞区", 32.096, 118.909)],
    "广州": [("天河区", 23.125, 113.361), ("越秀区", 23.129, 113.267), ("海珠区", 23.084, 113.317),
           ("荔湾区", 23.126, 113.244), ("白云区", 23.158, 113.273)],
    "上海": [("静安区", 31.229, 121.448), ("黄浦区", 31.231, 121.484), ("徐汇区", 31.188, 121.437),
           ("浦东新区", 31.221, 121.544), ("长宁区", 31.220, 121.424)],
}  # fmt: skip
CITY_OF = {"insurance": "南京", "telecom": "广州", "property": "上海"}  # the others: 杭州
JITTER = 0.02

UNSIGNED = ["客户不在店内", "店主外出，由店员接待", "客户临时有事先行离开", "客户不便签字，已口头确认"]
OPINIONS = [
    "对目前的服务满意，暂无其他意见",
    "希望办理业务时少排队",
    "希望及时告知新产品和优惠活动",
    "建议简化业务办理手续",
    "希望上门服务的时间更灵活",
    "对近期费率调整有疑问，已当面解释",
    "希望能在手机上办理更多业务",
]
EFFECTS = [
    "客户态度积极，沟通顺畅",
    "了解到客户近期有资金需求",
    "客户对新产品有兴趣，需进一步跟进",
    "客户较忙，沟通时间较短",
    "关系进一步巩固，客户愿意转介绍",
    "客户仍有顾虑，需要再次说明",
    "客户资料已收集齐全",
]
NEXT_STEPS = [
    "电话回访",
    "递交产品说明材料",
    "预约参加产品说明会",
    "协助办理开户手续",
    "跟进客户资金需求",
    "递交理财规划书",
    "邀请参加客户沙龙活动",
]
# What was seen; about half of them also tick one of the preset's anomaly kinds (AnomalyKind).
ANOMALIES = [
    "周边同业开展高息揽储活动，客户有转移资金的意向",
    "客户经营场所门口有人散发高息投资传单",
    "客户门店暂停营业，门口张贴转让启事",
    "竞争对手上门推销，给出更优惠的条件",
    "客户反映曾接到冒充工作人员的电话",
    "客户门店客流明显减少，经营有下滑迹象",
]
SPECIAL_REASONS = ["客户企业发生股权变更", "客户投诉后上门回访", "客户家中有变故，上门慰问", "客户门店搬迁"]
STRATEGIES = [
    "介绍新发理财产品",
    "了解年度资金安排",
    "节日走访，维护关系",
    "跟进贷款资金使用",
    "收集意见建议",
]
WEEKEND = ["客户约定周末面谈", "客户工作日没空，约在周末上门"]
REVIEWS = ["同意", "安排合理，重点客户注意按时走访", "请优先安排逾期客户", ""]
USE_OF_FUNDS = [
    "资金用于采购原材料，与合同约定用途一致",
    "资金用于门店装修，已核对发票",
    "资金用于支付购房款，用途合规",
    "资金用于补充流动资金，流向正常",
    "资金用于购置经营设备，已现场查看",
]
REPAYMENT = ["经营收入稳定，还款来源充足", "工资收入稳定，按月足额还款", "租金收入可覆盖月供", "销售回款正常"]
CONCLUSIONS = {
    "normal": ["贷款使用正常，按期还款，维持正常分类", "经营正常，未发现风险信号"],
    "watch": ["经营有所下滑，列入关注，缩短检查间隔", "发现风险信号，已提示客户并持续跟踪"],
    "high": ["风险较高，已报风险经理，建议压降授信"],
}
AD_HOC = ["外部信息显示客户涉诉", "客户连续两期还款延迟", "客户所在行业波动较大"]
# The supervisor's note on a finding closed: when the outcome needs one, and otherwise.
OUTCOME_NOTES = ("已核实，建议下调一级", "已了解情况，继续关注")

VISIT_FIELDS = (
    "id", "client_id", "owner_id", "org_node_id", "kind", "planned", "entry_id", "mode", "visited_on",
    "started_at", "ended_at", "latitude", "longitude", "checklist", "special_reason", "market_anomaly",
    "anomalies", "opinions", "effect", "next_step", "next_step_on",
    "signature", "signer_name", "signed_at", "unsigned_reason", "created_at", "updated_at",
)  # fmt: skip
FINDING_FIELDS = (
    "visit_id",
    "client_id",
    "owner_id",
    "org_node_id",
    "kind",
    "anomaly_id",
    "note",
    "raised_at",
)
LOCATION_FIELDS = ("client_id", "latitude", "longitude", "area", "source", "updated_at")
INSPECTION_FIELDS = (
    "client_id", "loan_id", "owner_id", "org_node_id", "kind", "due_on", "done_on", "visit_id",
    "use_of_funds", "repayment_source", "risk_signals", "risk_level", "conclusion", "created_at",
)  # fmt: skip
ON_SITE, PHONE, VIDEO = Visit.Mode.ON_SITE, Visit.Mode.PHONE, Visit.Mode.VIDEO


@dataclass(frozen=True)
class Pace:
    per_day: tuple[int, int]  # visits of his own choosing on a working day
    lookahead: int  # days before (+) or after (-) the due date he visits a client
    off: float  # share of days spent in the office (training, meetings): appointments only
    signs: float  # share of on-site visits the client signs
    keeps: float  # share of promised follow-ups and scheduled visits he keeps


# The demo's portfolios (builder.DEFAULT_CLIENTS over twelve AMs) ask about 6 visits a working day
# by the bank's norms: the diligent and steady AMs keep up, visiting a little before the due date;
# the lax ones fall behind (the team page marks them).
PACES = {
    "diligent": Pace((9, 12), 1, 0.04, 0.93, 0.95),
    "steady": Pace((7, 10), 0, 0.08, 0.85, 0.88),
    "lax": Pace((4, 7), -4, 0.15, 0.70, 0.65),
}
# The first AM (the demo's login am01) is a steady one; one in four is lax.
PACE_CYCLE = ["steady", "diligent", "steady", "lax"]


@dataclass(slots=True)
class _Client:
    pk: int
    owner_id: int
    node_id: int
    key: bool
    interval: int | None
    signer: str
    lat: float | None = None
    lng: float | None = None


@dataclass
class _Manager:
    staff: Staff
    pace: Pace
    home: int  # index of his home district
    neglected: dict[int, date] = field(default_factory=dict)  # key clients not visited since


def at(day: date, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


class VisitDemo:
    def __init__(
        self, *, rng: random.Random, today: date, industry: str, preset: dict, clients: ClientRange, writer
    ):
        self.rng, self.today, self.industry, self.preset = rng, today, industry, preset
        self.range, self.writer = clients, writer
        self.settings = VisitSettings.current()
        self.week_start = services.week_of(today)
        self.start = today - timedelta(days=HISTORY_DAYS)
        self.codes = list(
            ChecklistItem.objects.filter(purpose=ChecklistItem.Purpose.VISIT, is_active=True).values_list(
                "code", flat=True
            )
        )
        self.signals = list(
            ChecklistItem.objects.filter(
                purpose=ChecklistItem.Purpose.RISK_SIGNAL, is_active=True
            ).values_list("code", flat=True)
        )
        self.districts = CITIES[CITY_OF.get(industry, "杭州")]
        self.visits: list[dict] = []
        self.owned: dict[int, list[_Client]] = defaultdict(list)  # the demo's clients by owner
        self.midnights: dict[date, datetime] = {}
        self.inspections: list[dict] = []
        # (AM id, day) -> [(client id, kind, inspection index or None)], kept before his own choices
        self.appointments: dict[tuple[int, date], list[tuple]] = defaultdict(list)
        self.next_due: dict[int, date] = {}  # client id -> due date by the norm when the history ends

    # -- the step

    def build(self) -> None:
        self._age_clients()
        staff = Staff.objects.filter(roles__code="account_manager", status=Staff.Status.ACTIVE)
        staff = staff.select_related("supervisor").order_by("id")
        self.managers = [
            _Manager(person, PACES[PACE_CYCLE[index % len(PACE_CYCLE)]], index)
            for index, person in enumerate(staff)
        ]
        self.clients = self._clients()
        self._locations()
        self._plan_inspections()
        self._choose_neglected()
        for manager in self.managers:
            self._history(manager)
        self._anomalies()
        self._past_schedules()
        self._write_history()
        services.inspections_schedule(today=self.today)
        self._ad_hoc_inspections()
        for manager in self.managers:
            self._this_week(manager)
        services.inspections_schedule(today=self.today)  # the next one after those done this week
        for manager in self.managers:
            services.schedule_propose(
                owner=manager.staff, week_start=self.week_start + timedelta(days=7), today=self.today
            )
        self._close_findings()

    def _age_clients(self) -> None:
        """The demo's clients entered the archive (and their AM's hands) before the visit history
        starts, not on the day the demo runs: otherwise none would be due and no period compliance
        could be measured."""
        shift = timedelta(days=HISTORY_DAYS + CLIENT_AGE_DAYS)
        ids = {"pk__gte": self.range.first, "pk__lt": self.range.stop}
        Client.objects.filter(**ids).update(created_at=F("created_at") - shift)
        ClientOwnership.objects.filter(
            client_id__gte=self.range.first, client_id__lt=self.range.stop, how=ClientOwnership.How.CREATED
        ).update(started_at=F("started_at") - shift)

    def _clients(self) -> dict[int, _Client]:
        norms = list(
            VisitNorm.objects.filter(is_active=True)
            .order_by("-specificity", "order", "id")
            .values_list("tier", "lifecycle", "grade", "vip_level_id", "interval_days")
        )

        def interval(tier, lifecycle, grade, vip):
            for n_tier, n_lifecycle, n_grade, n_vip, days in norms:
                if (
                    n_tier in (None, tier)
                    and n_lifecycle in ("", lifecycle)
                    and n_grade in (None, grade)
                    and n_vip in (None, vip)
                ):
                    return days
            return None

        key_tiers = set(ClientTier.objects.filter(is_key=True).values_list("pk", flat=True))
        found = {}
        rows = Client.objects.filter(pk__gte=self.range.first, pk__lt=self.range.stop).values_list(
            "pk", "owner_id", "org_node_id", "tier", "lifecycle", "grade", "vip_level_id", "kind", "name",
            "legal_representative",
        )  # fmt: skip
        memo = {}
        for pk, owner, node, tier, lifecycle, grade, vip, kind, name, legal in rows.order_by("pk"):
            criteria = (tier, lifecycle, grade, vip)
            if criteria not in memo:
                memo[criteria] = interval(*criteria)
            signer = name if kind == Client.Kind.INDIVIDUAL else legal or person_name(self.rng)
            found[pk] = _Client(pk, owner, node, tier in key_tiers, memo[criteria], signer)
            self.owned[owner].append(found[pk])
        return found

    # -- where clients are

    def _locations(self) -> None:
        """Most clients have a place around their AM's home district; some only the district's name."""
        rng, homes = self.rng, {m.staff.pk: m.home for m in self.managers}
        count = len(self.districts)
        now = timezone.now()
        rows = []
        for client in self.clients.values():
            roll = rng.random()
            if roll < 0.05:
                continue  # no place on file yet
            step = rng.choices(range(count), weights=[60, 20, 10, 5, 5][:count])[0]
            area, lat, lng = self.districts[(homes.get(client.owner_id, 0) + step) % count]
            if roll < 0.15:
                rows.append((client.pk, None, None, area, ClientLocation.Source.MANUAL, now))
                continue
            client.lat = lat + rng.uniform(-JITTER, JITTER)
            client.lng = lng + rng.uniform(-JITTER, JITTER)
            rows.append(
                (
                    client.pk,
                    _coordinate(client.lat),
                    _coordinate(client.lng),
                    area,
                    ClientLocation.Source.MANUAL,
                    now,
                )
            )
        self.writer.write(ClientLocation, LOCATION_FIELDS, rows)

    # -- post-loan inspections

    def _inspected_lines(self) -> list[str]:
        if not self.settings.inspected_product_lines:
            lines = list(self.preset.get("inspected_product_lines") or [])
            if not lines and self.industry == "bank" and ProductLine.objects.filter(code="loan").exists():
                lines = ["loan"]
            if lines:
                self.settings.inspected_product_lines = lines
                self.settings.save(update_fields=["inspected_product_lines"])
        return self.settings.inspected_product_lines

    def _plan_inspections(self) -> None:
        """Each loan's inspections of the last months, done on time or nearly; a few left overdue."""
        lines = self._inspected_lines()
        if not lines:
            return
        rng, first, every = (
            self.rng,
            self.settings.first_inspection_days,
            self.settings.inspection_interval_days,
        )
        loans = list(
            Holding.objects.filter(
                product__line__code__in=lines,
                balance__gt=0,
                client_id__gte=self.range.first,
                client_id__lt=self.range.stop,
            )
            .exclude(client__lifecycle=Client.Lifecycle.LOST)
            .order_by("pk")
            .values_list("pk", "client_id", "opened_on")
        )
        overdue = set(rng.sample([pk for pk, _c, _o in loans], max(1, len(loans) // 40))) if loans else set()
        for pk, client_id, opened_on in loans:
            client = self.clients[client_id]
            due = (opened_on or self.today) + timedelta(days=first)
            if due < self.start:  # inspected before the history begins: the last of those, then on
                before = self.start - timedelta(days=rng.randint(1, every))
                before -= timedelta(days=max(0, before.weekday() - 4))
                self._inspection(pk, client, before, before)
                due = before + timedelta(days=every)
            while due < self.week_start:
                if pk in overdue and due + timedelta(days=every) >= self.week_start:
                    break  # the last one before this week was let slip
                done = _working_day(due + timedelta(days=rng.randint(-10, 4)))
                done = max(done, _working_day(self.start), _working_day((opened_on or done) + timedelta(1)))
                if done >= self.week_start:
                    break
                self._inspection(pk, client, due, done)
                # made on a visit, booked in the AM's day before the clients he picks himself
                self.appointments[(client.owner_id, done)].append(
                    (client_id, Visit.Kind.POST_LOAN, len(self.inspections) - 1)
                )
                due = done + timedelta(days=every)

    def _inspection(self, loan_id: int, client: _Client, due: date, done: date) -> None:
        """A scheduled inspection done with its report (the visit it was made on is set later)."""
        rng = self.rng
        level = rng.choices(["normal", "watch", "high"], weights=[85, 12, 3])[0]
        signals = rng.sample(self.signals, min(len(self.signals), 1 + (level == "high")))
        self.inspections.append(
            {
                "client_id": client.pk,
                "loan_id": loan_id,
                "owner_id": client.owner_id,
                "org_node_id": client.node_id,
                "kind": LoanInspection.Kind.SCHEDULED,
                "due_on": due,
                "done_on": done,
                "visit_id": None,
                "use_of_funds": rng.choice(USE_OF_FUNDS),
                "repayment_source": rng.choice(REPAYMENT),
                "risk_signals": sorted(signals) if level != "normal" else [],
                "risk_level": level,
                "conclusion": rng.choice(CONCLUSIONS[level]),
                "created_at": at(due - timedelta(days=30), 7 * 60),
            }
        )

    def _ad_hoc_inspections(self) -> None:
        """Two borrowers someone heard bad news about: an inspection the AM must make this week."""
        open_loans = list(
            LoanInspection.objects.filter(done_on__isnull=True, kind=LoanInspection.Kind.SCHEDULED)
            .filter(due_on__gt=self.today + timedelta(days=30))
            .order_by("id")
            .values_list("client_id", "loan_id", "owner_id")
        )
        people = {m.staff.pk: m.staff for m in self.managers}
        for client_id, loan_id, owner_id in self.rng.sample(open_loans, min(2, len(open_loans))):
            services.inspection_add(
                actor=people[owner_id],
                client=Client.objects.get(pk=client_id),
                loan=Holding.objects.get(pk=loan_id),
                due_on=_working_day(self.today + timedelta(days=self.rng.randint(1, 4))),
                reason=self.rng.choice(AD_HOC),
            )

    # -- six months of visits

    def _choose_neglected(self) -> None:
        """A few key clients of each AM (at least one) not visited these last weeks."""
        borrowers = {row["client_id"] for row in self.inspections}
        for manager in self.managers:
            keys = [c for c in self.owned[manager.staff.pk] if c.key and c.interval and c.pk not in borrowers]
            for client in self.rng.sample(keys, min(len(keys), 1 + len(keys) // 20)):
                # last visited more than one interval ago: overdue by a few days to a few weeks
                late = client.interval + self.rng.randint(5, 21)
                manager.neglected[client.pk] = self.today - timedelta(days=late)

    def _history(self, manager: _Manager) -> None:
        rng, pace, owner = self.rng, manager.pace, manager.staff.pk
        due: dict[int, date] = {}
        queues: dict[bool, list] = {True: [], False: []}  # key clients first, each by due date
        for client in self.owned[owner]:
            if client.interval:
                due[client.pk] = self.start + timedelta(days=rng.randrange(client.interval))
                heapq.heappush(queues[client.key], (due[client.pk], client.pk))
        day = self.start
        while day < self.week_start:
            if day.weekday() >= 5:
                day += timedelta(days=1)
                continue
            booked, chosen = [], set()
            for item in self.appointments.pop((owner, day), []):
                forgotten = item[0] in manager.neglected and day >= manager.neglected[item[0]]
                if not forgotten and item[0] not in chosen:
                    booked.append(item)
                    chosen.add(item[0])
            wanted = 0 if rng.random() < pace.off else rng.randint(*pace.per_day)
            horizon = day + timedelta(days=pace.lookahead + _weekend_after(day))
            picked = []
            for key in (True, False):
                queue = queues[key]
                while len(picked) < wanted and queue and queue[0][0] <= horizon:
                    when, pk = heapq.heappop(queue)
                    if due.get(pk) != when or pk in chosen:
                        continue  # stale (visited since), or already on today's appointments
                    if pk in manager.neglected and day >= manager.neglected[pk]:
                        due.pop(pk)
                        continue
                    picked.append((pk, Visit.Kind.REGULAR, None))
                    chosen.add(pk)
            plan = booked + picked
            modes = [ON_SITE if kind == Visit.Kind.POST_LOAN else self._mode(pk) for pk, kind, _i in plan]
            slots = self._slots(modes)
            for (pk, kind, index), mode, slot in zip(plan, modes, slots, strict=False):
                visit = self._visit(manager, self.clients[pk], day, slot, mode, kind)
                if index is not None:
                    self.inspections[index]["visit_id"] = len(self.visits) - 1
                if pk in due:
                    if mode == ON_SITE or self.settings.remote_counts_for_norm:
                        due[pk] = day + timedelta(days=self.clients[pk].interval)
                    heapq.heappush(queues[self.clients[pk].key], (due[pk], pk))
                promised = visit["next_step_on"]
                if promised and promised < self.week_start and rng.random() < pace.keeps:
                    self.appointments[(owner, promised)].append((pk, Visit.Kind.REGULAR, None))
            for pk, _kind, _index in plan[len(slots) :]:  # no time left today: still due tomorrow
                if pk in due:
                    heapq.heappush(queues[self.clients[pk].key], (due[pk], pk))
            day += timedelta(days=1)
        self.next_due.update(due)

    def _mode(self, pk: int) -> str:
        weights = [70, 24, 6] if self.clients[pk].key else [50, 40, 10]
        return self.rng.choices([ON_SITE, PHONE, VIDEO], weights=weights)[0]

    def _slots(self, modes: list[str]) -> list[tuple[int, int]]:
        """Time in and out (minutes after midnight) of the day's visits in order, lunch kept free."""
        rng, slots, lunch = self.rng, [], False
        minute = 9 * 60 + rng.randint(0, 30)
        for mode in modes:
            length = rng.randint(20, 60) if mode == ON_SITE else rng.randint(20, 35)
            if not lunch and minute + length > 12 * 60:
                minute, lunch = max(minute, 13 * 60 + rng.randint(0, 20)), True
            if minute + length > 17 * 60 + 30:
                break
            slots.append((minute, minute + length))
            minute += length + (rng.randint(10, 30) if mode == ON_SITE else rng.randint(5, 15))
        return slots

    def _visit(self, manager, client, day, slot, mode, kind, entry_id=None) -> dict:
        rng = self.rng
        if day not in self.midnights:
            self.midnights[day] = at(day, 0)
        # wall-clock arithmetic on an aware time: 9:00 stays 9:00 whatever the day's UTC offset
        started, ended = (self.midnights[day] + timedelta(minutes=minute) for minute in slot)
        if kind == Visit.Kind.REGULAR and rng.random() < 0.01:
            kind = Visit.Kind.SPECIAL
        signed = mode == ON_SITE and rng.random() < manager.pace.signs
        located = mode == ON_SITE and client.lat is not None
        next_step = rng.choice(NEXT_STEPS) if rng.random() < 0.3 else ""
        promised = (
            _working_day(day + timedelta(days=rng.randint(3, 14)))
            if next_step and rng.random() < 0.5
            else None
        )
        recorded = ended + timedelta(minutes=rng.randint(1, 20))
        visit = {
            "client_id": client.pk,
            "owner_id": manager.staff.pk,
            "org_node_id": client.node_id,
            "kind": kind,
            "planned": entry_id is not None,
            "entry_id": entry_id,
            "mode": mode,
            "visited_on": day,
            "started_at": started,
            "ended_at": ended,
            "latitude": _coordinate(client.lat + rng.uniform(-5e-4, 5e-4)) if located else None,
            "longitude": _coordinate(client.lng + rng.uniform(-5e-4, 5e-4)) if located else None,
            "checklist": self._checklist(),
            "special_reason": rng.choice(SPECIAL_REASONS) if kind == Visit.Kind.SPECIAL else "",
            "market_anomaly": "",
            "anomalies": [],
            "opinions": rng.choice(OPINIONS) if rng.random() < 0.5 else "",
            "effect": rng.choice(EFFECTS) if rng.random() < 0.7 else "",
            "next_step": next_step,
            "next_step_on": promised,
            "signature": SIGNATURE if signed else "",
            "signer_name": client.signer if signed else "",
            "signed_at": ended if signed else None,
            "unsigned_reason": rng.choice(UNSIGNED) if mode == ON_SITE and not signed else "",
            "created_at": recorded,
            "updated_at": recorded,
        }
        self.visits.append(visit)
        return visit

    def _checklist(self) -> list[str]:
        if not self.codes:
            return []
        done = self.rng.sample(self.codes, self.rng.randint(1, min(3, len(self.codes))))
        return sorted(done, key=self.codes.index)

    def _anomalies(self) -> None:
        """A few things seen on on-site visits of the last weeks; every supervisor has some waiting."""
        since = self.week_start - timedelta(days=ANOMALY_DAYS)
        recent = defaultdict(list)
        for index, visit in enumerate(self.visits):
            if visit["visited_on"] >= since and visit["mode"] == ON_SITE:
                recent[visit["owner_id"]].append(index)
        covered = set()
        wants = {m.staff.pk: self.rng.choice([0, 0, 1, 1, 2]) for m in self.managers}
        for manager in self.managers:  # the first AM of a supervisor without any gets one
            boss = manager.staff.supervisor_id
            if wants[manager.staff.pk]:
                covered.add(boss)
        for manager in self.managers:
            boss = manager.staff.supervisor_id
            if boss not in covered:
                wants[manager.staff.pk], covered = 1, covered | {boss}
        self.findings = []
        kinds = list(AnomalyKind.objects.filter(is_active=True))
        for manager in self.managers:
            visits = recent[manager.staff.pk]
            for index in self.rng.sample(visits, min(len(visits), wants[manager.staff.pk])):
                visit = self.visits[index]
                note = self.rng.choice(ANOMALIES)
                ticked = [self.rng.choice(kinds)] if kinds and self.rng.random() < 0.5 else []
                visit.update(market_anomaly=note, anomalies=[kind.code for kind in ticked])
                # What visit_record raises: one finding per kind seen, each with the anomaly's words.
                self.findings.append((index, VisitFinding.MARKET_ANOMALY, None, note))
                for kind in ticked:
                    self.findings.append((index, kind.code, kind.pk, note))

    def _past_schedules(self) -> None:
        """The weeks of the history had their schedules too, submitted and reviewed: most of each
        week's visits were on it (fulfilling their entry), a few made on the spot were not, and a
        few entries were not kept (the plan's completion on the team page). Bulk rows, as the
        services would have left them."""
        people = {m.staff.pk: m for m in self.managers}
        by_week: dict[tuple[int, date], list[dict]] = defaultdict(list)
        for visit in self.visits:
            if visit["kind"] != Visit.Kind.SPECIAL:
                by_week[(visit["owner_id"], services.week_of(visit["visited_on"]))].append(visit)
        now, schedules, rows = timezone.now(), [], []
        for (owner, monday), visits in sorted(by_week.items(), key=lambda item: item[0]):
            manager = people[owner]
            boss = manager.staff.supervisor
            friday = monday - timedelta(days=3)
            schedules.append(
                VisitSchedule(
                    owner_id=owner,
                    org_node_id=manager.staff.org_node_id,
                    week_start=monday,
                    state=VisitSchedule.State.REVIEWED if boss else VisitSchedule.State.SUBMITTED,
                    proposed_at=min(at(friday, 15 * 60), now),
                    submitted_at=min(at(friday, 16 * 60 + self.rng.randint(0, 80)), now),
                    reviewer=boss,
                    reviewed_at=min(at(monday, 8 * 60 + self.rng.randint(30, 60)), now) if boss else None,
                    comment=self.rng.choice(REVIEWS) if boss else "",
                )
            )
            mine = [c.pk for c in self.owned[owner] if c.interval]
            positions: dict[date, int] = defaultdict(int)
            for visit in visits:
                post_loan = visit["kind"] == Visit.Kind.POST_LOAN
                if not post_loan and self.rng.random() < 0.08:
                    continue  # made on the spot, not on the week's plan
                day = visit["visited_on"]
                reason = ScheduleEntry.Reason.INSPECTION if post_loan else ScheduleEntry.Reason.DUE
                rows.append((len(schedules) - 1, visit["client_id"], day, positions[day], reason, visit))
                positions[day] += 1
                if mine and self.rng.random() > manager.pace.keeps:  # planned that day, not kept
                    rows.append((len(schedules) - 1, self.rng.choice(mine), day, positions[day], "", None))
                    positions[day] += 1
        VisitSchedule.objects.bulk_create(schedules, batch_size=500)
        entries, taken = [], set()
        for index, client_id, day, position, reason, visit in rows:
            if (index, client_id, day) in taken:
                continue  # a missed entry drawn on a client already planned that day
            taken.add((index, client_id, day))
            mode = visit["mode"] if visit else self._mode(client_id)
            entries.append(
                ScheduleEntry(
                    schedule=schedules[index],
                    client_id=client_id,
                    day=day,
                    position=position,
                    reason=reason or ScheduleEntry.Reason.DUE,
                    mode=mode,
                )
            )
            entries[-1].visit_row = visit
        ScheduleEntry.objects.bulk_create(entries, batch_size=2000)
        for entry in entries:
            if entry.visit_row is not None:
                entry.visit_row.update(planned=True, entry_id=entry.pk)

    def _write_visits(self, visits: list[dict]) -> int:
        first = self.writer.reserve_ids(Visit, len(visits))
        rows = ((first + i, *(visit[name] for name in VISIT_FIELDS[1:])) for i, visit in enumerate(visits))
        self.writer.write(Visit, VISIT_FIELDS, rows)
        self.writer.finish(Visit)
        return first

    def _write_history(self) -> None:
        first = self._write_visits(self.visits)
        self.writer.write(
            VisitFinding,
            FINDING_FIELDS,
            (
                (
                    first + i,
                    v["client_id"],
                    v["owner_id"],
                    v["org_node_id"],
                    kind,
                    anomaly,
                    note,
                    v["created_at"],
                )
                for i, kind, anomaly, note in self.findings
                for v in (self.visits[i],)
            ),
        )
        for inspection in self.inspections:
            if inspection["visit_id"] is not None:  # None: before the history, or a day too full
                inspection["visit_id"] += first
        self.writer.write(
            LoanInspection,
            INSPECTION_FIELDS,
            (tuple(row[name] for name in INSPECTION_FIELDS) for row in self.inspections),
        )

    # -- this week and the next

    def _this_week(self, manager: _Manager) -> None:
        rng, person = self.rng, manager.staff
        days = self.settings.workdays_per_week
        schedule = services.schedule_propose(owner=person, week_start=self.week_start, today=self.week_start)
        schedule = schedule.schedule
        self._spread(person, schedule, days)
        entries = list(schedule.entries.order_by("day", "position", "id"))
        for entry in rng.sample(entries, min(len(entries), 4)):
            client = self.clients.get(entry.client_id)
            if client is None or entry.day < self.today or entry.reason == ScheduleEntry.Reason.INSPECTION:
                continue
            data = {"strategy": rng.choice(STRATEGIES)} if client.key else {"mode": PHONE}
            services.schedule_entry_change(actor=person, entry=entry, data=data)
        if self.today.weekday() >= days:  # a weekend: the appointments clients asked for
            taken = {entry.client_id for entry in entries}
            mine = [c.pk for c in self.owned[person.pk] if c.interval]
            mine = [pk for pk in mine if pk not in taken and pk not in manager.neglected]
            for pk in rng.sample(mine, min(len(mine), rng.randint(1, 3))):
                schedule.refresh_from_db()
                services.schedule_entry_add(
                    actor=person,
                    schedule=schedule,
                    client=Client.objects.get(pk=pk),
                    day=self.today,
                    reason=ScheduleEntry.Reason.REQUEST,
                    strategy=rng.choice(WEEKEND),
                )
        schedule.refresh_from_db()
        schedule = services.schedule_submit(actor=person, schedule=schedule)
        friday = self.week_start - timedelta(days=3)
        now = timezone.now()
        stamps = {
            "proposed_at": min(at(friday, 15 * 60 + rng.randint(0, 30)), now),
            "submitted_at": min(at(friday, 16 * 60 + rng.randint(0, 80)), now),
        }
        if person.supervisor and rng.random() < 0.75:
            services.schedule_review(actor=person.supervisor, schedule=schedule, comment=rng.choice(REVIEWS))
            stamps["reviewed_at"] = min(at(self.week_start, 8 * 60 + rng.randint(30, 60)), now)
        VisitSchedule.objects.filter(pk=schedule.pk).update(**stamps)
        self._visits_this_week(manager, schedule)

    def _spread(self, person, schedule: VisitSchedule, days: int) -> None:
        """The proposal packs a light week into its first days; the AM spreads it over the week."""
        by_day = {self.week_start + timedelta(days=d): [] for d in range(days)}
        for entry in schedule.entries.order_by("day", "position", "id"):
            by_day.setdefault(entry.day, []).append(entry)
        moved = set()
        while True:
            fullest = max(by_day, key=lambda day: (len(by_day[day]), -day.toordinal()))
            emptiest = min(by_day, key=lambda day: (len(by_day[day]), day.toordinal()))
            if len(by_day[fullest]) - len(by_day[emptiest]) < 2:
                break
            entry = by_day[fullest].pop()  # the far end of that day's route
            services.schedule_entry_change(actor=person, entry=entry, data={"day": emptiest})
            by_day[emptiest].append(entry)
            moved.add(emptiest)  # the day given up its far end keeps its order
        for day in sorted(moved):
            schedule.refresh_from_db()
            services.schedule_day_reroute(actor=person, schedule=schedule, day=day)

    def _bring_forward(self, manager: _Manager, schedule: VisitSchedule) -> None:
        """The route proposal orders the week by place; the AM moves a client planned for later in
        the week to a day gone by when the norm made him due by then (as he did in the history)."""
        entries = list(schedule.entries.order_by("day", "position", "id"))
        earlier = {e.client_id for e in entries if e.day <= self.today}
        later = {e.client_id: e for e in entries if e.day > self.today and e.client_id not in earlier}
        far, moved, day = date.max, [], self.week_start
        movable = (ScheduleEntry.Reason.DUE, ScheduleEntry.Reason.OVERDUE)
        while day < self.today:
            horizon = day + timedelta(days=max(manager.pace.lookahead, 0) + _weekend_after(day))
            # that day's clients not due yet change places with clients due by then (the day keeps
            # its length: the AM's day is full)
            early = [
                e
                for e in entries
                if e.day == day and e.reason in movable and self.next_due.get(e.client_id, far) > horizon
            ]
            for pk, entry in list(later.items()):
                due = self.next_due.get(pk)
                if not early:
                    break
                if due is not None and due <= horizon and pk not in manager.neglected:
                    other = early.pop()
                    entry.day, entry.position, other.day, other.position = (
                        other.day,
                        other.position,
                        entry.day,
                        entry.position,
                    )
                    moved += [later.pop(pk), other]
            day += timedelta(days=1)
        ScheduleEntry.objects.bulk_update(moved, ["day", "position"])

    def _visits_this_week(self, manager: _Manager, schedule: VisitSchedule) -> None:
        """The days of this week gone by: most entries visited, in route order, fulfilling their entry."""
        self._bring_forward(manager, schedule)
        entries = schedule.entries.filter(day__lt=self.today).order_by("day", "position", "id")
        by_day = defaultdict(list)
        for entry in entries:
            client = self.clients.get(entry.client_id)
            if client and entry.client_id not in manager.neglected and self.rng.random() < manager.pace.keeps:
                by_day[entry.day].append(entry)
        inspected, start = [], len(self.visits)
        for day, kept in sorted(by_day.items()):
            slots = self._slots([entry.mode for entry in kept])
            for entry, slot in zip(kept, slots, strict=False):
                kind = (
                    Visit.Kind.POST_LOAN
                    if entry.reason == ScheduleEntry.Reason.INSPECTION
                    else Visit.Kind.REGULAR
                )
                mode = ON_SITE if kind == Visit.Kind.POST_LOAN else entry.mode
                self._visit(manager, self.clients[entry.client_id], day, slot, mode, kind, entry.pk)
                if kind == Visit.Kind.POST_LOAN:
                    inspected.append(entry.pk)
        if len(self.visits) == start:
            return
        self._write_visits(self.visits[start:])
        # What inspection_record stores (set here in one statement: the service rescans every loan
        # after each record, which a demo recording dozens at once need not repeat).
        recorded = []
        for visit in Visit.objects.filter(entry_id__in=inspected).order_by("id"):
            inspection = (
                LoanInspection.objects.filter(
                    client_id=visit.client_id, owner=manager.staff, done_on__isnull=True
                )
                .order_by("due_on", "id")
                .first()
            )
            if inspection is not None:
                for name, value in self._report().items():
                    setattr(inspection, name, value)
                inspection.done_on, inspection.visit = visit.visited_on, visit
                recorded.append(inspection)
        LoanInspection.objects.bulk_update(recorded, [*REPORT_FIELDS, "done_on", "visit"])

    def _report(self) -> dict:
        level = self.rng.choices(["normal", "watch"], weights=[90, 10])[0]
        return {
            "use_of_funds": self.rng.choice(USE_OF_FUNDS),
            "repayment_source": self.rng.choice(REPAYMENT),
            "risk_level": level,
            "risk_signals": self.rng.sample(self.signals, 1) if level != "normal" and self.signals else [],
            "conclusion": self.rng.choice(CONCLUSIONS[level]),
        }

    def _close_findings(self) -> None:
        """A couple of findings already dealt with; every supervisor keeps some waiting."""
        bosses = {m.staff.pk: m.staff.supervisor for m in self.managers}
        waiting = defaultdict(list)
        for finding in VisitFinding.objects.filter(closed_at__isnull=True).order_by("raised_at", "id"):
            if bosses.get(finding.owner_id):
                waiting[bosses[finding.owner_id].pk].append(finding)
        now = timezone.now()
        outcomes = list(FindingOutcome.objects.filter(is_active=True))
        if not outcomes:
            return
        for findings in list(waiting.values())[:3]:
            if len(findings) < 2:
                continue
            finding = findings[0]
            # A ticked kind gets one of the outcomes that act, a written anomaly "no action" when the
            # preset has one (the outcomes are the preset's, listed as the supervisor sees them).
            acting = [o for o in outcomes if o.code != "no-action"] if finding.anomaly_id else []
            outcome = self.rng.choice(acting) if acting else outcomes[-1]
            note = OUTCOME_NOTES[0] if outcome.needs_note else OUTCOME_NOTES[1]
            services.finding_close(
                actor=bosses[finding.owner_id], finding=finding, outcome=outcome.code, note=note
            )
            closed = min(finding.raised_at + timedelta(days=self.rng.randint(1, 3), hours=2), now)
            VisitFinding.objects.filter(pk=finding.pk).update(closed_at=closed)


def _weekend_after(day: date) -> int:
    """Days of weekend right after `day` (2 on a Friday): clients due then are seen before it."""
    return 2 if day.weekday() == 4 else 0


def _working_day(day: date) -> date:
    """The day itself, or the Monday after when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def build_visits(
    *, rng: random.Random, today: date, industry: str, preset: dict, clients: ClientRange, writer: RowWriter
) -> None:
    VisitDemo(rng=rng, today=today, industry=industry, preset=preset, clients=clients, writer=writer).build()
