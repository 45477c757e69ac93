"""When rounds run: periods by the settings' cadence, what the new-round form proposes, and the daily
job (`amdesk survey-rounds`) that prepares the next round, opens due ones and closes ended ones.

A round's period is the period *surveyed*: the service the clients rate, and for the "clients
visited" segment the visits that select them. A round runs after its period: by default it surveys
the last full period before it opens (a round opened on 1 April asks about January–March), because
a period that has only just begun has no visits and little service to rate yet.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from amdesk.core.i18n import quarter_label

from ..models import Questionnaire, SurveyRound, SurveySettings
from .rounds import survey_round_close, survey_round_create, survey_round_open


def period_of(day: date, months: int) -> tuple[date, date]:
    """First and last day of the `months`-month period holding the day. Periods are counted in
    whole months from January of year 0, so those of 1, 2, 3, 4, 6 or 12 months start with the year."""
    first = (day.year * 12 + day.month - 1) // months * months
    after = first + months
    start = date(first // 12, first % 12 + 1, 1)
    return start, date(after // 12, after % 12 + 1, 1) - timedelta(days=1)


def quarter_of(day: date) -> tuple[date, date]:
    """First and last day of the day's quarter."""
    return period_of(day, 3)


def previous_period(day: date, months: int) -> tuple[date, date]:
    """The full period before the one holding the day."""
    return period_of(period_of(day, months)[0] - timedelta(days=1), months)


def period_name(start: date, end: date) -> str:
    """The usual name of a round over a period (rounds' names are data, in the users' language)."""
    if (start, end) == quarter_of(start):
        # Stored data, so in the organisation's language whoever creates the round.
        with translation.override(settings.LANGUAGE_CODE):
            return f"{quarter_label(start.year, (start.month - 1) // 3 + 1)}客户满意度调查"
    if (start, end) == period_of(start, 12):
        return f"{start.year} 年度客户满意度调查"
    if start.year == end.year:
        months = f"{start.month} 月" if start.month == end.month else f"{start.month}–{end.month} 月"
        return f"{start.year} 年 {months}客户满意度调查"
    return f"{start:%Y.%m}–{end:%Y.%m} 客户满意度调查"


@dataclass
class RoundDefaults:
    name: str
    period_start: date
    period_end: date
    opens_on: date
    closes_on: date


def survey_round_defaults(*, today: date | None = None) -> RoundDefaults:
    """What the new-round form proposes: the last full period before today (by the settings' cadence,
    a quarter by default), open from today for the settings' number of days."""
    today = today or timezone.localdate()
    settings = SurveySettings.current()
    start, end = previous_period(today, settings.cadence_months)
    return RoundDefaults(
        name=period_name(start, end),
        period_start=start,
        period_end=end,
        opens_on=today,
        closes_on=today + timedelta(days=settings.round_open_days - 1),
    )


def _default_questionnaire(settings: SurveySettings) -> Questionnaire | None:
    """The latest published edition of the settings' questionnaire (editions share the code)."""
    chosen = settings.default_questionnaire
    if chosen is None:
        return None
    return (
        Questionnaire.objects.filter(code=chosen.code, state=Questionnaire.State.PUBLISHED)
        .order_by("-edition")
        .first()
    )


@transaction.atomic
def survey_round_prepare(*, today: date | None = None) -> SurveyRound | None:
    """The daily job's planning step: the whole-organisation draft round that surveys the current
    period (by the cadence) and opens on the first day of the next one, from the settings' default
    questionnaire and segment. Idempotent: nothing when such a round (in any state, made by hand or
    by an earlier run) already covers the period, or when the settings name no questionnaire.

    The draft waits for the opening day, so a supervisor may adjust it (segment, dates) before."""
    today = today or timezone.localdate()
    settings = SurveySettings.current()
    questionnaire = _default_questionnaire(settings)
    if questionnaire is None:
        return None
    start, end = period_of(today, settings.cadence_months)
    covered = SurveyRound.objects.filter(
        questionnaire__code=questionnaire.code,
        org_node__isnull=True,
        period_start__lte=end,
        period_end__gte=start,
    )
    if covered.exists():
        return None
    opens_on = end + timedelta(days=1)
    return survey_round_create(
        actor=None,
        questionnaire=questionnaire,
        name=period_name(start, end),
        period_start=start,
        period_end=end,
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=settings.round_open_days - 1),
        target=settings.default_target,
        sample_size=None,
        org_node=None,
    )


@dataclass
class RunResult:
    opened: list[tuple[int, int]]  # (round id, invitations)
    closed: list[tuple[int, int]]  # (round id, improvement actions)
    prepared: list[int] = field(default_factory=list)  # round ids created as drafts


def survey_rounds_run(*, today: date | None = None) -> RunResult:
    """The cron job (`amdesk survey-rounds`): prepare the next round (see survey_round_prepare), open
    due draft rounds and close ended open ones (their unanswered invitations and links expire).
    Each step is its own transaction."""
    today = today or timezone.localdate()
    result = RunResult(opened=[], closed=[])
    prepared = survey_round_prepare(today=today)
    if prepared is not None:
        result.prepared.append(prepared.pk)
    for survey_round in SurveyRound.objects.filter(
        state=SurveyRound.State.DRAFT, opens_on__lte=today, closes_on__gte=today
    ).select_related("questionnaire"):
        try:
            result.opened.append((survey_round.pk, survey_round_open(actor=None, survey_round=survey_round)))
        except ValidationError:
            continue  # e.g. its questionnaire was archived: left as a draft for a person to fix
    for survey_round in SurveyRound.objects.filter(state=SurveyRound.State.OPEN, closes_on__lt=today):
        result.closed.append((survey_round.pk, survey_round_close(actor=None, survey_round=survey_round)))
    return result


__all__ = [
    "RoundDefaults",
    "RunResult",
    "period_name",
    "period_of",
    "previous_period",
    "quarter_of",
    "survey_round_defaults",
    "survey_round_prepare",
    "survey_rounds_run",
]
