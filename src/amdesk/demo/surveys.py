"""Demo satisfaction surveys: the default questionnaire, two finished quarterly rounds and one open,
partly answered. A round surveys the quarter before it runs (see surveys.services.schedule): the
open round, running this quarter, asks about last quarter; the finished ones about the two quarters
before, each run in the first month of the quarter after its own. The settings name the default
questionnaire, so the daily job prepares the next round (this quarter's) by itself.

Each round samples a few won clients per account manager (so the rows stay bounded whatever the
number of clients) and goes through the services exactly as people would: the round is created and
opened, the AMs record answers on visits and by phone or issue links the clients answer on, the
finished rounds are closed (unanswered links expire, AMs with a low index get an improvement action),
and most of those actions are recorded by the AM and reviewed by his supervisor. Afterwards the
timestamps are moved back in bulk to when these things happened in the quarter.

Every AM has a level of service: most score well, two (one of them am01, the demo's login) score
low, and each level drifts a little from quarter to quarter, so the index has a trend.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from amdesk.orgs.models import Staff
from amdesk.surveys.models import (
    ImprovementAction,
    Question,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
    SurveySettings,
)
from amdesk.surveys.services import (
    improvement_action_record,
    improvement_action_review,
    period_name,
    quarter_of,
    questionnaire_default,
    survey_answer_by_token,
    survey_answer_record,
    survey_link_issue,
    survey_round_close,
    survey_round_create,
    survey_round_open,
)

SAMPLE = 6  # clients per account manager and round
# Mean rating (1–5) of each AM's clients, by AM number; the rest draw between GOOD.
LEVELS = {1: 3.3, 4: 3.0}
GOOD = (4.3, 4.8)
DRIFT = 0.25  # how far the level moves from one quarter to the next
ANSWERED_PAST = (0.7, 0.9)  # share answered in a finished round
ANSWERED_NOW = (0.3, 0.5)  # share answered so far in the open round
RUN_DAYS = 30  # a round stays open this long from the start of the quarter after its period

PRAISE = [
    "客户经理服务热情，办事效率高",
    "产品介绍清楚，很专业",
    "有问题总能及时回复，很满意",
    "上门服务很方便，希望继续保持",
]
COMPLAINTS = [
    "电话经常打不通，回复不够及时",
    "希望客户经理多来走访，及时告知新产品",
    "办理业务等待时间较长",
    "对理财产品的风险讲解不够清楚",
]
ANALYSES = [
    "本季度走访频次偏低，重点客户回访不及时，客户对响应速度评价较低。",
    "部分客户反映产品讲解不够清楚，说明本人对新产品的掌握还不够。",
]
MEASURES = [
    "每周固定两天上门走访重点客户；客户来电当日回复；每月参加一次产品培训。",
    "建立客户需求台账，逐户电话回访；向主管申请陪访，提升产品讲解能力。",
]
REVIEWS = ["措施可行，请按计划执行，下季度重点跟踪", "同意，注意回访记录留痕"]


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(9, 17), rng.randint(0, 59))))


def _previous_quarter(start: date) -> tuple[date, date]:
    return quarter_of(start - timedelta(days=1))


class SurveyDemo:
    def __init__(self, *, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.admin = Staff.objects.filter(Q(roles__code="system_admin") | Q(is_superuser=True)).first()
        managers = Staff.objects.filter(roles__code="account_manager", is_active=True).order_by("username")
        self.managers = list(managers.distinct())
        self.level = {}
        for number, manager in enumerate(self.managers, 1):
            self.level[manager.pk] = LEVELS.get(number, rng.uniform(*GOOD))
        # The AMs meant to score low: all their clients answer a finished round, so that they have
        # the responses an improvement action needs (a random share may leave them too few).
        self.low_owners = {manager.pk for number, manager in enumerate(self.managers, 1) if number in LEVELS}

    def build(self) -> None:
        if self.admin is None or not self.managers:
            return
        self.questionnaire = questionnaire_default(actor=None)
        self.questions = list(
            Question.objects.filter(questionnaire=self.questionnaire).prefetch_related("options")
        )
        current = quarter_of(self.today)
        last = _previous_quarter(current[0])
        before = _previous_quarter(last[0])
        earliest = _previous_quarter(before[0])
        for period, runs_in, reviewed in ((earliest, before, True), (before, last, False)):
            self._drift()
            opens_on = runs_in[0]
            closes_on = opens_on + timedelta(days=RUN_DAYS - 1)
            # Answers are taken only until a round's last day: the finished round runs until today
            # while it is answered and closed, then gets back the days it really ran.
            # (today as the services see it: a demo built for another day still answers today)
            answering_until = max(self.today, timezone.localdate())
            survey_round = self._round(period, opens_on=opens_on, closes_on=answering_until)
            self._answer(survey_round, self.rng.uniform(*ANSWERED_PAST), links_work=False)
            survey_round_close(actor=self.admin, survey_round=survey_round)
            SurveyRound.objects.filter(pk=survey_round.pk).update(closes_on=closes_on)
            survey_round.closes_on = closes_on
            self._actions(survey_round, reviewed=reviewed)
            self._backdate(survey_round)
        self._drift()
        opens_on = max(current[0], self.today - timedelta(days=20))
        closes_on = max(opens_on + timedelta(days=RUN_DAYS - 1), self.today + timedelta(days=7))
        survey_round = self._round(last, opens_on=opens_on, closes_on=closes_on)
        self._answer(survey_round, self.rng.uniform(*ANSWERED_NOW), links_work=True, pending_links=True)
        self._backdate(survey_round)
        settings = SurveySettings.current()
        settings.default_questionnaire = self.questionnaire
        settings.save(update_fields=["default_questionnaire"])

    def _drift(self) -> None:
        for pk, level in self.level.items():
            self.level[pk] = min(4.9, max(2.5, level + self.rng.uniform(-DRIFT, DRIFT)))

    def _round(self, period: tuple[date, date], *, opens_on: date, closes_on: date) -> SurveyRound:
        survey_round = survey_round_create(
            actor=self.admin,
            questionnaire=self.questionnaire,
            name=period_name(*period),
            period_start=period[0],
            period_end=period[1],
            opens_on=opens_on,
            closes_on=closes_on,
            target=SurveyRound.Target.SAMPLE,
            sample_size=SAMPLE,
            sample_seed=self.rng.randrange(2**31),
        )
        survey_round_open(actor=self.admin, survey_round=survey_round)
        return survey_round

    def _answers(self, level: float) -> dict:
        answers = {}
        for question in self.questions:
            if question.kind == Question.Kind.RATING_5:
                answers[question.pk] = min(5, max(1, round(self.rng.gauss(level, 0.6))))
            elif question.kind == Question.Kind.RATING_10:
                answers[question.pk] = min(10, max(1, round(self.rng.gauss(level * 2, 1.2))))
            elif question.kind == Question.Kind.NPS:
                answers[question.pk] = min(10, max(0, round(self.rng.gauss(level * 2 + 0.5, 1.3))))
            elif question.is_choice:
                options = list(question.options.all())
                answers[question.pk] = self.rng.choice(options).pk if options else None
            elif self.rng.random() < 0.4:
                answers[question.pk] = self.rng.choice(PRAISE if level >= 4.2 else COMPLAINTS)
        return answers

    def _answer(
        self, survey_round: SurveyRound, share: float, *, links_work: bool, pending_links: bool = False
    ):
        """About `share` of the invitations answered: on a link, on a visit or by phone."""
        invitations = list(
            SurveyInvitation.objects.filter(round=survey_round).select_related("round").order_by("id")
        )
        # A finished quarter's links would already have expired: those answers are recorded, then
        # marked as given on the link (as they were, back then).
        on_link = []
        for invitation in invitations:
            skipped = self.rng.random() >= share
            if skipped and (links_work or invitation.owner_id not in self.low_owners):
                # Unanswered: in the open round, half of them have a link waiting for the client.
                if pending_links and self.rng.random() < 0.5:
                    survey_link_issue(actor=invitation.owner, invitation=invitation)
                continue
            answers = self._answers(self.level[invitation.owner_id])
            how = self.rng.random()
            if how < 0.4 and links_work:
                token = survey_link_issue(actor=invitation.owner, invitation=invitation)
                survey_answer_by_token(token=token, answers=answers)
                continue
            mode = SurveyResponse.Mode.VISIT if how < 0.8 else SurveyResponse.Mode.PHONE
            response = survey_answer_record(
                actor=invitation.owner, invitation=invitation, answers=answers, mode=mode
            )
            if how < 0.4:
                on_link.append(response.pk)
        SurveyResponse.objects.filter(pk__in=on_link).update(mode=SurveyResponse.Mode.LINK, recorded_by=None)
        SurveyInvitation.objects.filter(response__in=on_link).update(channel=SurveyInvitation.Channel.LINK)

    def _actions(self, survey_round: SurveyRound, *, reviewed: bool) -> None:
        """The older round's actions are recorded and accepted; the last round's mostly waiting."""
        actions = ImprovementAction.objects.filter(round=survey_round).select_related("owner").order_by("id")
        for position, action in enumerate(actions):
            if not reviewed and position % 2 == 0:
                continue  # still to be recorded by the AM
            improvement_action_record(
                actor=action.owner,
                action=action,
                version=action.version,
                analysis=self.rng.choice(ANALYSES),
                measures=self.rng.choice(MEASURES),
            )
            supervisor = action.owner.supervisor
            if reviewed and supervisor is not None:
                improvement_action_review(
                    actor=supervisor,
                    action=action,
                    version=action.version,
                    accept=True,
                    comment=self.rng.choice(REVIEWS),
                )

    def _backdate(self, survey_round: SurveyRound) -> None:
        """Move the round's timestamps to when they happened in its quarter (a handful of bulk updates)."""
        opens, closes = survey_round.opens_on, survey_round.closes_on
        last_day = min(closes, self.today)
        span = max((last_day - opens).days, 0)
        opened_at = _at(opens, self.rng)
        SurveyRound.objects.filter(pk=survey_round.pk).update(
            opened_at=opened_at,
            created_at=opened_at - timedelta(days=3),
            closed_at=_at(closes + timedelta(days=1), self.rng) if survey_round.closed_at else None,
        )
        SurveyInvitation.objects.filter(round=survey_round).update(created_at=opened_at)
        responses = list(SurveyResponse.objects.filter(round=survey_round).select_related("invitation"))
        invitations = []
        for response in responses:
            response.answered_at = _at(opens + timedelta(days=self.rng.randint(0, span)), self.rng)
            response.answered_at = min(response.answered_at, timezone.now())
            response.invitation.answered_at = response.answered_at
            invitations.append(response.invitation)
        SurveyResponse.objects.bulk_update(responses, ["answered_at"], batch_size=1000)
        SurveyInvitation.objects.bulk_update(invitations, ["answered_at"], batch_size=1000)
        if survey_round.closed_at:
            closed = closes + timedelta(days=1)
            for action in ImprovementAction.objects.filter(round=survey_round):
                values = {"created_at": _at(closed, self.rng), "due_on": closed + timedelta(days=15)}
                if action.recorded_at:
                    values["recorded_at"] = _at(closed + timedelta(days=self.rng.randint(3, 10)), self.rng)
                if action.reviewed_at:
                    values["reviewed_at"] = values["recorded_at"] + timedelta(days=self.rng.randint(1, 3))
                ImprovementAction.objects.filter(pk=action.pk).update(**values)


def build_surveys(*, rng: random.Random, today: date) -> None:
    SurveyDemo(rng=rng, today=today).build()
