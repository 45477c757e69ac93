"""Demo service tickets: about two per account manager over the last three months, in every state.

Every ticket goes through the services with past times (`at=`), so its deadlines, events, repeat
links and audit entries are what the system would have recorded: old ones closed (rated by the AM
or the supervisor), a few late ones that missed a deadline, quality feedback forms signed by the
client and approved by the supervisor with the replacement's receipt signed, some opened from a
visit record; recent ones open — fresh, near their deadline, breached (and escalated by the SLA
sweep), waiting on the client, waiting for approval, resolved and rated through the client's link.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from amdesk.clients.models import Client, ProductLine
from amdesk.core.calendar import is_working_day
from amdesk.orgs.models import Staff
from amdesk.service import services
from amdesk.service.models import Ticket, TicketType
from amdesk.visits.models import Visit

from .visits import SIGNATURE

HISTORY_DAYS = 90
TICKETS_PER_AM = 2

# (subject, what the client said, how it was resolved): each resolution answers its own complaint.
COMPLAINTS = [
    (
        "网点排队时间过长",
        "客户反映在网点等候办理业务超过一小时，柜台只开了两个窗口。",
        "已协调网点高峰时段增开窗口并启用预约取号，已向客户致歉，客户表示理解。",
    ),
    (
        "理财到期款未按时到账",
        "客户的理财产品到期后两个工作日资金仍未到账，要求说明原因。",
        "经核实系清算批次延迟，资金已于次日到账，已向客户说明原因并致歉。",
    ),
    (
        "短信通知重复发送",
        "客户一天内收到五条相同的扣款提醒短信，认为被打扰。",
        "经核实系短信平台重发，已修复并为客户调整提醒设置，客户认可。",
    ),
    (
        "柜员服务态度不佳",
        "客户反映办理挂失时柜员解释不耐心，语气生硬。",
        "已约谈当事柜员并组织服务规范培训，网点负责人已向客户当面致歉。",
    ),
    (
        "手机银行转账失败",
        "客户转账时多次提示系统繁忙，款项未转出但被扣手续费。",
        "经核实系系统故障所致，已修复并退还误扣手续费，已向客户解释。",
    ),
    (
        "费用收取不明",
        "客户对账户管理费的收取标准有疑问，认为事先未告知。",
        "已向客户出示收费公示并解释标准，本月账户管理费已退回客户账户。",
    ),
]
QUALITY = [
    (
        "商品包装破损",
        "客户收到的两件商品外包装破损，部分受潮，要求调换。",
        "已为客户调换同规格合格商品两件，客户签收并认可处理结果。",
    ),
    (
        "商品批次质量问题",
        "客户反映同一批次商品存在异味，已暂停销售。",
        "已为客户调换其他批次商品，问题批次已退回供货方检测。",
    ),
    (
        "赠品与宣传不符",
        "客户反映领取的礼品与宣传材料上的样式不一致。",
        "已为客户调换与宣传一致的礼品，并更正网点宣传材料。",
    ),
]
CONSULTATION = (
    TicketType.CONSULTATION,
    "咨询大额存单利率",
    "客户咨询本月大额存单的起存金额和利率。",
    "已向客户说明本月大额存单起存金额和各期限利率，并发送产品说明书。",
)
SUGGESTION = (
    TicketType.SUGGESTION,
    "建议延长营业时间",
    "客户建议周末网点延长营业时间到下午六点。",
    "建议已转网点负责人，拟在旺季试行周六延时服务，已向客户反馈。",
)
REGULATOR = (
    TicketType.COMPLAINT,
    "监管转办：贷款提前还款违约金",
    "监管热线转来客户投诉：提前归还个人经营贷款被收取违约金，认为合同未明确告知。",
    "已调取合同条款并向客户逐条解释，对告知不充分之处致歉，按规定减免部分违约金并书面回复监管。",
)
FEEDBACK = [
    "已电话联系客户致歉，说明正在核实，三个工作日内答复。",
    "已当面向客户说明情况，承诺尽快核实处理。",
    "已致电客户确认问题细节，告知处理时限。",
]
COMMENTS = ["处理及时，态度很好", "基本满意，希望以后少出问题", "客户经理很负责", ""]


class _Story:
    """One ticket's life: each step happens a little after the previous one, never in the future."""

    def __init__(
        self,
        *,
        ticket: Ticket,
        owner: Staff,
        boss: Staff | None,
        clock: datetime,
        now: datetime,
        resolution: str = "已核实并向客户说明原因，客户表示理解。",
    ):
        self.ticket, self.owner, self.boss, self.clock, self.now = ticket, owner, boss, clock, now
        self.resolution = resolution

    def later(self, **delta) -> datetime:
        self.clock = min(self.clock + timedelta(**delta), self.now - timedelta(minutes=1))
        return self.clock

    def step(self, action: str, actor: Staff | None = None, *, note: str = "", after=None, **data) -> None:
        at = self.later(**(after or {"minutes": 40}))
        self.ticket.refresh_from_db()
        self.ticket = services.ticket_transition(
            actor=actor or self.owner,
            ticket=self.ticket,
            action=action,
            version=self.ticket.version,
            note=note,
            data=data,
            at=at,
        )

    def record(self, after=None, **data) -> None:
        """Change the ticket's facts (ticket_update), e.g. the inspection notes and the cause."""
        at = self.later(**(after or {"minutes": 30}))
        self.ticket.refresh_from_db()
        self.ticket = services.ticket_update(
            actor=self.owner, ticket=self.ticket, data=data, version=self.ticket.version, at=at
        )

    def sign(self, which: str, signer: str, **after) -> None:
        at = self.later(**(after or {"minutes": 20}))
        self.ticket.refresh_from_db()
        self.ticket = services.ticket_sign(
            actor=self.owner, ticket=self.ticket, which=which, signature=SIGNATURE, signer_name=signer, at=at
        )


