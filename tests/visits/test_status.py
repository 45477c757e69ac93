"""Visit status by the frequency norms 分级定期访问: which norm applies, when a client is due, compliance."""

from datetime import date, timedelta

import pytest

from amdesk.clients.models import Client, VipLevel
from amdesk.visits.models import Visit, VisitNorm, VisitSettings
from amdesk.visits.selectors import (
    compliance_in_period,
    compliance_now,
    status_of,
    status_q,
    with_visit_status,
)
from tests.clients.factories import make_client, tier
from tests.visits.factories import at, created_on, norm, record_visit, visit_settings

TODAY = date(2026, 3, 6)  # a Friday
KEY, ORDINARY = "key", "ordinary"  # tier codes of the bank preset


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(at(TODAY, 18), tick=False)


@pytest.fixture
def norms(preset):
    """Key clients weekly, ordinary ones every two weeks, nothing else."""
    VisitNorm.objects.all().delete()
    visit_settings(due_soon_days=3, remote_counts_for_norm=True)
    return {
        KEY: norm("重点客户每周", 7, tier=KEY, order=10),
        ORDINARY: norm("普通客户每两周", 14, tier=ORDINARY, order=11),
    }


def interval_of(client) -> int | None:
    return with_visit_status(Client.objects.filter(pk=client.pk)).get().visit_interval


def status(client) -> str:
    annotated = with_visit_status(Client.objects.filter(pk=client.pk)).get()
    return status_of(annotated, today=TODAY, settings=VisitSettings.current())


def visited(actor, client, day, **data):
    return record_visit(actor, client, day, **data)


def ids_with(status_name: str, owner) -> set[int]:
    clients = with_visit_status(Client.objects.filter(owner=owner))
    return set(clients.filter(status_q(status_name, today=TODAY)).values_list("pk", flat=True))


# Which norm applies


def test_the_most_specific_active_norm_wins(preset, account_manager):
    VisitNorm.objects.all().delete()
    gold = VipLevel.objects.get(code="vip-gold")
    norm("所有客户", 30)
    norm("重点客户", 7, tier=KEY)
    norm("重点一级客户", 3, tier=KEY, grade=1)
    norm("重点二级客户(停用)", 1, tier=KEY, grade=2, is_active=False)
    norm("金卡客户", 10, vip_level=gold)
    norm("已成交客户", 20, lifecycle=Client.Lifecycle.WON)
    norm("已成交金卡重点客户", 5, tier=KEY, vip_level=gold, lifecycle=Client.Lifecycle.WON)

    anyone = make_client(account_manager, "普通潜在", tier=ORDINARY)
    key = make_client(account_manager, "重点", tier=KEY)
    key_grade_1 = make_client(account_manager, "重点一级", tier=KEY, grade=1)
    key_grade_2 = make_client(account_manager, "重点二级", tier=KEY, grade=2)
    gold_ordinary = make_client(account_manager, "金卡", tier=ORDINARY, vip_level=gold)
    won = make_client(account_manager, "成交", tier=ORDINARY, lifecycle=Client.Lifecycle.WON)
    key_gold_won = make_client(
        account_manager, "三项", tier=KEY, vip_level=gold, lifecycle=Client.Lifecycle.WON, grade=1
    )

    assert interval_of(anyone) == 30
    assert interval_of(key) == 7
    assert interval_of(key_grade_1) == 3
    assert interval_of(key_grade_2) == 7  # the inactive grade-2 norm is ignored
    assert interval_of(gold_ordinary) == 10
    assert interval_of(won) == 20
    assert interval_of(key_gold_won) == 5  # three criteria beat two (tier + grade)


def test_an_equally_specific_norm_is_chosen_by_its_order(preset, account_manager):
    VisitNorm.objects.all().delete()
    norm("潜在客户", 30, lifecycle=Client.Lifecycle.PROSPECT, order=2)
    by_tier = norm("重点客户", 7, tier=KEY, order=1)
    client = make_client(account_manager, "重点潜在", tier=KEY)

    assert interval_of(client) == 7

    by_tier.order = 3
    by_tier.save()
    assert interval_of(client) == 30


