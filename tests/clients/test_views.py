"""Client archive pages: scope, search, masking, reveal, edits, contacts, rating, handover, query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client as Browser

from amdesk.clients.models import Client, ClientChange, Contact, Product
from amdesk.clients.services import aum_record, holding_set
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.clients.factories import grade, make_client


@pytest.fixture
def browser_for():
    def make(user) -> Browser:
        browser = Browser()
        browser.force_login(user)
        return browser

    return make


@pytest.fixture
def clients(account_manager, team2_manager, other_manager):
    return {
        "mine": make_client(account_manager, "王小明", mobile="13812345678", tier="key"),
        "team2": make_client(team2_manager, "李四"),
        "other": make_client(other_manager, "赵敏"),
    }


def rows(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("viewer", "seen", "unseen"),
    [
        ("account_manager", {"王小明"}, {"李四", "赵敏"}),
        ("supervisor", {"王小明", "李四"}, {"赵敏"}),
        ("branch_head", {"王小明", "李四", "赵敏"}, set()),
    ],
)
def test_list_shows_only_clients_in_scope(request, clients, browser_for, viewer, seen, unseen):
    page = rows(browser_for(request.getfixturevalue(viewer)).get("/clients/"))
    assert all(name in page for name in seen)
    assert not any(name in page for name in unseen)


def test_list_masks_mobiles_and_counts_only_what_the_viewer_sees(clients, browser_for, account_manager):
    page = rows(browser_for(account_manager).get("/clients/"))
    assert "138****5678" in page
    assert "13812345678" not in page
    assert "1 位客户" in page or "1 client" in page


@pytest.mark.parametrize("term", ["王", "小明", "wangxiaoming", "wxm", "5678"])
def test_search_box_finds_by_fragment_pinyin_initials_and_mobile_tail(clients, browser_for, supervisor, term):
    page = rows(browser_for(supervisor).get("/clients/", {"q": term}, HTTP_HX_REQUEST="true"))
    assert "王小明" in page
    assert "李四" not in page


def test_search_never_finds_another_managers_client(clients, browser_for, account_manager):
    page = rows(browser_for(account_manager).get("/clients/", {"q": "赵敏"}))
    assert "赵敏" not in page.split('data-testid="client-table"')[1]


def test_filters_by_tag_completeness_and_aum(clients, browser_for, supervisor, account_manager):
    mine = clients["mine"]
    from amdesk.clients.services import client_update

    client_update(
        actor=account_manager, client=mine, data={"tags": ["高净值"]}, expected_version=mine.version
    )
    aum_record(actor=account_manager, client=mine, as_of=date.today(), amount=Decimal("2500000"))
    browser = browser_for(supervisor)
    assert "王小明" in rows(browser.get("/clients/", {"tag": "高净值"}))
    assert "李四" not in rows(browser.get("/clients/", {"tag": "高净值"}))
    by_aum = rows(browser.get("/clients/", {"aum_min": "1000000"}))
    assert "王小明" in by_aum and "李四" not in by_aum
    mine.refresh_from_db()
    below = rows(browser.get("/clients/", {"completeness_max": mine.completeness - 1}))
    assert "王小明" not in below.split('data-testid="client-table"')[1]


def test_list_page_queries_do_not_grow_with_rows(
    clients, browser_for, supervisor, account_manager, django_assert_max_num_queries
):
    browser = browser_for(supervisor)
    browser.get("/clients/")  # warm caches (session, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        browser.get("/clients/")
    for n in range(15):
        make_client(account_manager, f"客户{n}", tags=["代发工资"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = browser.get("/clients/")
    assert "客户14" in rows(response)


def test_detail_of_another_managers_client_is_not_found(clients, browser_for, account_manager):
    browser = browser_for(account_manager)
    for url in ["", "edit/", "reveal/?field=mobile", "contacts/new/", "holdings/", "credit-rating/"]:
        assert browser.get(f"/clients/{clients['other'].pk}/{url}").status_code == 404


def test_detail_shows_masked_profile_history_and_missing_fields(clients, browser_for, account_manager):
    page = rows(browser_for(account_manager).get(f"/clients/{clients['mine'].pk}/"))
    assert "138****5678" in page and "13812345678" not in page
    assert clients["mine"].id_number not in page
    assert 'data-testid="owner-history"' in page and "苏婷瑶" in page
    assert "地址" in page  # the demo preset requires an address, which this client lacks


def test_reveal_asks_for_a_reason_then_shows_the_value_and_logs_it(clients, browser_for, account_manager):
    browser = browser_for(account_manager)
    url = f"/clients/{clients['mine'].pk}/reveal/"
    assert 'name="reason"' in rows(browser.get(url, {"field": "mobile"}))
    refused = rows(browser.post(url, {"field": "mobile", "reason": ""}))
    assert "13812345678" not in refused
    shown = rows(browser.post(url, {"field": "mobile", "reason": "客户来电核实身份"}))
    assert "13812345678" in shown
    entry = AuditEntry.objects.get(event=AuditEvent.PERSONAL_DATA_REVEALED)
    assert entry.detail["reason"] == "客户来电核实身份"
    assert "13812345678" not in str(entry.detail)


def test_admin_without_personal_data_right_cannot_reveal(clients, browser_for, appraisal_admin):
    browser = browser_for(appraisal_admin)
    page = rows(browser.get(f"/clients/{clients['mine'].pk}/"))
    assert 'data-testid="reveal-mobile"' not in page
    refused = rows(
        browser.post(f"/clients/{clients['mine'].pk}/reveal/", {"field": "mobile", "reason": "看看"})
    )
    assert "13812345678" not in refused


def test_edit_records_history_and_keeps_personal_data_when_left_empty(clients, browser_for, account_manager):
    mine = clients["mine"]
    browser = browser_for(account_manager)
    form = rows(browser.get(f"/clients/{mine.pk}/edit/"))
    assert "13812345678" not in form  # the edit form never carries the unmasked number
    response = browser.post(
        f"/clients/{mine.pk}/edit/",
        {
            "name": "王小明",
            "lifecycle": "won",
            "tier": "ordinary",
            "birthday_kind": "solar",
            "version": mine.version,
            "tags": "高净值，代发工资",
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.mobile == "13812345678" and mine.tier.code == "ordinary"
    assert sorted(mine.tags.values_list("name", flat=True)) == ["代发工资", "高净值"]
    assert ClientChange.objects.filter(
        client=mine, field="tier", old_value="key", new_value="ordinary"
    ).exists()
    history = rows(browser.get(f"/clients/{mine.pk}/"))
    assert "重点" in history and "一般" in history


def test_a_stale_form_is_refused_and_keeps_what_was_typed(clients, browser_for, account_manager, supervisor):
    mine = clients["mine"]
    opened_version = mine.version
    browser_for(supervisor).post(
        f"/clients/{mine.pk}/edit/",
        {
            "name": "王小明",
            "lifecycle": "won",
            "tier": "key",
            "birthday_kind": "solar",
            "version": opened_version,
            "address": "杭州市文三路1号",
        },
    )
    response = browser_for(account_manager).post(
        f"/clients/{mine.pk}/edit/",
        {
            "name": "王晓明",
            "lifecycle": "won",
            "tier": "key",
            "birthday_kind": "solar",
            "version": opened_version,
        },
    )
    page = rows(response)
    assert response.status_code == 200
    assert 'data-testid="form-error"' in page
    assert 'value="王晓明"' in page  # what the user typed is still in the form
    mine.refresh_from_db()
    assert mine.name == "王小明" and mine.address == "杭州市文三路1号"


def test_bad_id_number_gets_a_chinese_error_and_nothing_is_saved(org, browser_for, account_manager):
    response = browser_for(account_manager).post(
        "/clients/new/",
        {
            "kind": "individual",
            "name": "钱七",
            "id_number": "330106198506150012",
            "lifecycle": "prospect",
            "tier": "ordinary",
            "birthday_kind": "solar",
        },
    )
    assert response.status_code == 200
    assert "校验" in rows(response)
    assert 'value="钱七"' in rows(response)
    assert not Client.objects.filter(name="钱七").exists()


def test_contacts_clear_the_big_account_flag(clients, browser_for, account_manager):
    mine = clients["mine"]
    mine.is_big_account = True
    mine.save(update_fields=["is_big_account"])
    from amdesk.clients.services import derived_refresh

    derived_refresh([mine.pk])
    browser = browser_for(account_manager)
    assert 'data-testid="stakeholder-gap"' in rows(browser.get(f"/clients/{mine.pk}/"))
    for n, (name, decides) in enumerate([("张总", True), ("李会计", False), ("王采购", False)]):
        response = browser.post(
            f"/clients/{mine.pk}/contacts/new/",
            {
                "name": name,
                "role": "高管",
                "influence": "high",
                "stance": "supportive",
                "is_decision_maker": "on" if decides else "",
                "mobile": f"1391234567{n}",
            },
        )
        assert response.status_code == 302
    assert Contact.objects.filter(client=mine).count() == 3
    page = rows(browser.get(f"/clients/{mine.pk}/"))
    assert 'data-testid="stakeholder-gap"' not in page
    assert "13912345670" not in page  # contact mobiles are masked too


def test_credit_rating_form_scores_each_item(clients, browser_for, account_manager):
    mine = clients["mine"]
    browser = browser_for(account_manager)
    form = rows(browser.get(f"/clients/{mine.pk}/credit-rating/"))
    assert "偿债能力" in form
    scores = {
        "score_repayment-capacity": 28,
        "score_operations": 18,
        "score_credit-history": 20,
        "score_collateral": 12,
        "score_relationship": 14,
    }
    too_high = browser.post(
        f"/clients/{mine.pk}/credit-rating/", {**scores, "score_collateral": 99, "rated_on": "2026-01-05"}
    )
    assert too_high.status_code == 200
    response = browser.post(f"/clients/{mine.pk}/credit-rating/", {**scores, "rated_on": "2026-01-05"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.credit_rating == "AAA"  # 92 points
    assert "AAA" in rows(browser.get(f"/clients/{mine.pk}/"))


def test_holdings_and_profit_show_on_the_page(clients, browser_for, account_manager):
    mine = clients["mine"]
    deposit = Product.objects.get(code="time-deposit")
    holding_set(
        actor=account_manager,
        client=mine,
        product=deposit,
        balance=Decimal("1000000"),
        account_no="6222020200112233445",
    )
    page = rows(browser_for(account_manager).get(f"/clients/{mine.pk}/"))
    assert "定期存款" in page
    assert "6222020200112233445" not in page and "622202*********3445" in page
    assert "8,000.00" in page  # 1,000,000 × 0.8 % simulated annual profit


def test_supervisor_hands_ticked_clients_over(clients, browser_for, supervisor, team2_manager):
    mine = clients["mine"]
    browser = browser_for(supervisor)
    form = rows(browser.get("/clients/handover/", {"client": [mine.pk, clients["other"].pk]}))
    assert "1 位客户" in form or "1 client" in form  # the other team's client is silently out of scope
    response = browser.post(
        "/clients/handover/",
        {"clients": f"{mine.pk}", "to_staff": team2_manager.pk, "reason": "客户经理调岗"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.owner == team2_manager


def test_account_manager_cannot_hand_over(clients, browser_for, account_manager):
    assert browser_for(account_manager).get("/clients/handover/").status_code == 403


def test_completeness_page_rates_each_manager_in_scope(clients, browser_for, supervisor):
    page = rows(browser_for(supervisor).get("/clients/completeness/"))
    assert "苏婷瑶" in page and "钟欢岚" in page and "郭佳" not in page
    by_team = rows(browser_for(supervisor).get("/clients/completeness/", {"by": "org"}))
    assert "公司金融团队" in by_team and "小微金融团队" not in by_team


def test_desk_counts_only_the_viewers_clients(clients, browser_for, account_manager, admin):
    page = rows(browser_for(account_manager).get("/"))
    card = page.split('data-testid="clients-card"')[1].split("</section>")[0]
    assert '<div class="stat">1</div>' in card  # his one client, not the team's three
    assert 'data-testid="clients-card"' not in rows(browser_for(admin).get("/"))  # no archive-wide count


def test_detail_page_queries_do_not_grow_with_contacts_holdings_and_history(
    clients, browser_for, account_manager, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amdesk.clients.services import client_update, contact_save

    mine = clients["mine"]
    products = list(Product.objects.filter(is_active=True)[:6])

    def add(n):
        nonlocal mine
        contact_save(actor=account_manager, client=mine, data={"name": f"联系人{n}", "role": "经理"})
        mine = client_update(
            actor=account_manager,
            client=mine,
            data={"grade": grade(n % 5 + 1)},
            expected_version=mine.version,
        )
        holding_set(
            actor=account_manager,
            client=mine,
            product=products[n % len(products)],
            balance=Decimal(1000 + n),
            account_no="6222000011112222",
        )

    # Given one of each kind of row
    add(0)
    browser = browser_for(account_manager)
    browser.get(f"/clients/{mine.pk}/")
    with CaptureQueriesContext(connection) as few:
        browser.get(f"/clients/{mine.pk}/")
    # When many more contacts, holdings and changes arrive
    for n in range(1, 8):
        add(n)
    # Then the page runs no more queries than before
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = rows(browser.get(f"/clients/{mine.pk}/"))
    assert "联系人7" in page