def _office_time(day: date, rng: random.Random) -> datetime:
    """A moment of a working day in office hours (9:00–16:30)."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    minute = rng.randint(9 * 60, 16 * 60 + 30)
    return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))


def _first_feedback(story: _Story, rng: random.Random, *, late: bool = False) -> None:
    after = {"hours": rng.randint(7, 20)} if late else {"minutes": rng.randint(30, 300)}
    story.step("give_first_feedback", message=rng.choice(FEEDBACK), after=after)


def _close(story: _Story, rng: random.Random, *, score: int | None, confirm: bool = True) -> None:
    if confirm:
        story.step("confirm", after={"hours": rng.randint(2, 30)})
    note = "" if confirm else "客户未回复确认，已电话回访，视为认可处理结果"
    data = {"satisfaction": score} if score else {}
    story.step("close", story.boss, note=note, after={"hours": rng.randint(1, 20)}, **data)


def _resolve(story: _Story, rng: random.Random, *, hours: int, valid: bool = True) -> None:
    story.step("resolve", resolution=story.resolution, is_valid=valid, after={"hours": hours})


# Each scenario brings a freshly opened ticket to one state; `days` is how long ago it came in.
def closed_rated(story, rng):
    _first_feedback(story, rng)
    story.step("investigate")
    _resolve(story, rng, hours=rng.randint(3, 40))
    _close(story, rng, score=rng.choice([4, 5, 5]))


def closed_late(story, rng):
    """First feedback late and resolved after the deadline: the client was not pleased."""
    _first_feedback(story, rng, late=True)
    story.step("investigate")
    _resolve(story, rng, hours=rng.randint(100, 140))
    _close(story, rng, score=rng.choice([2, 3]), confirm=False)


def quality_replaced(story, rng):
    """The 商品及服务质量信息反馈单 end to end: inspection, signature, approval, replacement, receipt."""
    _first_feedback(story, rng)
    story.step("investigate", after={"hours": 1})
    # The client signs what the AM found on site: the notes and the cause come first.
    story.record(
        inspection_notes="现场查看：外包装两处破损，内包装受潮", cause="运输途中挤压，仓储环节防潮不到位"
    )
    story.sign("form", story.ticket.client.name[:1] + "店主")
    story.step("request_approval", remedy="replacement", remedy_detail="调换同规格合格商品两件")
    story.step("approve", story.boss, note="同意调换，注意留存照片", after={"hours": rng.randint(1, 5)})
    story.sign("receipt", story.ticket.client.name[:1] + "店主", hours=rng.randint(2, 20))
    _resolve(story, rng, hours=1)
    _close(story, rng, score=5)


def rated_by_link(story, rng):
    """Resolved a couple of days ago; the client rated through the one-time link (today)."""
    _first_feedback(story, rng)
    _resolve(story, rng, hours=rng.randint(3, 20))
    token, _link = services.ticket_rating_link_issue(actor=story.owner, ticket=story.ticket)
    services.ticket_rate_by_token(token=token, score=rng.choice([3, 4, 5]), comment=rng.choice(COMMENTS))


def resolved(story, rng):
    _first_feedback(story, rng)
    story.step("investigate")
    _resolve(story, rng, hours=rng.randint(2, 10))


def confirmed(story, rng):
    resolved(story, rng)
    story.step("confirm", after={"hours": 3})


def waiting_client(story, rng):
    _first_feedback(story, rng)
    story.step("investigate")
    story.step("wait_for_client", note="请客户提供交易流水截图", after={"hours": 2})


def awaiting_approval(story, rng):
    _first_feedback(story, rng)
    story.step("investigate")
    story.step(
        "request_approval",
        remedy="compensation",
        remedy_detail="退还本月账户管理费",
        inspection_notes="调取流水核实确有重复扣费",
        cause="批量扣费程序重复执行",
        after={"hours": 3},
    )


def investigating_overdue(story, rng):
    """First feedback on time, then nothing: the resolution deadline passed (the sweep escalates)."""
    _first_feedback(story, rng)
    story.step("investigate")


def reopened(story, rng):
    closed_rated(story, rng)
    story.step("reopen", note="客户反映问题再次出现", after={"hours": rng.randint(20, 60)})


def feedback_given(story, rng):
    _first_feedback(story, rng)


def received_fresh(story, rng):
    """Just received: nothing done yet."""


SCENARIOS: list[tuple[str, Callable, tuple[int, int] | float]] = [
    # (name, scenario, days ago as a range — or hours ago as a float for today's tickets)
    ("closed_rated", closed_rated, (20, HISTORY_DAYS)),
    ("breached_first_feedback", received_fresh, 9.0),
    ("quality_replaced", quality_replaced, (10, 70)),
    ("waiting_client", waiting_client, (2, 6)),
    ("closed_late", closed_late, (20, HISTORY_DAYS)),
    ("due_soon", received_fresh, 4.9),
    ("awaiting_approval", awaiting_approval, (1, 3)),
    ("investigating_overdue", investigating_overdue, (9, 15)),
    ("rated_by_link", rated_by_link, (2, 4)),
    ("received", received_fresh, 0.5),
    ("resolved", resolved, (1, 3)),
    ("confirmed", confirmed, (4, 8)),
    ("first_feedback", feedback_given, 20.0),
    ("reopened", reopened, (15, 30)),
    ("closed_rated", closed_rated, (20, HISTORY_DAYS)),
    ("consultation", closed_rated, (5, HISTORY_DAYS)),
    ("regulator_referral", feedback_given, 26.0),
    ("suggestion", resolved, (3, 20)),
]


def _content(name: str, rng: random.Random) -> tuple[str, str, str, str]:
    """(type, subject, description, resolution) of a scenario's ticket."""
    if name == "quality_replaced":
        return (TicketType.QUALITY, *rng.choice(QUALITY))
    if name == "consultation":
        return CONSULTATION
    if name == "suggestion":
        return SUGGESTION
    if name == "regulator_referral":
        return REGULATOR
    return (TicketType.COMPLAINT, *rng.choice(COMPLAINTS))


