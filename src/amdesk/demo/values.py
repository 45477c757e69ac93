"""Demo values: holdings, AUM history, tags, contacts and ratings, written with the clients they belong to.

The clients step hands each generated client to `ClientValues`, which adds the client's value
rows (value_rows.py) to the batch and returns the figures the client row records of them: AUM
and its date, the big-account flag, the stakeholder gap, the current rating, completeness. So
every client row is written once, complete; rewriting a million rows afterwards would cost
more than writing them (every UPDATE of an indexed column rewrites the row's index entries).

`refresh_figures` then runs the services' own set-based refreshes over all clients, limited to
the rows whose stored figure differs from what the rows say; it returns how many it corrected
(none, unless the rules here and the services' drift apart, which the tests would notice).
"""

import random
from datetime import date
from functools import cache

from django.db.models import Exists, OuterRef, Q, Subquery

from amdesk.clients.completeness import CHECKS, completeness_expression, completeness_refresh
from amdesk.clients.models import (
    ArchiveRequirement,
    AumSnapshot,
    Client,
    ClientSettings,
    Contact,
    CreditRating,
    CreditRatingItem,
    Holding,
    Product,
    Tag,
)
from amdesk.clients.services.derived import stakeholder_refresh
from amdesk.clients.services.rating import rating_class_for
from amdesk.core.rows import RowWriter

from .value_rows import (
    CONTACT_FIELDS,
    HOLDING_FIELDS,
    RATING_FIELDS,
    SNAPSHOT_FIELDS,
    TAG_FIELDS,
    TAGS,
    Catalogue,
    Figures,
    ValueBatch,
    ValueRows,
)

FIGURE_FIELDS = (
    "aum",
    "aum_as_of",
    "is_big_account",
    "stakeholder_gap",
    "credit_rating",
    "credit_rated_on",
    "completeness",
)
RELATED = {"tags", "contacts", "holdings"}  # completeness checks that look at other tables


def catalogue() -> Catalogue:
    products = [
        (product.pk, product.line.code, product.counts_to_aum)
        for product in Product.objects.filter(is_active=True).select_related("line").order_by("order", "code")
    ]
    items = [
        {"code": item.code, "name": item.name, "name_en": item.name_en, "max": item.max_score}
        for item in CreditRatingItem.objects.filter(is_active=True)
    ]
    tag_ids = {name: Tag.objects.get_or_create(name=name)[0].pk for name in TAGS}
    return Catalogue(products=products, rating_items=items, tag_ids=tag_ids)


class Completeness:
    """The archive completeness of a client about to be written, by the active requirements.

    Mirrors completeness.CHECKS for the checks it understands (a field filled in, a related row
    present); with any other check it gives 0 and leaves the figure to `completeness_refresh`.
    """

    def __init__(self):
        self.requirements = list(
            ArchiveRequirement.objects.filter(is_active=True, field__in=CHECKS).values_list(
                "field", "applies_to"
            )
        )
        columns = {field.name: field.attname for field in Client._meta.concrete_fields}
        self.known = all(field in RELATED or field in columns for field, _applies in self.requirements)
        self.attnames = {field: columns.get(field, field) for field, _applies in self.requirements}

    def percent(self, client: dict, figures: Figures) -> int:
        if not self.known:
            return 0
        required = filled = 0
        for field, applies in self.requirements:
            if applies not in ("all", client["kind"]):
                continue
            required += 1
            if field in RELATED:
                filled += getattr(figures, field) > 0
            else:
                filled += client[self.attnames[field]] not in ("", None)
        return filled * 100 // required if required else 100


class ClientValues:
    """Value rows for clients as they are generated (see the module's docstring)."""

    fields = FIGURE_FIELDS
    models = (Holding, AumSnapshot, Client.tags.through, Contact, CreditRating)

    def __init__(self, *, rng: random.Random, today: date, history_share: float = 1.0):
        self.generator = ValueRows(
            rng=rng,
            today=today,
            catalogue=catalogue(),
            # The class a total reaches, as the rating service decides it: one query per distinct total.
            rating_class=cache(rating_class_for),
            history_share=history_share,
        )
        self.min_contacts = ClientSettings.current().big_account_min_contacts
        self.completeness = Completeness()
        self.batch = ValueBatch()

    def figures(self, client: dict) -> tuple:
        """Generate the client's value rows; returns its FIGURE_FIELDS."""
        found = self.generator.add(client, self.batch)
        gap = found.is_big_account and (found.contacts < self.min_contacts or not found.decision_makers)
        client = {
            **client,
            "credit_rating": found.credit_rating,
            "credit_rated_on": found.credit_rated_on,
            "aum": found.aum,
            "aum_as_of": found.aum_as_of,
            "is_big_account": found.is_big_account,
        }
        return (
            found.aum,
            found.aum_as_of,
            found.is_big_account,
            gap,
            found.credit_rating,
            found.credit_rated_on,
            self.completeness.percent(client, found),
        )

    def write(self, writer: RowWriter) -> None:
        """Write the value rows of the clients generated since the last call (after those clients)."""
        batch, self.batch = self.batch, ValueBatch()
        rows = (batch.holdings, batch.snapshots, batch.tags, batch.contacts, batch.ratings)
        fields = (HOLDING_FIELDS, SNAPSHOT_FIELDS, TAG_FIELDS, CONTACT_FIELDS, RATING_FIELDS)
        for model, model_fields, model_rows in zip(self.models, fields, rows, strict=True):
            writer.write(model, model_fields, model_rows)


def refresh_figures() -> dict[str, int]:
    """Set every client's stored figures from its rows where they differ; returns the rows corrected."""
    clients = Client.objects.all()
    latest = AumSnapshot.objects.filter(client_id=OuterRef("pk")).order_by("-as_of")
    amount, as_of = Subquery(latest.values("amount")[:1]), Subquery(latest.values("as_of")[:1])
    aum = (
        clients.filter(Exists(latest))
        .filter(Q(aum_as_of__isnull=True) | ~Q(aum=amount) | ~Q(aum_as_of=as_of))
        .update(aum=amount, aum_as_of=as_of)
    )
    rating = CreditRating.objects.filter(client_id=OuterRef("pk")).order_by("-rated_on", "-id")
    rated_class, rated_on = (
        Subquery(rating.values("rating_class")[:1]),
        Subquery(rating.values("rated_on")[:1]),
    )
    ratings = (
        clients.filter(Exists(rating))
        .filter(
            Q(credit_rated_on__isnull=True) | ~Q(credit_rating=rated_class) | ~Q(credit_rated_on=rated_on)
        )
        .update(credit_rating=rated_class, credit_rated_on=rated_on)
    )
    completeness = completeness_refresh(clients.exclude(completeness=completeness_expression()))
    return {
        "aum": aum,
        "credit_rating": ratings,
        "completeness": completeness,
        "stakeholder_gap": stakeholder_refresh(clients),
    }
