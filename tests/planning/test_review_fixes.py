"""Follow-ups of the planning review: the performance grid's conflict message names the items and
lists only what differs from the stored figures; the visit method "Phone" of the week's visit schedule
is not the phone-number field's label."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext

from amdesk.planning.models import PerformanceItem
from amdesk.visits.models import ScheduleEntry, Visit, VisitSchedule
from tests.clients.factories import make_client
from tests.planning.factories import last_working_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client_for):
    def make(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    with translation.override("en"):
        yield make


def test_a_refused_save_lists_the_items_by_name_and_only_the_cells_that_differ(web, account_manager):
    day = last_working_day()
    month = day.strftime("%Y-%m")
    am = web(account_manager)
    saved = am.post(f"/planning/performance/{month}/", {"version": "0", f"cell-{day}-fund": "4"})
    assert saved.status_code == 302
    # another tab, still at version 0, sends the same fund figure and a new insurance one
    stale = am.post(
        f"/planning/performance/{month}/",
        {"version": "0", f"cell-{day}-fund": "4", f"cell-{day}-insurance": "9"},
    )
    assert stale.status_code == 409
    unsaved = stale.content.decode().split('data-testid="unsaved"')[1].split("</div>")[0]
    insurance = PerformanceItem.objects.get(code="insurance")
    fund = PerformanceItem.objects.get(code="fund")
    assert f"{insurance} {day:%m-%d}: 9" in unsaved
    assert str(fund) not in unsaved and "insurance" not in unsaved


def test_the_visit_method_phone_is_not_the_phone_number_label(account_manager):
    client = make_client(account_manager, "李四")
    schedule = VisitSchedule.objects.create(
        owner=account_manager, org_node=account_manager.org_node, week_start=date(2026, 10, 5)
    )
    entry = ScheduleEntry.objects.create(
        schedule=schedule, client=client, day=date(2026, 10, 8), mode=Visit.Mode.PHONE
    )
    with translation.override("zh-hans"):
        # "电话" (the visit method), not "联系电话" (the phone-number field's label)
        assert entry.get_mode_display() == pgettext("visit method", "Phone")


def test_count_targets_are_whole_numbers(account_manager, team2_manager, supervisor):
    from amdesk.planning.models import TargetLine
    from amdesk.planning.services import team_targets_split

    # 25 credit cards (张) shared 2 : 1 would be 16.67 and 8.33; whole cards, the extra to the largest
    people = {account_manager.pk: 2, team2_manager.pk: 1}
    shares = team_targets_split(
        actor=supervisor, month=date(2026, 10, 1), item_code="credit-card", total="25", weights=people
    )
    assert shares == {account_manager.pk: Decimal("17"), team2_manager.pk: Decimal("8")}
    line = TargetLine.objects.get(sheet__owner=team2_manager, item__code="credit-card")
    weeks = [
        week for week in (line.week1, line.week2, line.week3, line.week4, line.week5) if week is not None
    ]
    assert all(week == week.to_integral_value() for week in weeks) and sum(weeks) == 8
