"""The demo's clients carry value data that agrees with itself and with the services' rules."""

import os
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import F

from amdesk.clients.completeness import completeness_expression
from amdesk.clients.models import (
    AumSnapshot,
    Client,
    ClientOwnership,
    ClientSearchKey,
    ClientSettings,
    Contact,
    CreditRating,
    CreditRatingClass,
    CreditRatingItem,
    Holding,
    Product,
)
from amdesk.clients.search import keys_for
from amdesk.core.rows import RowWriter
from amdesk.demo import builder as demo_builder
from amdesk.demo.builder import DemoBuilder
from amdesk.demo.imports import CLEAN_ROWS
from amdesk.demo.value_rows import BIG_ACCOUNT_AUM

CLIENTS = 1500


@pytest.fixture
def demo(db):
    builder = DemoBuilder(industry="bank", seed=11, clients=CLIENTS)
    builder.run()
    return builder


def _aum_of_holdings() -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for client_id, balance in Holding.objects.filter(product__counts_to_aum=True).values_list(
        "client_id", "balance"
    ):
        totals[client_id] += balance
    return totals


def test_holdings_come_from_the_catalogue_with_card_and_account_numbers(demo):
    holdings = Holding.objects.select_related("product__line")
    assert holdings.exists()
    assert not holdings.exclude(product__in=Product.objects.filter(is_active=True)).exists()
    numbered = 0
    for holding in holdings:
        assert holding.balance > 0
        if holding.product.line.code in ("card", "deposit"):
            assert holding.account_no.isdigit() and 16 <= len(holding.account_no) <= 19
            numbered += 1
        else:
            assert holding.account_no == ""
    assert numbered
    # only won clients hold products
    assert set(Client.objects.filter(holdings__isnull=False).values_list("lifecycle", flat=True)) == {"won"}


def test_aum_history_ends_at_the_holdings_and_sits_on_the_client(demo):
    # Given the snapshots of every client, oldest first
    series = defaultdict(list)
    for client_id, as_of, amount in AumSnapshot.objects.order_by("client_id", "as_of").values_list(
        "client_id", "as_of", "amount"
    ):
        series[client_id].append((as_of, amount))
    assert series
    totals = _aum_of_holdings()
    # then the latest snapshot is what the client holds today, and the client row shows it
    clients = Client.objects.in_bulk(list(series))
    for client_id, points in series.items():
        as_of, amount = points[-1]
        assert amount == totals.get(client_id, Decimal("0")), client_id
        assert (clients[client_id].aum, clients[client_id].aum_as_of) == (amount, as_of)
    assert not Client.objects.filter(aum_snapshots__isnull=True).exclude(aum=0).exists()
    # a year of month-ends for most, shorter for recent clients or with gaps for some
    lengths = {len(points) for points in series.values()}
    assert max(lengths) == 12 and min(lengths) < 12
    assert len({amount for points in series.values() for _as_of, amount in points}) > len(series)


def test_big_accounts_have_contacts_and_short_ones_are_flagged(demo):
    minimum = ClientSettings.current().big_account_min_contacts
    big = Client.objects.filter(is_big_account=True)
    assert big.exists() and not big.exclude(kind="corporate").exists()
    assert Contact.objects.exclude(client__kind="corporate").count() == 0
    flagged = unflagged = 0
    for client in big.prefetch_related("contacts"):
        contacts = list(client.contacts.all())
        short = len(contacts) < minimum or not any(contact.is_decision_maker for contact in contacts)
        assert client.stakeholder_gap == short, client.pk
        flagged += short
        unflagged += not short
    assert flagged and unflagged
    assert not Client.objects.filter(is_big_account=False, stakeholder_gap=True).exists()
    # a big account is a corporate with a large AUM
    assert big.order_by("aum").first().aum >= BIG_ACCOUNT_AUM