def build_service(*, rng: random.Random, today: date) -> dict[str, int]:
    """About TICKETS_PER_AM tickets per account manager in every state, a few repeats, a sweep.
    Returns how many tickets each scenario made (for the demo's progress and tests)."""
    now = timezone.now()
    end_of_today = timezone.make_aware(datetime.combine(today, time(17, 30)))
    anchor = min(now, end_of_today)  # "today" may be a past day (tests): the story ends there
    managers = list(
        Staff.objects.filter(roles__code="account_manager", status=Staff.Status.ACTIVE)
        .distinct()
        .order_by("username")
    )
    lines = list(ProductLine.objects.filter(is_active=True))
    made: dict[str, int] = {}
    slot = 0
    for am in managers:
        clients = list(
            Client.objects.filter(owner=am).exclude(lifecycle=Client.Lifecycle.LOST).order_by("pk")[:200]
        )
        if not clients:
            continue
        recent_visits = list(
            Visit.objects.filter(
                owner=am, client__owner=am, visited_on__gte=today - timedelta(days=HISTORY_DAYS)
            ).order_by("-started_at")[:40]
        )
        for _n in range(TICKETS_PER_AM):
            name, scenario, when = SCENARIOS[slot % len(SCENARIOS)]
            slot += 1
            ticket_type, subject, description, resolution = _content(name, rng)
            if isinstance(when, float):
                received = anchor - timedelta(hours=when)
                visit = None
            else:
                received = _office_time(today - timedelta(days=rng.randint(*when)), rng)
                # About a third come from a visit record of that period (the client raised it there).
                candidates = [
                    v for v in recent_visits if v.ended_at and abs((v.ended_at - received).days) <= 10
                ]
                visit = rng.choice(candidates) if candidates and rng.random() < 0.4 else None
                if visit is not None:
                    received = visit.ended_at or visit.started_at
            received = min(received, anchor - timedelta(minutes=10))
            client = visit.client if visit is not None else rng.choice(clients)
            data = {
                "ticket_type": ticket_type,
                "channel": "regulator"
                if name == "regulator_referral"
                else ("visit" if visit else rng.choice(["phone", "counter", "online", "hotline"])),
                "priority": "urgent"
                if name == "regulator_referral"
                else rng.choice(["normal", "normal", "normal", "high", "low"]),
                "subject": subject,
                "description": description
                if not (visit and visit.opinions)
                else f"{description}（拜访时提出：{visit.opinions}）",
                "product_line": rng.choice(lines) if lines and rng.random() < 0.6 else None,
                "received_at": received,
            }
            ticket = services.ticket_open(actor=am, client=client, data=data, visit=visit, at=received)
            boss = services.supervisor_for(ticket)
            story = _Story(
                ticket=ticket, owner=am, boss=boss, clock=received, now=anchor, resolution=resolution
            )
            scenario(story, rng)
            made[name] = made.get(name, 0) + 1
        # A repeat complaint: the same client complains again within the repeat window.
        if slot % 3 == 0:
            first = Ticket.objects.filter(owner=am, ticket_type=TicketType.COMPLAINT, state="closed").first()
            if first is not None:
                again_at = min(
                    first.received_at + timedelta(days=rng.randint(5, 20)), anchor - timedelta(hours=1)
                )
                if again_at > first.received_at:
                    repeat = services.ticket_open(
                        actor=am,
                        client=first.client,
                        data={
                            "ticket_type": TicketType.COMPLAINT,
                            "channel": "phone",
                            "priority": "high",
                            "subject": f"再次投诉：{first.subject}",
                            "description": "客户反映上次的问题仍未彻底解决。",
                            "received_at": again_at,
                        },
                        at=again_at,
                    )
                    story = _Story(
                        ticket=repeat,
                        owner=am,
                        boss=services.supervisor_for(repeat),
                        clock=again_at,
                        now=anchor,
                        resolution="已再次核实并彻底处理上次遗留的问题，客户认可处理结果。",
                    )
                    if anchor - again_at > timedelta(days=5):
                        closed_rated(story, rng)
                    else:
                        _first_feedback(story, rng)
                        story.step("investigate")
                    made["repeat"] = made.get("repeat", 0) + 1
    # Warnings and escalations for what is open now (once per deadline, as the cron job would).
    services.ticket_sla_sweep(now=now)
    return made
