"""The desks' pre-aggregated figures: the client card of those who oversee a team or a branch reads
them (as the list counts, as of the last refresh), the refresh records when it ran, and the task
that refreshes them schedules itself with one chain at a time (as service/tasks.py does)."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from amdesk.clients.models import Client, ClientSettings
from amdesk.desk.models import DeskRefresh, NodeClients
from amdesk.desk.selectors import Desk
from amdesk.desk.services import desk_figures_refresh
from amdesk.desk.tasks import desk_refresh_task
from amdesk.orgs.access import client_q, scoped
from tests.clients.factories import make_client

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEDNESDAY = datetime(2026, 3, 11, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    return WEDNESDAY.date()


def _live(viewer) -> dict:
    threshold = ClientSettings.current().complete_at_percent
    served = ~Q(lifecycle=Client.Lifecycle.LOST)
    return scoped(Client.objects.all(), client_q(viewer)).aggregate(
        total=Count("pk"),
        lost=Count("pk", filter=~served),
        key=Count("pk", filter=served & Q(tier__is_key=True)),
        incomplete=Count("pk", filter=served & Q(completeness__lt=threshold)),
        stakeholder_gaps=Count("pk", filter=served & Q(stakeholder_gap=True)),
    )


def test_the_overseers_client_card_is_the_live_count_as_of_the_refresh(
    account_manager, other_manager, supervisor, branch_head, frozen
):
    # Given clients in two sub-branches, one of them lost
    make_client(account_manager, name="甲", tier="key")
    make_client(account_manager, name="乙", lifecycle="lost")
    make_client(other_manager, name="丙")
    desk_figures_refresh(today=frozen)
    # Then the supervisor's and the head's cards count what the list counts, from the summary rows
    for viewer in (supervisor, branch_head):
        figures = Desk(viewer, today=frozen).clients
        assert figures.pop("pre_aggregated")
        assert figures == _live(viewer), viewer
    # And a client added after the refresh shows at the next refresh, not before
    make_client(other_manager, name="丁")
    assert Desk(branch_head, today=frozen).clients["total"] == 3
    desk_figures_refresh(today=frozen)
    assert Desk(branch_head, today=frozen).clients["total"] == 4
    # The account manager's own card stays live
    make_client(account_manager, name="戊")
    assert Desk(account_manager, today=frozen).clients == _live(account_manager)


def test_the_refresh_records_when_it_ran_and_the_pages_say_as_of(branch_head, supervisor, client_for, frozen):
    assert 'data-testid="as-of"' not in client_for(supervisor).get("/").content.decode()
    desk_figures_refresh(today=frozen)
    assert DeskRefresh.current().refreshed_at == WEDNESDAY
    assert Desk(branch_head, today=frozen).as_of == WEDNESDAY
    page = client_for(supervisor).get("/").content.decode()
    assert 'data-testid="as-of"' in page and "2026-03-11 10:00" in page


def test_the_command_and_the_task_refresh(account_manager, frozen):
    make_client(account_manager, name="甲")
    out = StringIO()
    call_command("desk_refresh", stdout=out)
    assert "node_clients: 1" in out.getvalue()
    make_client(account_manager, name="乙")
    result = desk_refresh_task.enqueue()  # the immediate backend of the tests
    assert result.return_value["node_clients"] == 1
    assert NodeClients.objects.get().total == 2


def test_the_task_reenqueues_itself_once_per_chain(account_manager, frozen, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    desk_refresh_task.func(repeat_minutes=60)  # a first chain
    queued = DBTaskResult.objects.get()
    assert queued.run_after == datetime(2026, 3, 11, 11, 0, tzinfo=SHANGHAI)
    desk_refresh_task.func(repeat_minutes=60)  # a second one, started later: it takes over
    runs = [row.args_kwargs["kwargs"] for row in DBTaskResult.objects.all()]
    current = DeskRefresh.current().chain
    [older] = [kwargs for kwargs in runs if kwargs["chain"] != current]
    [newer] = [kwargs for kwargs in runs if kwargs["chain"] == current]
    DBTaskResult.objects.all().delete()
    # The older chain's next run refreshes but schedules nothing more
    desk_refresh_task.func(**older)
    assert not DBTaskResult.objects.exists()
    # The newer one goes on, once; the same run played twice does not fork it
    desk_refresh_task.func(**newer)
    desk_refresh_task.func(**newer)
    assert DBTaskResult.objects.count() == 1
    # The refresh never overwrote the chain's token
    assert DeskRefresh.current().chain != newer["chain"]


def test_the_command_starts_the_chain(db, frozen, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    out = StringIO()
    call_command("desk_refresh", "--every", "60", stdout=out)
    assert "every 60 minutes" in out.getvalue()
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"repeat_minutes": 60}