def test_ratings_reach_the_class_their_score_reaches(demo):
    classes = list(CreditRatingClass.objects.order_by("-min_score").values_list("code", "min_score"))
    items = [
        {"code": item.code, "name": item.name, "name_en": item.name_en, "max": item.max_score}
        for item in CreditRatingItem.objects.filter(is_active=True)
    ]
    ratings = list(CreditRating.objects.select_related("client"))
    assert ratings
    assert {rating.client.kind for rating in ratings} == {"corporate", "individual"}
    latest = {}
    for rating in sorted(ratings, key=lambda r: (r.rated_on, r.pk)):
        assert rating.items == items
        assert set(rating.scores) == {item["code"] for item in items}
        assert all(0 <= rating.scores[item["code"]] <= item["max"] for item in items)
        assert rating.total == sum(rating.scores.values())
        assert rating.rating_class == next(code for code, minimum in classes if rating.total >= minimum)
        assert rating.rater_id == rating.client.owner_id
        latest[rating.client_id] = rating
    assert len({rating.rating_class for rating in ratings}) > 2
    for rating in latest.values():
        client = rating.client
        client.refresh_from_db()
        assert (client.credit_rating, client.credit_rated_on) == (rating.rating_class, rating.rated_on)
    assert not Client.objects.exclude(pk__in=list(latest)).exclude(credit_rating="").exists()


def test_tags_and_completeness(demo):
    tagged = Client.objects.filter(tags__isnull=False).distinct().count()
    assert 0.1 * CLIENTS < tagged < 0.5 * CLIENTS
    # the stored completeness is exactly what the refresh computes, and some archives are incomplete
    differing = Client.objects.annotate(expected=completeness_expression()).exclude(
        completeness=F("expected")
    )
    assert not differing.exists()
    assert Client.objects.filter(completeness__lt=100).exists()
    assert Client.objects.filter(completeness=100).exists()


def test_the_figures_written_with_the_clients_need_no_correction(demo):
    # The services' refreshes ran over all clients at the end and found nothing to change:
    # the demo's own figures (AUM, rating, completeness, stakeholder gap) follow the same rules.
    assert demo.corrected and set(demo.corrected.values()) == {0}


def test_search_keys_are_the_clients_keys(demo):
    for client in Client.objects.order_by("?")[:100]:
        stored = set(ClientSearchKey.objects.filter(client=client).values_list("key", flat=True))
        assert stored == keys_for(
            name=client.name, mobile=client.mobile, id_number=client.id_number, credit_code=client.credit_code
        )


def test_a_large_demo_gives_the_history_to_a_share(db, monkeypatch):
    monkeypatch.setattr(demo_builder, "FULL_HISTORY", 100)
    DemoBuilder(industry="bank", seed=3, clients=400).run()
    per_client = defaultdict(int)
    for client_id in AumSnapshot.objects.values_list("client_id", flat=True):
        per_client[client_id] += 1
    assert 1 in per_client.values() and max(per_client.values()) > 1
    totals = _aum_of_holdings()
    for client in Client.objects.filter(pk__in=list(per_client)):
        assert client.aum == totals.get(client.pk, Decimal("0"))


def _sorted(rows) -> list:
    return sorted(rows, key=repr)  # repr: dates and None side by side


