"""Demo work logs and daily performance: every account manager's logs of the previous and the
current month, his supervisor's reading, and the month sheets of performance registration.

Everything goes through the services as people would: the AM writes and submits his log (most on
the day, a sloppy one often the next morning, late), his supervisor marks it read or returns it
with a comment (the AM corrects and submits again). Afterwards the logs' own timestamps are moved
back to the day they belong to. Some AMs miss days; am01 (the demo's login) has a returned log
waiting for him and has not written today's yet; today most of the others have.

Monthly targets of last and this month: each supervisor splits his team's target of every item
evenly (a little under what a normal pace achieves), so the slow AMs (am04, am09) are behind; one
indicator is computed from real data (new clients reported in the work logs), the others are the
registered items; this
month am01 proposed his own targets and waits for approval, am06's proposal was approved. Key-client
follow-up plans: two clients per AM, the phone appointments mostly done, some visits overdue.

Weekly arrangements and summaries of last and this week, monthly work plans of last and this month
and last month's summaries: most handed in on time and read; am03 skips his weekly documents, am04
and am09 last month's summary, so the team board shows them overdue; am01's arrangement of last week
came back with a comment and this week's is still to write (the demo's login does it).
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from amdesk.clients.models import Client
from amdesk.core import calendar
from amdesk.orgs.models import Staff
from amdesk.planning.models import PerformanceEntry, PerformanceItem, PerformanceSheet, WorkLog
from amdesk.planning.selectors import archive_counts
from amdesk.planning.services import (
    KINDS,
    document_transition,
    follow_up_action_done,
    follow_up_create,
    month_end,
    performance_sheet_save,
    plan_document_save,
    target_sheet_save,
    team_targets_split,
    week_start,
    work_log_create,
    work_log_update,
)
from amdesk.planning.services.plans import summary_submittable_from

# Share of working days without a log, by AM number; the others miss MISS_OTHERS.
MISSES = {3: 0.25, 7: 0.15}
MISS_OTHERS = 0.03
LATE = {5: 0.5}  # share of logs handed in the next morning (after the due time)
RETURNED = 0.06  # share of read logs the supervisor returns first
# How much each AM sells, relative to the team (am04 and am09 behind).
PACE = {4: 0.4, 9: 0.5, 2: 1.4}

COOPERATION = [
    "与大堂经理配合，引导客户办理手机银行",
    "协助柜员为客户办理大额存单",
    "与理财经理一起接待到期理财客户",
    "和网点主任沟通本周营销重点",
    "",
]
PROBLEMS = [
    "",
    "",
    "网银U盾库存不足，已向支行申请",
    "部分老年客户对手机银行操作有顾虑",
    "信用卡审批进度客户多次询问",
    "宣传折页不足",
]
OTHER = ["", "", "参加支行产品培训", "整理客户档案", "晨会分享基金定投案例"]
RETURN_COMMENTS = [
    "问题写得太笼统，请写明涉及的客户和处理进展",
    "潜在客户拜访数与拜访记录对不上，请核对",
    "请补充与网点人员的配合情况",
]
READ_COMMENTS = ["", "", "", "已阅", "继续保持", "注意跟进到期理财客户"]
# Daily figures per item code (low, high) for a pace of 1; unknown items get (0, 2).
DAILY = {
    "insurance": (0, 3),
    "online-banking": (0, 4),
    "phone-banking": (0, 2),
    "mobile-banking": (1, 6),
    "credit-card": (0, 3),
    "debit-card": (0, 3),
    "fund": (0, 5),
    "log-new-clients": (1, 3),  # computed from the logs' new clients (about 2 a log at a normal pace)
}
COMPUTED_TARGETS = ["log-new-clients"]
# Months of registrations before last month (written in bulk), so this month's plan has the same
# month last year (同比) and the year's cumulative figures; the branch grows, a year ago each AM sold
# GROWTH_FROM of what he sells now.
EARLIER_MONTHS = 12
GROWTH_FROM = 0.8
TARGET_PACE = 0.9  # targets: this share of what a normal pace achieves in the month
PROPOSES = {1: False, 6: True}  # AMs who propose this month's targets: approved or still waiting
OVERDUE = {1, 4, 9}  # AMs who let follow-up actions slip
OUTCOMES = [
    "客户有意向，约下周面谈",
    "已送达理财规划书，客户考虑中",
    "客户暂无需求，下季度再跟进",
    "成功办理定投",
]
# Weekly and monthly documents: who skips which (by AM number).
SKIPS_WEEKLY = {3}
SKIPS_MONTHLY_SUMMARY = {4, 9}
INFO_FOCUS = [
    "到期理财客户的续作意向",
    "周边小区新开楼盘的客户信息",
    "代发工资单位的员工需求",
    "竞争行的存款利率",
]
PRODUCT_FOCUS = ["手机银行绑卡", "基金定投", "信用卡分期", "养老保险", "大额存单"]
OTHER_PLANS = ["", "周三参加支行产品培训", "周五整理客户档案", "配合网点开展社区宣传"]
# A summary's words agree with its yes/no answers: picked by the flag (sound or not, effective or not).
SOUNDNESS = {
    True: ["安排基本合理，拜访线路可再优化", "时间安排合理"],
    False: ["重点客户安排偏少", "线路安排过散，路上耗时较多"],
}
EFFECTIVENESS = {
    True: ["完成两笔定投", "拜访客户反馈较好，有两户意向"],
    False: ["效果一般，下周加强电话预约", "意向客户未能落实，需再跟进"],
}
KEY_CLIENTS_LISTED = 10  # names in a monthly plan's key-client list
MONTH_FOCUS = ["稳存增存，重点维护到期客户", "手机银行和信用卡交叉营销", "开展代发单位营销"]
ACCURACY = ["月初对保险销量预计偏乐观", "分析基本准确", "低估了节假日对到访客户的影响"]
LESSONS = ["电话预约后再拜访成功率高；不足：档案更新不及时", "定投营销话术有效；不足：重点客户拜访不够"]
RESOURCES = ["", "需要理财经理陪同", "申请产品说明会场地", "需要支行行长出面拜访"]


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class PlanningDemo:
    def __init__(self, *, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.now = timezone.now()
        self.start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        self.managers = list(
            Staff.objects.filter(roles__code="account_manager", is_active=True)
            .select_related("supervisor")
            .order_by("username")
        )
        # The products new clients are counted for: the catalogue of the performance sheet.
        self.lines = list(
            PerformanceItem.objects.filter(is_active=True, source="").values_list("code", flat=True)
        )
        active = PerformanceItem.objects.filter(is_active=True)
        self.items = list(active.filter(source="").values_list("code", flat=True))  # registered daily
        # Targets also on an indicator computed from real data: new clients reported in the logs.
        self.targeted = self.items + list(
            active.filter(code__in=COMPUTED_TARGETS).values_list("code", flat=True)
        )

    def build(self) -> None:
        days = []
        day = self.start
        while day <= self.today:
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        for number, manager in enumerate(self.managers, start=1):
            mine = [d for d in days if manager.hire_date is None or d >= manager.hire_date]
            for day in mine:
                self._log(number, manager, day)
            self._performance(number, manager, mine)
        self._earlier_registrations()
        self._waiting_for_am01()
        self._targets()
        self._follow_ups()
        self._plans()
        self._sales_reports()

    def _number(self, manager) -> int:
        try:
            return int(manager.username.removeprefix("am"))
        except ValueError:
            return 0

    def _log(self, number: int, manager, day: date) -> None:
        rng = self.rng
        number = self._number(manager) or number
        if day == self.today:
            # Today: am01 has not written it yet (the demo's login does); most others have.
            if number == 1 or rng.random() < 0.3:
                return
        elif rng.random() < MISSES.get(number, MISS_OTHERS):
            return
        written = _at(day, 17, rng.randint(0, 50))
        log = work_log_create(
            actor=manager,
            day=day,
            today=self.today,
            data={
                "prospects_visited": rng.randint(0, 5),
                "counter_consultations": rng.randint(3, 25),
                "phone_consultations": rng.randint(0, 12),
                "cooperation": rng.choice(COOPERATION),
                "problems": rng.choice(PROBLEMS),
                "other": rng.choice(OTHER),
            },
            # the slow AMs open fewer new clients, so they are behind on the logs' indicator too; the
            # fast one opens more
            openings={
                code: rng.choice(_openings_choices(PACE.get(number, 1.0)))
                for code in rng.sample(self.lines, min(3, len(self.lines)))
            },
        )
        if day == self.today:
            written = min(written, self.now - timedelta(minutes=rng.randint(5, 60)))
            if rng.random() < 0.2:
                self._backdate(log, written)
                return  # still a draft
        late = rng.random() < LATE.get(number, 0)
        submitted = (
            _at(calendar.next_working_day(day + timedelta(days=1)), 9, rng.randint(0, 40))
            if late
            else written
        )
        submitted = min(submitted, self.now - timedelta(minutes=1))
        self._backdate(log, min(written, submitted - timedelta(minutes=1)))
        log = document_transition(actor=manager, document=log, action="submit", at=submitted)
        supervisor = manager.supervisor
        read_on = calendar.next_working_day(day + timedelta(days=1))
        if supervisor is None or read_on >= self.today:
            return  # the last days' logs wait for the supervisor
        read_at = _at(read_on, rng.randint(9, 11), rng.randint(0, 59))
        if rng.random() < RETURNED:
            log = document_transition(
                actor=supervisor,
                document=log,
                action="return",
                comment=rng.choice(RETURN_COMMENTS),
                at=read_at,
            )
            log = work_log_update(
                actor=manager, log=log, data={"problems": (log.problems + "（已补充处理进展）").strip()}
            )
            log = document_transition(
                actor=manager, document=log, action="submit", at=read_at + timedelta(hours=2)
            )
            read_at += timedelta(hours=4)
        document_transition(
            actor=supervisor, document=log, action="review", comment=rng.choice(READ_COMMENTS), at=read_at
        )

    def _backdate(self, log: WorkLog, at: datetime) -> None:
        WorkLog.objects.filter(pk=log.pk).update(created_at=at, updated_at=at)
        log.events.filter(action__in=["create", "update"]).update(at=at)

    def _waiting_for_am01(self) -> None:
        """am01 finds his latest log returned with his supervisor's comment."""
        manager = next((m for m in self.managers if m.username == "am01"), None)
        if manager is None or manager.supervisor is None:
            return
        # The logs of the last days still wait for the supervisor (see _log); he returns the latest.
        log = (
            WorkLog.objects.filter(owner=manager, day__lt=self.today, state="submitted")
            .order_by("-day")
            .first()
        )
        if log is None:
            return
        at = max(log.submitted_at or self.now, _at(log.day, 18, 0)) + timedelta(hours=15)
        document_transition(
            actor=manager.supervisor,
            document=log,
            action="return",
            comment="客户开户数与业绩登记表不一致，请核对后重新提交",
            at=min(at, self.now),
        )

    def _performance(self, number: int, manager, days: list[date]) -> None:
        number = self._number(manager) or number
        pace = PACE.get(number, 1.0)
        by_month: dict[date, dict] = {}
        for day in days:
            if day == self.today and self.rng.random() < 0.5:
                continue  # today's figures come after business closes
            cells = by_month.setdefault(day.replace(day=1), {})
            for code in self.items:
                low, high = DAILY.get(code, (0, 2))
                drawn = self.rng.randint(low, high)
                if pace > 1:  # the fast AM sells some of every line every day: never behind by bad luck
                    drawn = max(drawn, 1)
                value = round(drawn * pace)
                if value:
                    cells[(code, day)] = Decimal(value)
        for month, cells in by_month.items():
            performance_sheet_save(
                actor=manager, month=month, cells=cells, expected_version=0, today=self.today
            )

    def _earlier_registrations(self) -> None:
        """The EARLIER_MONTHS before last month's: each AM's sheets as registered day by day (bulk
        rows; the services are kept for the two months shown in detail), a little less further back."""
        first = self.start
        for _month in range(EARLIER_MONTHS):
            first = (first - timedelta(days=1)).replace(day=1)
        items = dict(PerformanceItem.objects.filter(code__in=self.items).values_list("code", "pk"))
        days, day = [], first
        while day < self.start:
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        sheets, cells = [], []
        for number, manager in enumerate(self.managers, start=1):
            pace = PACE.get(self._number(manager) or number, 1.0)
            for day in days:
                if manager.hire_date is not None and day < manager.hire_date:
                    continue
                month = day.replace(day=1)
                if not sheets or sheets[-1].owner_id != manager.pk or sheets[-1].month != month:
                    sheets.append(
                        PerformanceSheet(
                            owner=manager,
                            org_node_id=manager.org_node_id,
                            month=month,
                            updated_at=_at(month_end(month), 18, 0),
                            updated_by=manager,
                        )
                    )
                months_back = (self.start.year - month.year) * 12 + self.start.month - month.month
                growth = 1 - (1 - GROWTH_FROM) * months_back / EARLIER_MONTHS
                for code, pk in items.items():
                    low, high = DAILY.get(code, (0, 2))
                    value = round(self.rng.randint(low, high) * pace * growth)
                    if value:
                        cells.append((len(sheets) - 1, pk, day, Decimal(value)))
        PerformanceSheet.objects.bulk_create(sheets, batch_size=500)
        PerformanceEntry.objects.bulk_create(
            (PerformanceEntry(sheet=sheets[s], item_id=pk, day=d, value=v) for s, pk, d, v in cells),
            batch_size=2000,
        )

    def _targets(self) -> None:
        """Last and this month's targets: split by each supervisor; two AMs propose this month's."""
        this_month = self.today.replace(day=1)
        teams: dict[int, list] = {}
        for manager in self.managers:
            if manager.supervisor_id:
                teams.setdefault(manager.supervisor_id, []).append(manager)
        for month in (self.start, this_month):
            days = _month_working_days(month)
            for members in teams.values():
                supervisor = members[0].supervisor
                sharing = [m for m in members if month != this_month or self._number(m) not in PROPOSES]
                if not sharing:
                    continue
                for code in self.targeted:
                    team_targets_split(
                        actor=supervisor,
                        month=month,
                        item_code=code,
                        total=_target(code, days) * len(sharing),
                        weights={m.pk: 1 for m in sharing},
                    )
        for manager in self.managers:
            approve = PROPOSES.get(self._number(manager))
            if approve is None or manager.supervisor is None:
                continue
            days = _month_working_days(this_month)
            sheet, _n = target_sheet_save(
                actor=manager,
                owner=manager,
                month=this_month,
                lines={code: {"target": _target(code, days)} for code in self.targeted},
                expected_version=0,
            )
            sheet = document_transition(actor=manager, document=sheet, action="submit")
            if approve:
                document_transition(actor=manager.supervisor, document=sheet, action="review", comment="同意")

    def _follow_ups(self) -> None:
        """Two clients per AM with planned actions; the slow AMs let some slip past their date."""
        if not Client.objects.exists():
            return
        for number, manager in enumerate(self.managers, start=1):
            number = self._number(manager) or number
            clients = list(
                Client.objects.filter(owner=manager).order_by("id").values_list("pk", flat=True)[:2]
            )
            for index, client_id in enumerate(clients):
                plan = follow_up_create(
                    actor=manager,
                    client_id=client_id,
                    client_type=["prospect", "won", "influence"][(number + index) % 3],
                    resources=self.rng.choice(RESOURCES),
                    actions=[
                        {"kind": "phone", "planned_on": self.today - timedelta(days=12)},
                        {"kind": "visit", "planned_on": self.today - timedelta(days=3 + index)},
                        {"kind": "financial_plan", "planned_on": self.today + timedelta(days=4 + index)},
                    ],
                    today=self.today,
                )
                slips = number in OVERDUE
                for action in plan.actions.order_by("planned_on"):
                    if action.planned_on >= self.today or (slips and action.kind == "visit"):
                        continue
                    if slips and action.kind == "phone" and index == 0:
                        continue
                    follow_up_action_done(
                        actor=manager,
                        action=action,
                        done_on=action.planned_on + timedelta(days=self.rng.randint(0, 1)),
                        outcome=self.rng.choice(OUTCOMES),
                        today=self.today,
                    )

    def _plans(self) -> None:
        """Weekly arrangements and summaries of last and this week, monthly plans of last and this
        month, last month's summaries: written, handed in by their due time and read, some missing."""
        this_week = week_start(self.today)
        this_month = self.today.replace(day=1)
        wanted = [
            ("arrangement", this_week - timedelta(days=7)),
            ("weekly-summary", this_week - timedelta(days=7)),
            ("arrangement", this_week),
            ("monthly-plan", self.start),
            ("monthly-summary", self.start),
            ("monthly-plan", this_month),
        ]
        for number, manager in enumerate(self.managers, start=1):
            number = self._number(manager) or number
            for kind, period in wanted:
                if kind in ("arrangement", "weekly-summary") and number in SKIPS_WEEKLY:
                    continue
                if kind == "monthly-summary" and number in SKIPS_MONTHLY_SUMMARY:
                    continue
                if kind == "arrangement" and period == this_week and number == 1:
                    continue  # am01 writes this week's himself
                self._plan(number, manager, kind, period)

    def _plan(self, number: int, manager, kind: str, period: date) -> None:
        rng = self.rng
        due = KINDS[kind].due_at(period)
        if kind == "monthly-summary" and due > self.now + timedelta(days=3):
            return
        data = {
            "arrangement": lambda: {
                "info_focus": rng.choice(INFO_FOCUS),
                "product_focus": rng.choice(PRODUCT_FOCUS),
                "other": rng.choice(OTHER_PLANS),
            },
            "weekly-summary": lambda: _weekly_summary(rng),
            "monthly-plan": lambda: dict(
                zip(("clients_to_visit", "key_clients_to_visit"), archive_counts(manager), strict=True),
                focus=rng.choice(MONTH_FOCUS),
                key_clients_note=_key_clients(manager),
            ),
            "monthly-summary": lambda: {
                "analysis_accuracy": rng.choice(ACCURACY),
                "lessons": rng.choice(LESSONS),
            },
        }[kind]()
        document, _changed = plan_document_save(
            actor=manager, kind=kind, period=period, data=data, expected_version=0, today=self.today
        )
        submitted = min(due - timedelta(hours=rng.randint(2, 30)), self.now - timedelta(minutes=5))
        if kind in ("weekly-summary", "monthly-summary"):  # handed in from the period's last working day
            field = KINDS[kind].period_field
            first = summary_submittable_from(**{field: period})
            earliest = timezone.make_aware(datetime.combine(first, time(9)))
            if earliest > self.now - timedelta(minutes=5):
                return  # not yet: stays a draft
            submitted = max(submitted, earliest)
        written = submitted - timedelta(minutes=rng.randint(10, 90))
        model = KINDS[kind].model
        model.objects.filter(pk=document.pk).update(created_at=written, updated_at=written)
        document.events.filter(action="create").update(at=written)
        document = document_transition(actor=manager, document=document, action="submit", at=submitted)
        supervisor = manager.supervisor
        read_at = submitted + timedelta(hours=rng.randint(14, 40))
        if supervisor is None or read_at >= self.now:
            return  # waits for the supervisor
        if number == 1 and kind == "arrangement":
            document_transition(
                actor=supervisor,
                document=document,
                action="return",
                comment="请写明本周重点拜访的客户和营销的产品",
                at=read_at,
            )
            return
        document_transition(
            actor=supervisor,
            document=document,
            action="review",
            comment=rng.choice(READ_COMMENTS),
            at=read_at,
        )

    def _sales_reports(self) -> None:
        """Monthly client sales analysis reports of the last three months: most read on time; am02's
        of two months ago came back with a comment, am05's was late, am09's is missing (overdue on
        the board); last month's: am01 (the demo's login) has a draft, the others hand it in once it
        is due or soon before."""
        from amdesk.planning.services.sales_reports import report_month, sales_report_due_at

        last = report_month(self.today)
        months = [report_month(report_month(last)), report_month(last), last]
        for month in months:
            due = sales_report_due_at(month)
            for number, manager in enumerate(self.managers, start=1):
                number = self._number(manager) or number
                if manager.hire_date and manager.hire_date > month_end(month):
                    continue
                if month == months[1] and number == 9:
                    continue  # missing: overdue on the board and the desk
                self._sales_report(number, manager, month, due, draft=(month == last and number == 1))

    def _sales_report(self, number: int, manager, month: date, due: datetime, *, draft: bool) -> None:
        from amdesk.planning.services.sales_reports import next_month, sales_report_save

        rng = self.rng
        opened = timezone.make_aware(datetime.combine(next_month(month), time(9)))
        if opened >= self.now:
            return
        data = {
            "problems": rng.choice(SALES_PROBLEMS),
            "opinions": rng.choice(SALES_OPINIONS),
            "outlook": rng.choice(SALES_OUTLOOK),
        }
        report, _changed = sales_report_save(
            actor=manager, month=month, data=data, expected_version=0, today=self.today
        )
        if draft:
            return
        late = number == 5 and month != report_month_of(self.today)
        submitted = due + timedelta(hours=20) if late else due - timedelta(hours=rng.randint(3, 60))
        submitted = max(submitted, opened + timedelta(hours=1))
        if submitted >= self.now - timedelta(minutes=5):
            if due > self.now + timedelta(days=1):
                return  # not yet due: stays a draft for a while
            submitted = self.now - timedelta(minutes=30)
        written = submitted - timedelta(minutes=rng.randint(20, 120))
        type(report).objects.filter(pk=report.pk).update(created_at=written, updated_at=written)
        report.events.filter(action="create").update(at=written)
        report = document_transition(actor=manager, document=report, action="submit", at=submitted)
        supervisor = manager.supervisor
        read_at = submitted + timedelta(hours=rng.randint(6, 30))
        if supervisor is None or read_at >= self.now:
            return
        if number == 2 and month == report_month_of(report_month_of(self.today).replace(day=1)):
            document_transition(
                actor=supervisor,
                document=report,
                action="return",
                comment="请补充资产下降客户的原因分析和下月挽回措施",
                at=read_at,
            )
            return
        document_transition(
            actor=supervisor, document=report, action="review", comment=rng.choice(READ_COMMENTS), at=read_at
        )