def test_a_norm_without_interval_means_no_regular_visit(norms, account_manager):
    # (ordered before the tier norms, as the presets do: a lost key client needs no visit)
    norm("流失客户不访问", None, lifecycle=Client.Lifecycle.LOST, order=1)
    lost = make_client(account_manager, "流失", tier=KEY, lifecycle=Client.Lifecycle.LOST)
    created_on(lost, TODAY - timedelta(days=100))

    assert interval_of(lost) is None
    assert status(lost) == "no_norm"
    assert ids_with("no_norm", account_manager) == {lost.pk}
    assert ids_with("overdue", account_manager) == set()


def test_a_client_no_norm_matches_has_no_norm(norms, account_manager):
    VisitNorm.objects.filter(tier__code=ORDINARY).delete()
    client = make_client(account_manager, "普通", tier=ORDINARY)
    created_on(client, TODAY - timedelta(days=100))

    assert status(client) == "no_norm"


def test_an_edited_norm_changes_the_status_at_once(norms, account_manager):
    client = make_client(account_manager, "普通", tier=ORDINARY)
    visited(account_manager, client, TODAY - timedelta(days=10))
    assert status(client) == "on_time"  # due on the 14th day, 4 days ahead

    norms[ORDINARY].interval_days = 7
    norms[ORDINARY].save()
    assert status(client) == "overdue"

    norms[ORDINARY].is_active = False
    norms[ORDINARY].save()
    assert status(client) == "no_norm"


def test_a_client_moved_to_another_tier_gets_its_norm_at_once(norms, account_manager):
    client = make_client(account_manager, "普通", tier=ORDINARY)
    visited(account_manager, client, TODAY - timedelta(days=10))
    assert status(client) == "on_time"

    Client.objects.filter(pk=client.pk).update(tier=tier(KEY))
    assert status(client) == "overdue"


# Status


def test_each_status_from_the_last_visit(norms, account_manager):
    # Given ordinary clients (every 14 days) last visited on different days, and 3 days' warning
    def client_visited(name, days_ago):
        client = make_client(account_manager, name, tier=ORDINARY)
        visited(account_manager, client, TODAY - timedelta(days=days_ago))
        return client

    overdue = client_visited("逾期", 15)  # due yesterday
    due_today = client_visited("今天到期", 14)
    due_in_3 = client_visited("三天后到期", 11)
    on_time = client_visited("按时", 10)  # due in 4 days

    # then each shows its status, in the list filters as on the detail
    annotated = {c.pk: c for c in with_visit_status(Client.objects.filter(owner=account_manager))}
    assert annotated[overdue.pk].last_visited_on == TODAY - timedelta(days=15)
    assert annotated[overdue.pk].next_due_on == TODAY - timedelta(days=1)
    assert annotated[due_in_3.pk].next_due_on == TODAY + timedelta(days=3)
    assert [status(c) for c in (overdue, due_today, due_in_3, on_time)] == [
        "overdue",
        "due_soon",
        "due_soon",
        "on_time",
    ]
    assert ids_with("overdue", account_manager) == {overdue.pk}
    assert ids_with("due_soon", account_manager) == {due_today.pk, due_in_3.pk}
    assert ids_with("on_time", account_manager) == {on_time.pk}
    assert ids_with("no_norm", account_manager) == set()


def test_the_latest_visit_counts(norms, account_manager):
    client = make_client(account_manager, "普通", tier=ORDINARY)
    visited(account_manager, client, TODAY - timedelta(days=2))
    visited(account_manager, client, TODAY - timedelta(days=30))

    annotated = with_visit_status(Client.objects.filter(pk=client.pk)).get()
    assert annotated.last_visited_on == TODAY - timedelta(days=2)
    assert annotated.next_due_on == TODAY + timedelta(days=12)


