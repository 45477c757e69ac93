"""Survey rounds: who may run them, which clients they ask, opening set-based, closing, the cron."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from amdesk.clients.models import Client
from amdesk.surveys.models import ImprovementAction, SurveyInvitation, SurveyRound, SurveySettings
from amdesk.surveys.services import (
    period_of,
    previous_period,
    quarter_of,
    questionnaire_archive,
    survey_round_close,
    survey_round_create,
    survey_round_defaults,
    survey_round_open,
    survey_round_targets,
    survey_round_update,
    survey_rounds_run,
)
from tests.clients.factories import by_code, make_client
from tests.visits.factories import record_visit

from .factories import answer, invitation_of, make_questionnaire, make_round

pytestmark = pytest.mark.django_db


def _bulk_clients(owner, n: int, **data) -> list[Client]:
    """Many clients at once, without the archive services (fast): only what targeting reads."""
    data = by_code(data)  # tier="key" → the preset's tier
    return Client.objects.bulk_create(
        Client(name=f"客户{i}", owner=owner, org_node=owner.org_node, **data) for i in range(n)
    )


def test_quarter_of():
    assert quarter_of(date(2026, 11, 23)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_of(date(2026, 2, 28)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_of(date(2026, 9, 30)) == (date(2026, 7, 1), date(2026, 9, 30))


def test_defaults_propose_the_last_full_quarter(db):
    # A round created in November surveys July–September: the quarter it runs in has barely begun
    defaults = survey_round_defaults(today=date(2026, 11, 23))
    assert defaults.name == "2026年第3季度客户满意度调查"
    assert (defaults.period_start, defaults.period_end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert defaults.opens_on == date(2026, 11, 23)
    assert defaults.closes_on == date(2026, 11, 23) + timedelta(
        days=SurveySettings.current().round_open_days - 1
    )
    # over a year boundary, and with another cadence
    assert survey_round_defaults(today=date(2027, 1, 2)).period_start == date(2026, 10, 1)
    SurveySettings.objects.update_or_create(pk=1, defaults={"cadence_months": 6})
    half = survey_round_defaults(today=date(2026, 11, 23))
    assert (half.period_start, half.period_end) == (date(2026, 1, 1), date(2026, 6, 30))


def test_periods_by_cadence():
    assert period_of(date(2026, 11, 23), 1) == (date(2026, 11, 1), date(2026, 11, 30))
    assert period_of(date(2026, 11, 23), 6) == (date(2026, 7, 1), date(2026, 12, 31))
    assert period_of(date(2026, 2, 1), 12) == (date(2026, 1, 1), date(2026, 12, 31))
    assert previous_period(date(2026, 1, 15), 3) == (date(2025, 10, 1), date(2025, 12, 31))


def test_a_round_created_at_a_quarter_start_asks_the_clients_visited_last_quarter(
    admin, account_manager, time_machine
):
    # Given a client visited in September and one not visited
    visited = make_client(account_manager, name="九月拜访", lifecycle="won")
    make_client(account_manager, name="没拜访", lifecycle="won")
    time_machine.move_to(datetime(2026, 9, 15, 15, 0, tzinfo=timezone.get_current_timezone()))
    record_visit(account_manager, visited, mode="phone")
    # When a "clients visited" round is made with the proposed dates on 2 October
    time_machine.move_to(datetime(2026, 10, 2, 9, 0, tzinfo=timezone.get_current_timezone()))
    defaults = survey_round_defaults()
    survey_round = survey_round_create(
        actor=admin,
        questionnaire=make_questionnaire(admin),
        name=defaults.name,
        period_start=defaults.period_start,
        period_end=defaults.period_end,
        opens_on=defaults.opens_on,
        closes_on=defaults.closes_on,
        target=SurveyRound.Target.VISITED,
    )
    survey_round_open(actor=admin, survey_round=survey_round)
    # Then September's visit counts (the quarter surveyed), although October has no visit yet
    assert [i.client_id for i in survey_round.invitations.all()] == [visited.pk]


def test_who_may_run_a_round(admin, branch_head, supervisor, account_manager, org):
    questionnaire = make_questionnaire(admin)
    kwargs = {
        "questionnaire": questionnaire,
        "name": "Q4",
        "period_start": date(2026, 10, 1),
        "period_end": date(2026, 12, 31),
        "opens_on": date(2026, 11, 1),
        "closes_on": date(2026, 12, 31),
    }
    assert survey_round_create(actor=admin, **kwargs).org_node is None
    assert survey_round_create(actor=branch_head, org_node=org.br, **kwargs)
    assert survey_round_create(actor=supervisor, org_node=org.tm1, **kwargs)
    for actor, node in (
        (supervisor, None),
        (supervisor, org.tm3),
        (branch_head, None),
        (account_manager, org.tm1),
    ):
        with pytest.raises(PermissionDenied):
            survey_round_create(actor=actor, org_node=node, **kwargs)


def test_round_needs_a_published_questionnaire_and_ordered_dates(admin):
    draft = make_questionnaire(admin, publish=False)
    with pytest.raises(ValidationError):
        make_round(admin, draft)
    published = make_questionnaire(admin)
    with pytest.raises(ValidationError):
        survey_round_create(
            actor=admin,
            questionnaire=published,
            name="Q4",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 12, 31),
            opens_on=date(2026, 12, 1),
            closes_on=date(2026, 11, 1),
        )


def test_key_clients_of_the_unit_are_invited_with_their_owner_and_node(
    admin, account_manager, team2_manager, other_manager, org
):
    key = make_client(account_manager, name="重点甲", tier="key", lifecycle="won")
    make_client(account_manager, name="一般乙", tier="ordinary", lifecycle="won")
    make_client(account_manager, name="流失丙", tier="key", lifecycle="lost")
    key2 = make_client(team2_manager, name="重点丁", tier="key", lifecycle="won")
    make_client(other_manager, name="重点戊", tier="key", lifecycle="won")  # team 3, outside SB1
    survey_round = make_round(admin, org_node=org.sb1)
    invited = {(i.client_id, i.owner_id, i.org_node_id) for i in survey_round.invitations.all()}
    assert invited == {
        (key.pk, account_manager.pk, org.tm1.pk),
        (key2.pk, team2_manager.pk, org.tm2.pk),
    }
    survey_round.refresh_from_db()
    assert survey_round.state == SurveyRound.State.OPEN and survey_round.opened_at


def test_won_clients_target(admin, account_manager):
    won = make_client(account_manager, name="甲", lifecycle="won")
    make_client(account_manager, name="乙", lifecycle="prospect")
    survey_round = make_round(admin, target=SurveyRound.Target.WON_CLIENTS)
    assert [i.client_id for i in survey_round.invitations.all()] == [won.pk]


def test_visited_in_the_period(admin, account_manager):
    visited = make_client(account_manager, name="拜访过", lifecycle="won")
    make_client(account_manager, name="没拜访", lifecycle="won")
    record_visit(account_manager, visited, mode="phone")
    survey_round = make_round(
        admin, target=SurveyRound.Target.VISITED, start=timezone.localdate().replace(day=1)
    )
    assert [i.client_id for i in survey_round.invitations.all()] == [visited.pk]
    # a round over an earlier period does not count today's visit
    earlier = make_round(
        admin,
        target=SurveyRound.Target.VISITED,
        start=timezone.localdate().replace(day=1) - timedelta(days=200),
    )
    assert not earlier.invitations.exists()


def test_sample_takes_n_per_manager_deterministically(admin, account_manager, team2_manager):
    _bulk_clients(account_manager, 12, lifecycle="won")
    _bulk_clients(account_manager, 5, lifecycle="prospect")  # never sampled
    _bulk_clients(team2_manager, 3, lifecycle="influencer")  # fewer than N: all of them
    questionnaire = make_questionnaire(admin)
    sample = {"target": SurveyRound.Target.SAMPLE, "sample_size": 5, "open_it": False}
    start = date(2026, 1, 1)  # three periods: rounds of one questionnaire and unit never overlap
    first = make_round(admin, questionnaire, sample_seed=42, start=start, **sample)
    again = make_round(admin, questionnaire, sample_seed=42, start=start + timedelta(days=90), **sample)
    other = make_round(admin, questionnaire, sample_seed=7, start=start + timedelta(days=180), **sample)
    picked = [r["id"] for r in survey_round_targets(first)]
    assert len(picked) == 8
    per_owner = {}
    for row in survey_round_targets(first):
        per_owner[row["owner_id"]] = per_owner.get(row["owner_id"], 0) + 1
    assert per_owner == {account_manager.pk: 5, team2_manager.pk: 3}
    assert Client.objects.filter(pk__in=picked, lifecycle="prospect").count() == 0
    assert sorted(picked) == sorted(r["id"] for r in survey_round_targets(again))
    assert sorted(picked) != sorted(r["id"] for r in survey_round_targets(other))
    assert survey_round_open(actor=admin, survey_round=first) == 8


def test_sample_size_defaults_to_the_settings(admin, account_manager):
    SurveySettings.objects.update_or_create(pk=1, defaults={"sample_per_manager": 4})
    _bulk_clients(account_manager, 9, lifecycle="won")
    survey_round = make_round(admin, target=SurveyRound.Target.SAMPLE)
    assert survey_round.invitations.count() == 4


def test_opening_is_set_based(admin, account_manager, team2_manager, django_assert_max_num_queries):
    _bulk_clients(account_manager, 300, tier="key", lifecycle="won")
    _bulk_clients(team2_manager, 300, tier="key", lifecycle="won")
    survey_round = make_round(admin, open_it=False)
    with django_assert_max_num_queries(8):
        assert survey_round_open(actor=admin, survey_round=survey_round) == 600
    with pytest.raises(ValidationError):
        survey_round_open(actor=admin, survey_round=survey_round)


def test_close_expires_pending_and_creates_improvement_actions(
    admin, account_manager, team2_manager, supervisor
):
    SurveySettings.objects.update_or_create(
        pk=1, defaults={"low_score_threshold": 80, "min_responses_for_action": 2}
    )
    low = [make_client(account_manager, name=f"甲{i}", tier="key", lifecycle="won") for i in range(3)]
    high = [make_client(team2_manager, name=f"乙{i}", tier="key", lifecycle="won") for i in range(2)]
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, low[0]), rating5=3, rating10=5)  # (3·50 + 1·44.44)/4 = 48.61
    answer(invitation_of(survey_round, low[1]), rating5=5, rating10=10)  # 100 → mean 74.3 < 80
    answer(invitation_of(survey_round, high[0]), rating5=5, rating10=10)
    answer(invitation_of(survey_round, high[1]), rating5=5, rating10=7)  # mean ≥ 80
    assert survey_round_close(actor=admin, survey_round=survey_round) == 1
    action = ImprovementAction.objects.get()
    assert action.owner == account_manager and action.state == ImprovementAction.State.OPEN
    assert float(action.index) == pytest.approx((48.61 + 100) / 2, abs=0.01)
    assert action.responses == 2
    assert invitation_of(survey_round, low[2]).state == SurveyInvitation.State.EXPIRED
    survey_round.refresh_from_db()
    assert survey_round.state == SurveyRound.State.CLOSED
    with pytest.raises(ValidationError):
        survey_round_close(actor=admin, survey_round=survey_round)


def test_too_few_responses_get_no_action(admin, account_manager):
    SurveySettings.objects.update_or_create(pk=1, defaults={"min_responses_for_action": 3})
    client = make_client(account_manager, tier="key", lifecycle="won")
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, client), rating5=1, rating10=1)
    assert survey_round_close(actor=admin, survey_round=survey_round) == 0


def test_cron_opens_due_rounds_and_closes_ended_ones(admin, account_manager, time_machine):
    make_client(account_manager, tier="key", lifecycle="won")
    questionnaire = make_questionnaire(admin)
    today = timezone.localdate()
    due = survey_round_create(
        actor=admin,
        questionnaire=questionnaire,
        name="到期开启",
        period_start=today.replace(day=1),
        period_end=today + timedelta(days=30),
        opens_on=today,
        closes_on=today + timedelta(days=10),
    )
    later = survey_round_create(
        actor=admin,
        questionnaire=questionnaire,
        name="下季度",
        period_start=today + timedelta(days=40),
        period_end=today + timedelta(days=120),
        opens_on=today + timedelta(days=100),
        closes_on=today + timedelta(days=120),
    )
    out = StringIO()
    call_command("survey-rounds", stdout=out)
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.state == SurveyRound.State.OPEN and due.invitations.count() == 1
    assert later.state == SurveyRound.State.DRAFT
    assert "到期开启" in out.getvalue()
    result = survey_rounds_run(today=today + timedelta(days=11))
    due.refresh_from_db()
    assert due.state == SurveyRound.State.CLOSED and result.closed == [(due.pk, 0)]


def test_cron_leaves_a_round_whose_questionnaire_was_archived(admin, account_manager):
    questionnaire = make_questionnaire(admin)
    survey_round = make_round(admin, questionnaire, open_it=False)
    questionnaire_archive(actor=admin, questionnaire=questionnaire)
    assert survey_rounds_run().opened == []
    survey_round.refresh_from_db()
    assert survey_round.state == SurveyRound.State.DRAFT


@pytest.fixture
def action(admin, account_manager):
    SurveySettings.objects.update_or_create(pk=1, defaults={"min_responses_for_action": 1})
    client = make_client(account_manager, tier="key", lifecycle="won")
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, client), rating5=2, rating10=2)
    survey_round_close(actor=admin, survey_round=survey_round)
    return ImprovementAction.objects.get(owner=account_manager)


def test_manager_records_and_supervisor_reviews(action, account_manager, supervisor):
    from amdesk.core.models import AuditEntry
    from amdesk.surveys.services import improvement_action_record, improvement_action_review

    with pytest.raises(ValidationError) as error:
        improvement_action_record(
            actor=account_manager, action=action, version=action.version, analysis="", measures=""
        )
    assert {"analysis", "measures"} <= set(error.value.message_dict)
    improvement_action_record(
        actor=account_manager,
        action=action,
        version=action.version,
        analysis="回复客户不够及时",
        measures="每周固定电话回访",
    )
    assert action.state == ImprovementAction.State.SUBMITTED
    # the AM cannot approve his own measures; the supervisor returns them with a comment
    with pytest.raises(PermissionDenied):
        improvement_action_review(actor=account_manager, action=action, version=action.version, accept=True)
    with pytest.raises(ValidationError):
        improvement_action_review(actor=supervisor, action=action, version=action.version, accept=False)
    improvement_action_review(
        actor=supervisor, action=action, version=action.version, accept=False, comment="措施要具体"
    )
    assert action.state == ImprovementAction.State.OPEN
    improvement_action_record(
        actor=account_manager,
        action=action,
        version=action.version,
        analysis="同上",
        measures="每周二电话回访重点客户",
    )
    improvement_action_review(actor=supervisor, action=action, version=action.version, accept=True)
    action.refresh_from_db()
    assert action.state == ImprovementAction.State.DONE and action.reviewed_by == supervisor
    assert AuditEntry.objects.filter(event="survey.action_recorded", target_id=str(action.pk)).count() == 4


def test_only_the_concerned_manager_records(action, team2_manager, other_supervisor):
    from amdesk.surveys.services import StaleSurveyData, improvement_action_record, improvement_action_review

    with pytest.raises(PermissionDenied):
        improvement_action_record(
            actor=team2_manager, action=action, version=action.version, analysis="a", measures="b"
        )
    stale = action.version
    improvement_action_record(
        actor=action.owner, action=action, version=stale, analysis="a", measures="b", submit=False
    )
    with pytest.raises(StaleSurveyData):
        improvement_action_record(
            actor=action.owner, action=action, version=stale, analysis="c", measures="d"
        )
    # a supervisor of another team may not review it
    with pytest.raises(PermissionDenied):
        improvement_action_review(actor=other_supervisor, action=action, version=action.version, accept=True)


def test_the_daily_job_prepares_the_next_round_once(admin, account_manager):
    make_client(account_manager, tier="key", lifecycle="won")
    questionnaire = make_questionnaire(admin)
    # Without a default questionnaire in the settings, rounds are made by hand only
    assert survey_rounds_run(today=date(2026, 11, 23)).prepared == []
    SurveySettings.objects.update_or_create(
        pk=1,
        defaults={"default_questionnaire": questionnaire, "default_target": "won", "round_open_days": 20},
    )
    # On any day of Q4 the job prepares the draft round surveying Q4, opening on 1 January
    out = StringIO()
    call_command("survey-rounds", "--today", "2026-11-23", stdout=out)
    prepared = SurveyRound.objects.get()
    assert "Prepared 2026年第4季度客户满意度调查" in out.getvalue()
    assert (prepared.state, prepared.target, prepared.org_node) == (SurveyRound.State.DRAFT, "won", None)
    assert (prepared.period_start, prepared.period_end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert (prepared.opens_on, prepared.closes_on) == (date(2027, 1, 1), date(2027, 1, 20))
    # Idempotent: the next days change nothing
    assert survey_rounds_run(today=date(2026, 11, 24)).prepared == []
    assert survey_rounds_run(today=date(2026, 12, 31)).prepared == []
    assert SurveyRound.objects.count() == 1
    # On 1 January it opens that round and prepares Q1's
    result = survey_rounds_run(today=date(2027, 1, 1))
    assert result.opened == [(prepared.pk, 1)]
    assert len(result.prepared) == 1
    following = SurveyRound.objects.get(pk=result.prepared[0])
    assert (following.period_start, following.opens_on) == (date(2027, 1, 1), date(2027, 4, 1))


def test_the_daily_job_follows_the_cadence_and_a_round_made_by_hand(admin):
    questionnaire = make_questionnaire(admin)
    SurveySettings.objects.update_or_create(
        pk=1, defaults={"default_questionnaire": questionnaire, "cadence_months": 6}
    )
    # A round made by hand over the half-year already: nothing to prepare
    make_round(admin, questionnaire, start=date(2026, 9, 1), open_it=False)
    assert survey_rounds_run(today=date(2026, 11, 23)).prepared == []
    SurveyRound.objects.all().delete()
    prepared = SurveyRound.objects.get(pk=survey_rounds_run(today=date(2026, 11, 23)).prepared[0])
    assert (prepared.period_start, prepared.period_end, prepared.opens_on) == (
        date(2026, 7, 1),
        date(2026, 12, 31),
        date(2027, 1, 1),
    )


def test_overlapping_rounds_of_one_questionnaire_and_unit_are_refused(admin, supervisor, org):
    questionnaire = make_questionnaire(admin)
    first = make_round(admin, questionnaire, start=date(2026, 7, 1), open_it=False, name="三季度")
    # Another edition of the same questionnaire over part of the same period: refused, saying why
    with pytest.raises(ValidationError) as error:
        make_round(admin, questionnaire, start=date(2026, 9, 1), open_it=False)
    assert "三季度" in error.value.message_dict["period_start"][0]
    # Another unit, or the next period, is fine; so is moving a draft away, but not onto another one
    make_round(supervisor, questionnaire, start=date(2026, 7, 1), org_node=org.tm1, open_it=False)
    later = make_round(admin, questionnaire, start=date(2026, 10, 1), open_it=False)
    with pytest.raises(ValidationError):
        survey_round_update(
            actor=admin, survey_round=later, version=later.version, period_start=date(2026, 9, 1)
        )
    assert first.pk and later.pk


@pytest.fixture
def closed_low_action(admin, account_manager):
    SurveySettings.objects.update_or_create(pk=1, defaults={"min_responses_for_action": 1})
    client = make_client(account_manager, tier="key", lifecycle="won")
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, client), rating5=2, rating10=2)
    survey_round_close(actor=admin, survey_round=survey_round)
    return ImprovementAction.objects.get(owner=account_manager)


def test_the_supervisor_sets_the_due_date_and_submitted_measures_wait(
    closed_low_action, account_manager, supervisor
):
    from amdesk.surveys.services import (
        improvement_action_record,
        improvement_action_review,
        improvement_action_set_due,
    )

    action = closed_low_action
    # The AM has no say on the due date
    with pytest.raises(TypeError):
        improvement_action_record(
            actor=account_manager,
            action=action,
            version=action.version,
            analysis="a",
            measures="b",
            due_on=date(2030, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        improvement_action_set_due(
            actor=account_manager, action=action, version=action.version, due_on=date(2030, 1, 1)
        )
    # His supervisor moves it (not into the past)
    later = timezone.localdate() + timedelta(days=40)
    with pytest.raises(ValidationError):
        improvement_action_set_due(
            actor=supervisor, action=action, version=action.version, due_on=date(2020, 1, 1)
        )
    improvement_action_set_due(actor=supervisor, action=action, version=action.version, due_on=later)
    action.refresh_from_db()
    assert action.due_on == later
    # Once submitted, the measures are read-only for the AM…
    improvement_action_record(
        actor=account_manager, action=action, version=action.version, analysis="回访少", measures="每周回访"
    )
    with pytest.raises(ValidationError):
        improvement_action_record(
            actor=account_manager, action=action, version=action.version, analysis="改", measures="改"
        )
    action.refresh_from_db()
    assert (action.state, action.measures) == (ImprovementAction.State.SUBMITTED, "每周回访")
    # … until the supervisor returns them
    improvement_action_review(
        actor=supervisor, action=action, version=action.version, accept=False, comment="再具体些"
    )
    improvement_action_record(
        actor=account_manager, action=action, version=action.version, analysis="回访少", measures="每周二回访"
    )
    assert action.state == ImprovementAction.State.SUBMITTED


def test_low_scorers_and_actions_round_alike_at_the_threshold(admin, account_manager, team2_manager):
    from amdesk.surveys.models import SurveyResponse
    from amdesk.surveys.selectors import low_scorers

    SurveySettings.objects.update_or_create(
        pk=1, defaults={"low_score_threshold": 70, "min_responses_for_action": 1}
    )
    mine = [make_client(account_manager, name=f"甲{i}", tier="key", lifecycle="won") for i in range(2)]
    theirs = [make_client(team2_manager, name=f"乙{i}", tier="key", lifecycle="won") for i in range(2)]
    survey_round = make_round(admin)
    for client in mine + theirs:
        answer(invitation_of(survey_round, client))
    # The AM's mean is 69.95, shown 70.0: not low; his teammate's 69.94, shown 69.9: low
    for client, index in zip(mine + theirs, ("69.90", "70.00", "69.90", "69.98"), strict=True):
        SurveyResponse.objects.filter(round=survey_round, client=client).update(index=index)
    assert [r.label for r in low_scorers(viewer=admin, survey_round=survey_round)] == [
        team2_manager.full_name
    ]
    assert survey_round_close(actor=admin, survey_round=survey_round) == 1
    action = ImprovementAction.objects.get()
    assert action.owner == team2_manager and float(action.index) == 69.9


def test_a_client_satisfied_everywhere_is_not_a_low_score(admin, account_manager):
    from amdesk.surveys.models import Question
    from amdesk.surveys.selectors import low_scorers
    from amdesk.surveys.services import (
        question_add,
        questionnaire_create,
        questionnaire_publish,
        section_add,
        survey_answer_record,
    )

    # The default threshold, and a questionnaire of 1–5 ratings
    SurveySettings.objects.update_or_create(pk=1, defaults={"min_responses_for_action": 1})
    assert SurveySettings.current().low_score_threshold == 70
    q = questionnaire_create(actor=admin, title="五分制")
    section = section_add(actor=admin, questionnaire=q, version=q.version, title="服务")
    ratings = [
        question_add(
            actor=admin, section=section, version=q.version, text=t, kind=Question.Kind.RATING_5, weight=1
        )
        for t in ("态度", "专业", "及时")
    ]
    questionnaire_publish(actor=admin, questionnaire=q)
    client = make_client(account_manager, tier="key", lifecycle="won")
    survey_round = make_round(admin, q)
    # A client who answers "satisfied" (4 of 5) everywhere
    response = survey_answer_record(
        actor=account_manager,
        invitation=invitation_of(survey_round, client),
        answers={question.pk: 4 for question in ratings},
    )
    assert response.index == 75
    # is not a low score: no improvement action, not on the low-scorer list
    assert low_scorers(viewer=admin, survey_round=survey_round) == []
    assert survey_round_close(actor=admin, survey_round=survey_round) == 0