def report_month_of(day: date) -> date:
    """The month reported on at `day`: the previous month."""
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


SALES_PROBLEMS = [
    "两户客户理财到期后资金转出他行，原因是他行收益率略高。对策：上门拜访，介绍新发行的固定收益产品。",
    "信用卡分期业务下滑，客户对手续费敏感。对策：结合节日活动推介免息分期。",
    "重点客户拜访不足，部分客户超期未访。对策：下周优先安排超期重点客户。",
]
SALES_OPINIONS = [
    "客户普遍反映网点排队时间长，希望增加午间窗口。",
    "多位客户希望手机银行增加理财到期提醒。",
    "客户对新推出的养老理财产品兴趣较大，希望有更多讲解。",
]
SALES_OUTLOOK = [
    "下月有三笔定期存款到期，预计部分转存理财，整体与本月持平。",
    "年末揽储旺季，预计存款类业务增长，保险业务略有回落。",
    "节前消费旺季，信用卡与分期业务预计上升。",
]


def _weekly_summary(rng: random.Random) -> dict:
    sound, effective = rng.random() < 0.8, rng.random() < 0.7
    return {
        "plan_sound": sound,
        "soundness": rng.choice(SOUNDNESS[sound]),
        "effective": effective,
        "effectiveness": rng.choice(EFFECTIVENESS[effective]),
    }


def _key_clients(manager) -> str:
    """The monthly plan's key clients to visit: his key clients in the archive (as archive_counts)."""
    names = (
        Client.objects.filter(owner=manager, tier__is_key=True, offboarded_on__isnull=True)
        .exclude(lifecycle=Client.Lifecycle.LOST)
        .order_by("id")
        .values_list("name", flat=True)[:KEY_CLIENTS_LISTED]
    )
    return "、".join(names)


def _openings_choices(pace: float) -> list[int]:
    """New clients a log reports for one product, by the AM's pace."""
    if pace > 1:
        return [0, 0, 1, 1, 2, 2]
    return [0, 0, 0, 1, 1, 2] if pace >= 1 else [0, 0, 0, 1]


def _target(code: str, working_days: int) -> Decimal:
    low, high = DAILY.get(code, (0, 2))
    return Decimal(round((low + high) / 2 * working_days * TARGET_PACE))


def _month_working_days(month: date) -> int:
    day, count = month, 0
    while day <= month_end(month):
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    return count


def build_planning(*, rng: random.Random, today: date) -> None:
    PlanningDemo(rng=rng, today=today).build()