def _fingerprint() -> dict:
    """Everything the demo wrote about its clients, by natural keys (row ids of child tables differ)."""
    client_fields = [
        field.attname
        for field in Client._meta.concrete_fields
        if field.attname not in ("owner_id", "org_node_id", "vip_level_id", "created_at", "updated_at")
    ]
    return {
        "clients": list(
            Client.objects.order_by("pk").values_list(
                *client_fields, "owner__username", "org_node__code", "vip_level__code"
            )
        ),
        "tags": _sorted(Client.tags.through.objects.values_list("client_id", "tag__name")),
        "keys": _sorted(ClientSearchKey.objects.values_list("client_id", "key")),
        "owners": _sorted(ClientOwnership.objects.values_list("client_id", "owner__username")),
        "holdings": _sorted(
            Holding.objects.values_list("client_id", "product__code", "balance", "account_no", "opened_on")
        ),
        "snapshots": _sorted(AumSnapshot.objects.values_list("client_id", "as_of", "amount")),
        "contacts": _sorted(
            Contact.objects.values_list(
                "client_id",
                "name",
                "role",
                "is_decision_maker",
                "influence",
                "stance",
                "vested_interests",
                "mobile",
                "last_contact_on",
            )
        ),
        "ratings": _sorted(
            (client_id, rated_on, rater, sorted(scores.items()), total, rating_class)
            for client_id, rated_on, rater, scores, total, rating_class in CreditRating.objects.values_list(
                "client_id", "rated_on", "rater__username", "scores", "total", "rating_class"
            )
        ),
    }


def test_fast_path_writes_what_the_orm_path_writes(db):
    # Given the same seed, once through COPY / executemany and once through bulk_create
    assert RowWriter(fast=True).is_fast == (connection.vendor in ("sqlite", "postgresql"))
    with transaction.atomic():
        builder = DemoBuilder(industry="bank", seed=5, clients=600, fast=True)
        builder.run()
        fast = _fingerprint()
        transaction.set_rollback(True)
    builder = DemoBuilder(industry="bank", seed=5, clients=600, fast=False)
    assert not builder.writer.is_fast
    builder.run()
    normal = _fingerprint()
    # then the data are the same, row for row
    assert len(fast["clients"]) == 600 + CLEAN_ROWS and fast["holdings"] and fast["ratings"]
    for table in normal:
        assert fast[table] == normal[table], table


def test_refresh_corrects_figures_that_are_off(demo):
    from amdesk.demo.values import refresh_figures

    # Given one client whose stored AUM, rating and completeness disagree with its rows
    rated = Client.objects.exclude(credit_rating="").filter(aum_snapshots__isnull=False).first()
    right = (rated.aum, rated.credit_rating, rated.completeness)
    Client.objects.filter(pk=rated.pk).update(
        aum=1, credit_rating="X", completeness=(rated.completeness + 1) % 100
    )
    # when the figures are refreshed, that one row is put right
    assert refresh_figures() == {"aum": 1, "credit_rating": 1, "completeness": 1, "stakeholder_gap": 0}
    rated.refresh_from_db()
    assert (rated.aum, rated.credit_rating, rated.completeness) == right


def _schema() -> list:
    """The indexes and constraints of the client tables, as the database itself describes them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid::regclass::text LIKE 'clients\\_%%'"
                " UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes"
                " WHERE tablename LIKE 'clients\\_%%'"
            )
        else:
            cursor.execute("SELECT tbl_name, name, sql FROM sqlite_master WHERE tbl_name LIKE 'clients%%'")
        return sorted(cursor.fetchall())


def test_a_big_load_puts_indexes_and_constraints_back(db, monkeypatch):
    from amdesk.demo import clients

    workers = []

    class Recorded(clients.NameKeys):
        def __init__(self, *, parallel):
            super().__init__(parallel=parallel)
            workers.append(self.pool is not None)

    # Given a load big enough (made small here) for the second process, with the indexes set aside
    monkeypatch.setattr(clients, "PARALLEL_FROM", 100)
    monkeypatch.setattr(clients, "NameKeys", Recorded)
    before = _schema()
    DemoBuilder(industry="bank", seed=9, clients=300).run()
    # then the schema is as it was, and the keys the worker worked out are keys_for's
    assert _schema() == before
    assert workers == [(os.cpu_count() or 1) > 1]
    for client in Client.objects.order_by("?")[:30]:
        stored = set(ClientSearchKey.objects.filter(client=client).values_list("key", flat=True))
        assert stored == keys_for(
            name=client.name, mobile=client.mobile, id_number=client.id_number, credit_code=client.credit_code
        )
