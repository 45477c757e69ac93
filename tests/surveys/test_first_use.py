"""An index is shown with its number of responses; one answer does not read as a verdict."""

import re

from amdesk.surveys.models import SurveySettings
from tests.clients.factories import make_client

from .factories import answer, invitation_of, make_round


def _report(page, survey_round) -> str:
    return page.get(f"/surveys/report/?round={survey_round.pk}").content.decode()


def test_an_index_from_too_few_responses_is_shown_small_and_marked(
    admin, account_manager, supervisor, client_for
):
    # Given a round where one of three key clients answered, and a minimum of 2 responses
    SurveySettings.objects.update_or_create(pk=1, defaults={"min_responses_for_action": 2})
    clients = [make_client(account_manager, name, tier="key") for name in ("王小明", "李四", "赵六")]
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, clients[0]), rating5=4, rating10=8)
    page = client_for(supervisor)
    html = _report(page, survey_round)
    # Then the index is not in large type, is marked 样本不足 and says it rests on one response
    assert 'data-testid="report-index-too-few">样本不足<' in html
    assert not re.search(r'class="display-6" data-testid="report-index"', html)
    assert 'data-testid="report-index-count">1 份答卷<' in html
    # And once a second client answers, it is shown large, without the mark
    answer(invitation_of(survey_round, clients[1]), rating5=5, rating10=9)
    html = _report(page, survey_round)
    assert re.search(r'class="display-6" data-testid="report-index">[\d.]+<', html)
    assert "report-index-too-few" not in html and 'data-testid="report-index-count">2 份答卷<' in html


def test_the_account_managers_own_index_says_how_many_answered(admin, account_manager, client_for):
    client = make_client(account_manager, "王小明", tier="key")
    survey_round = make_round(admin)
    answer(invitation_of(survey_round, client), rating5=4, rating10=8)
    html = client_for(account_manager).get("/surveys/").content.decode()
    assert 'data-testid="my-index-value-too-few">样本不足<' in html  # default minimum: 3
    assert 'data-testid="my-index-value-count">1 份答卷<' in html


def test_rounds_named_the_old_way_are_renamed(admin):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("amdesk.surveys.migrations.0007_quarter_names_one_way")
    old = make_round(admin, name="2026 年第四季度客户满意度调查", open_it=False)
    last_year = old.period_start.replace(year=old.period_start.year - 1)
    typed = make_round(admin, name="2026 年第四季度 VIP 专项", open_it=False, start=last_year)
    migration.rename(apps, None)
    old.refresh_from_db()
    typed.refresh_from_db()
    assert old.name == "2026年第4季度客户满意度调查" and typed.name == "2026 年第四季度 VIP 专项"
