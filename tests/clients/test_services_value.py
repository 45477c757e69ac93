"""A client's value: holdings, AUM snapshots, simulated profit and the credit rating form."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from amdesk.clients.models import (
    AumSnapshot,
    Client,
    ClientChange,
    ClientSettings,
    CreditRating,
    CreditRatingClass,
    Holding,
    Product,
)
from amdesk.clients.selectors import aum_series, holdings_of, profit_contribution
from amdesk.clients.services import aum_record, aum_snapshot_take, credit_rating_record
from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from tests.clients.factories import make_client, set_holding

TODAY = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2025, 6, 30), tick=False):
        yield TODAY


def history(client, field: str) -> list[tuple[str, str]]:
    return list(
        ClientChange.objects.filter(client=client, field=field)
        .order_by("id")
        .values_list("old_value", "new_value")
    )


# Holdings


def test_a_holding_is_opened_changed_and_closed_with_history(account_manager):
    client = make_client(account_manager)

    opened = set_holding(client, "time-deposit", "50000", account_no="6222 0212 3456 7890 123")
    assert opened.balance == Decimal("50000") and opened.account_no == "6222021234567890123"
    changed = set_holding(client, "time-deposit", "80000.5")
    assert changed.pk == opened.pk and changed.balance == Decimal("80000.50")
    assert changed.account_no == "6222021234567890123"  # kept when not given again
    assert set_holding(client, "time-deposit", 0) is None

    assert not Holding.objects.filter(client=client).exists()
    assert history(client, "holding:time-deposit") == [
        ("0.00", "50000.00"),
        ("50000.00", "80000.50"),
        ("80000.50", "0.00"),
    ]
    assert AuditEntry.objects.filter(event=AuditEvent.CLIENT_HOLDING_CHANGED).count() == 3


def test_setting_the_same_balance_or_closing_nothing_writes_no_history(account_manager):
    client = make_client(account_manager)
    assert set_holding(client, "mortgage", 0) is None
    set_holding(client, "mortgage", 300000)
    set_holding(client, "mortgage", "300000.00")
    assert len(history(client, "holding:mortgage")) == 1


@pytest.mark.parametrize(
    ("balance", "extra", "field"),
    [
        (-1, {}, "balance"),
        (100, {"account_no": "6222-abc"}, "account_no"),
    ],
)
def test_invalid_holdings_are_refused(account_manager, balance, extra, field):
    client = make_client(account_manager)
    with pytest.raises(ValidationError) as error:
        set_holding(client, "demand-deposit", balance, **extra)
    assert field in error.value.message_dict
    assert not Holding.objects.exists()


def test_a_withdrawn_product_takes_no_new_balance(account_manager):
    client = make_client(account_manager)
    Product.objects.filter(code="large-cd").update(is_active=False)
    with pytest.raises(ValidationError) as error:
        set_holding(client, "large-cd", 100)
    assert "product" in error.value.message_dict


def test_holdings_count_to_completeness_when_required(account_manager):
    from amdesk.clients.models import ArchiveRequirement

    ArchiveRequirement.objects.update(is_active=False)
    ArchiveRequirement.objects.create(field="holdings", applies_to="all")
    client = make_client(account_manager)
    set_holding(client, "demand-deposit", 100)
    client.refresh_from_db()
    assert client.completeness == 100


# AUM


def test_aum_is_copied_to_the_client_only_from_the_latest_snapshot(account_manager):
    client = make_client(account_manager)

    aum_record(actor=account_manager, client=client, as_of=date(2025, 5, 31), amount=Decimal("1000"))
    client.refresh_from_db()
    assert (client.aum, client.aum_as_of) == (Decimal("1000"), date(2025, 5, 31))

    # an older snapshot is stored but does not change the client's current AUM
    aum_record(actor=account_manager, client=client, as_of=date(2025, 3, 31), amount=Decimal("500"))
    client.refresh_from_db()
    assert (client.aum, client.aum_as_of) == (Decimal("1000"), date(2025, 5, 31))

    # correcting the latest one does, and so does a newer one
    aum_record(actor=account_manager, client=client, as_of=date(2025, 5, 31), amount=Decimal("1200"))
    client.refresh_from_db()
    assert client.aum == Decimal("1200")
    aum_record(actor=account_manager, client=client, as_of=date(2025, 6, 30), amount=Decimal("900"))
    client.refresh_from_db()
    assert (client.aum, client.aum_as_of) == (Decimal("900"), date(2025, 6, 30))
    assert AumSnapshot.objects.filter(client=client).count() == 3


@pytest.mark.parametrize(
    ("as_of", "amount", "field"),
    [(TODAY + timedelta(days=1), Decimal("1"), "as_of"), (TODAY, Decimal("-1"), "amount")],
)
def test_invalid_aum_is_refused(account_manager, as_of, amount, field):
    client = make_client(account_manager)
    with pytest.raises(ValidationError) as error:
        aum_record(actor=account_manager, client=client, as_of=as_of, amount=amount)
    assert field in error.value.message_dict
    assert not AumSnapshot.objects.exists()


def test_the_snapshot_sums_only_products_that_count_to_aum(account_manager, other_manager):
    rich = make_client(account_manager)
    set_holding(rich, "demand-deposit", 1000)
    set_holding(rich, "wealth-fixed", "2000.50")
    set_holding(rich, "mortgage", 500000)  # a loan: not an asset
    set_holding(rich, "credit-card", 3000)
    borrower = make_client(other_manager, "赵敏")
    set_holding(borrower, "mortgage", 800000)
    empty = make_client(other_manager, "钱七")

    assert aum_snapshot_take(as_of=TODAY) == 3

    amounts = dict(AumSnapshot.objects.filter(as_of=TODAY).values_list("client_id", "amount"))
    assert amounts == {rich.pk: Decimal("3000.50"), borrower.pk: Decimal("0"), empty.pk: Decimal("0")}
    rich.refresh_from_db()
    assert (rich.aum, rich.aum_as_of) == (Decimal("3000.50"), TODAY)
    # taken again on the same day: replaced, not duplicated
    set_holding(rich, "demand-deposit", 0)
    aum_snapshot_take(as_of=TODAY)
    assert AumSnapshot.objects.get(client=rich, as_of=TODAY).amount == Decimal("2000.50")
    assert AumSnapshot.objects.count() == 3


def test_the_aum_series_covers_the_configured_months(account_manager):
    client = make_client(account_manager)
    for as_of, amount in [
        (date(2024, 6, 30), 1),
        (date(2024, 7, 1), 2),
        (date(2025, 1, 31), 3),
        (date(2025, 6, 30), 4),
    ]:
        aum_record(actor=account_manager, client=client, as_of=as_of, amount=Decimal(amount))
    assert [amount for _as_of, amount in aum_series(client, today=TODAY)] == [2, 3, 4]
    settings = ClientSettings.current()
    settings.aum_chart_months = 6
    settings.save()
    assert [amount for _as_of, amount in aum_series(client, today=TODAY)] == [3, 4]
    # an explicit window
    window = aum_series(client, today=TODAY, start=date(2024, 1, 1), end=date(2024, 12, 31))
    assert [amount for _as_of, amount in window] == [1, 2]


# Profit contribution


def test_profit_contribution_groups_balance_times_margin_by_product_line(account_manager):
    client = make_client(account_manager)
    set_holding(client, "demand-deposit", 100000)  # 1.6 %
    set_holding(client, "time-deposit", 50000)  # 0.8 %
    set_holding(client, "mortgage", 200000)  # 1.1 %
    set_holding(client, "wealth-fixed", 10000)  # 0.45 %

    lines, total = profit_contribution(client)

    assert [(line.line, line.balance, line.profit) for line in lines] == [
        ("存款", Decimal("150000"), Decimal("2000.00")),
        ("贷款", Decimal("200000"), Decimal("2200.00")),
        ("理财", Decimal("10000"), Decimal("45.00")),
    ]
    assert total == Decimal("4245.00")
    # each holding carries its own simulated profit
    assert {row.product.code: row.profit for row in holdings_of(client)} == {
        "demand-deposit": Decimal("1600.00"),
        "time-deposit": Decimal("400.00"),
        "mortgage": Decimal("2200.00"),
        "wealth-fixed": Decimal("45.00"),
    }


def test_profit_follows_the_configured_margin(account_manager):
    client = make_client(account_manager)
    set_holding(client, "demand-deposit", 100000)
    Product.objects.filter(code="demand-deposit").update(margin_percent=Decimal("2.125"))
    assert profit_contribution(client)[1] == Decimal("2125.00")


def test_a_client_without_holdings_contributes_nothing(account_manager):
    assert profit_contribution(make_client(account_manager)) == ([], Decimal("0.00"))


# Credit rating

GOOD = {
    "repayment-capacity": 28,
    "operations": 18,
    "credit-history": 18,
    "collateral": 14,
    "relationship": 14,
}


def rate(client, actor, scores=GOOD, rated_on=TODAY, **extra):
    return credit_rating_record(actor=actor, client=client, rated_on=rated_on, scores=scores, **extra)


def test_a_rating_totals_the_items_and_finds_the_class(account_manager):
    client = make_client(account_manager)

    rating = rate(client, account_manager, remarks="年度评级")

    assert (rating.total, rating.rating_class) == (92, "AAA")
    assert rating.scores == GOOD and rating.rater == account_manager
    assert [item["code"] for item in rating.items] == list(GOOD)
    client.refresh_from_db()
    assert (client.credit_rating, client.credit_rated_on) == ("AAA", TODAY)
    assert history(client, "credit_rating") == [("", "AAA")]
    assert ClientChange.objects.get(field="credit_rating").source == ClientChange.Source.RATING


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({**GOOD, "collateral": 0, "relationship": 0}, "B"),  # 64
        ({**GOOD, "repayment-capacity": 20, "collateral": 10}, "AA"),  # 80, on the threshold
        (dict.fromkeys(GOOD, 0), "C"),
    ],
)
def test_the_class_follows_the_thresholds(account_manager, scores, expected):
    assert rate(make_client(account_manager), account_manager, scores=scores).rating_class == expected


def test_the_thresholds_are_configuration(account_manager):
    CreditRatingClass.objects.filter(code="AAA").update(min_score=95)
    assert rate(make_client(account_manager), account_manager).rating_class == "AA"


def test_every_item_is_checked_and_nothing_is_saved(account_manager):
    client = make_client(account_manager)
    scores = {
        **GOOD,
        "repayment-capacity": 31,
        "operations": "--1",
        "collateral": "很好",
        "relationship": 2.5,
    }
    del scores["credit-history"]

    with pytest.raises(ValidationError) as error:
        rate(client, account_manager, scores=scores, rated_on=TODAY + timedelta(days=1))

    assert set(error.value.message_dict) == {
        "repayment-capacity",
        "operations",
        "credit-history",
        "collateral",
        "relationship",
        "rated_on",
    }
    assert "30" in error.value.message_dict["repayment-capacity"][0]
    assert not CreditRating.objects.exists()
    client.refresh_from_db()
    assert client.credit_rating == "" and not ClientChange.objects.filter(client=client).exists()


def test_unknown_items_are_refused(account_manager):
    client = make_client(account_manager)
    with pytest.raises(ValidationError) as error:
        rate(client, account_manager, scores={**GOOD, "guesswork": 5})
    assert "guesswork" in error.value.message_dict
    assert not CreditRating.objects.exists()


def test_an_older_rating_does_not_replace_the_current_one(account_manager):
    client = make_client(account_manager)
    rate(client, account_manager, rated_on=date(2025, 6, 1))
    rate(client, account_manager, scores=dict.fromkeys(GOOD, 0), rated_on=date(2025, 1, 1))
    client.refresh_from_db()
    assert (client.credit_rating, client.credit_rated_on) == ("AAA", date(2025, 6, 1))
    assert history(client, "credit_rating") == [("", "AAA")]
    # a rating of the same day is not older: it replaces the current one
    rate(
        client,
        account_manager,
        scores={**GOOD, "collateral": 0, "relationship": 0},
        rated_on=date(2025, 6, 1),
    )
    client.refresh_from_db()
    assert client.credit_rating == "B"
    assert history(client, "credit_rating") == [("", "AAA"), ("AAA", "B")]
    assert CreditRating.objects.filter(client=client).count() == 3


def test_a_stale_client_object_does_not_let_an_older_rating_win(account_manager):
    client = make_client(account_manager)
    stale = Client.objects.get(pk=client.pk)
    rate(client, account_manager, rated_on=date(2025, 6, 1))
    rate(stale, account_manager, scores=dict.fromkeys(GOOD, 0), rated_on=date(2025, 1, 1))
    client.refresh_from_db()
    assert (client.credit_rating, client.credit_rated_on) == ("AAA", date(2025, 6, 1))


def test_scores_typed_as_text_or_whole_floats_are_accepted(account_manager):
    scores = {**GOOD, "repayment-capacity": " 28 ", "operations": 18.0}
    assert rate(make_client(account_manager), account_manager, scores=scores).total == 92
    with pytest.raises(ValidationError) as error:
        rate(make_client(account_manager), account_manager, scores={**GOOD, "operations": "-1"})
    assert "0" in error.value.message_dict["operations"][0]