def test_the_due_soon_window_is_a_setting(norms, account_manager):
    client = make_client(account_manager, "普通", tier=ORDINARY)
    visited(account_manager, client, TODAY - timedelta(days=9))  # due in 5 days
    assert status(client) == "on_time"

    visit_settings(due_soon_days=5)
    assert status(client) == "due_soon"
    assert ids_with("due_soon", account_manager) == {client.pk}


def test_a_client_never_visited_is_due_one_interval_after_it_was_taken_on(norms, account_manager):
    old = make_client(account_manager, "老客户", tier=KEY)
    created_on(old, date(2026, 2, 1))
    new = make_client(account_manager, "新客户", tier=KEY)
    created_on(new, date(2026, 3, 4))

    annotated = {c.pk: c for c in with_visit_status(Client.objects.filter(owner=account_manager))}
    assert annotated[old.pk].last_visited_on is None
    assert annotated[old.pk].next_due_on == date(2026, 2, 8)
    assert annotated[new.pk].next_due_on == date(2026, 3, 11)
    assert status(old) == "overdue"
    assert status(new) == "on_time"


def test_created_late_in_the_evening_counts_as_that_local_day(norms, account_manager):
    # 23:30 in Shanghai is still the same day locally, 15:30 UTC
    client = make_client(account_manager, "晚上建档", tier=KEY)
    Client.objects.filter(pk=client.pk).update(created_at=at(date(2026, 3, 1), 23, 30))

    assert with_visit_status(Client.objects.filter(pk=client.pk)).get().next_due_on == date(2026, 3, 8)


def test_remote_visits_count_only_when_the_settings_say_so(norms, account_manager):
    client = make_client(account_manager, "电话客户", tier=ORDINARY)
    visited(account_manager, client, TODAY - timedelta(days=20))
    visited(account_manager, client, TODAY - timedelta(days=2), mode=Visit.Mode.PHONE)
    assert status(client) == "on_time"

    visit_settings(remote_counts_for_norm=False)
    annotated = with_visit_status(Client.objects.filter(pk=client.pk)).get()
    assert annotated.last_visited_on == TODAY - timedelta(days=20)
    assert status(client) == "overdue"
    assert ids_with("overdue", account_manager) == {client.pk}


# Compliance


def test_compliance_now_per_owner_and_tier(norms, account_manager, team2_manager):
    # Given two key clients of one AM, one of them overdue, and ordinary clients of both AMs
    key_ok = make_client(account_manager, "重点按时", tier=KEY)
    visited(account_manager, key_ok, TODAY - timedelta(days=3))
    key_late = make_client(account_manager, "重点逾期", tier=KEY)
    visited(account_manager, key_late, TODAY - timedelta(days=8))
    ordinary = make_client(account_manager, "普通", tier=ORDINARY)
    visited(account_manager, ordinary, TODAY - timedelta(days=14))  # due today: not overdue
    other = make_client(team2_manager, "二组普通", tier=ORDINARY)
    created_on(other, TODAY - timedelta(days=40))
    norm("流失客户不访问", None, lifecycle=Client.Lifecycle.LOST, order=1)
    make_client(account_manager, "流失", tier=KEY, lifecycle=Client.Lifecycle.LOST)

    rows = list(compliance_now(Client.objects.all(), today=TODAY, group_by=("owner", "tier__code")))

    # then the lost client (no norm) is left out and each group counts its clients
    assert rows == [
        {"owner": account_manager.pk, "tier__code": KEY, "clients": 2, "on_time": 1},
        {"owner": account_manager.pk, "tier__code": ORDINARY, "clients": 1, "on_time": 1},
        {"owner": team2_manager.pk, "tier__code": ORDINARY, "clients": 1, "on_time": 0},
    ]
    by_tier = list(compliance_now(Client.objects.all(), today=TODAY, group_by=("tier__code",)))
    assert by_tier == [
        {"tier__code": KEY, "clients": 2, "on_time": 1},
        {"tier__code": ORDINARY, "clients": 2, "on_time": 1},
    ]


def test_compliance_in_period_asks_days_over_interval_visits(norms, account_manager):
    # Given February (28 days): key clients need 4 visits, ordinary ones 2, monthly ones none
    start, end = date(2026, 2, 1), date(2026, 2, 28)
    norm("潜在客户每月", 30, lifecycle=Client.Lifecycle.PROSPECT, tier=ORDINARY)

    def client_with_visits(name, tier, days, **extra):
        client = make_client(account_manager, name, tier=tier, **extra)
        created_on(client, date(2026, 1, 1))
        for day in days:
            visited(account_manager, client, date(2026, 2, day))
        return client

    client_with_visits("重点达标", KEY, [2, 9, 16, 23])
    client_with_visits("重点差一次", KEY, [2, 9, 16])
    client_with_visits("普通达标", ORDINARY, [5, 20], lifecycle=Client.Lifecycle.WON)
    client_with_visits("普通未达标", ORDINARY, [5], lifecycle=Client.Lifecycle.WON)
    client_with_visits("每月客户", ORDINARY, [])  # 28 // 30 = 0 visits due: left out
    late = make_client(account_manager, "三月前访问", tier=ORDINARY, lifecycle=Client.Lifecycle.WON)
    created_on(late, date(2026, 1, 1))
    visited(account_manager, late, date(2026, 1, 31))  # before the period: does not count
    visited(account_manager, late, date(2026, 3, 1))  # after it: neither

    rows = list(
        compliance_in_period(Client.objects.all(), start=start, end=end, group_by=("owner", "tier__code"))
    )

    assert rows == [
        {"owner": account_manager.pk, "tier__code": KEY, "clients": 2, "complied": 1},
        {"owner": account_manager.pk, "tier__code": ORDINARY, "clients": 3, "complied": 1},
    ]


def test_compliance_in_period_leaves_out_clients_taken_on_too_late(norms, account_manager):
    # Given a key client taken on during the period's last week, and one after it
    start, end = date(2026, 2, 1), date(2026, 2, 28)
    recent = make_client(account_manager, "月末新客户", tier=KEY)
    created_on(recent, date(2026, 2, 24))
    make_client(account_manager, "三月新客户", tier=KEY)  # created TODAY, in March
    # and one taken on mid-month that owes visits for the two weeks it was there
    mid = make_client(account_manager, "月中新客户", tier=KEY)
    created_on(mid, date(2026, 2, 15))
    visited(account_manager, mid, date(2026, 2, 16))
    visited(account_manager, mid, date(2026, 2, 23))

    rows = list(compliance_in_period(Client.objects.all(), start=start, end=end))

    # then neither of the late ones is due a visit in February; the mid-month one complied
    assert rows == [{"owner": account_manager.pk, "tier": tier(KEY).pk, "clients": 1, "complied": 1}]


def test_compliance_in_period_counts_remote_visits_only_when_allowed(norms, account_manager):
    client = make_client(account_manager, "电话客户", tier=ORDINARY)
    created_on(client, date(2026, 1, 1))
    visited(account_manager, client, date(2026, 2, 3))
    visited(account_manager, client, date(2026, 2, 17), mode=Visit.Mode.PHONE)
    start, end = date(2026, 2, 1), date(2026, 2, 28)

    assert list(compliance_in_period(Client.objects.all(), start=start, end=end)) == [
        {"owner": account_manager.pk, "tier": tier(ORDINARY).pk, "clients": 1, "complied": 1}
    ]
    visit_settings(remote_counts_for_norm=False)
    assert list(compliance_in_period(Client.objects.all(), start=start, end=end)) == [
        {"owner": account_manager.pk, "tier": tier(ORDINARY).pk, "clients": 1, "complied": 0}
    ]
