"""Archive completeness 客户档案完备率: which required fields a client's archive has filled in.

Which fields are required is data (ArchiveRequirement, edited in the admin, seeded by the
industry preset). Each checkable field is one SQL condition here, so the same definition
computes one client's missing list, refreshes a million clients' percentages in one UPDATE,
and never drifts between the two.
"""

from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _


def _filled(field: str) -> Q:
    return ~Q(**{field: ""})


def _related(model_name: str):
    def condition():
        from amdesk.clients import models

        model = getattr(models, model_name)
        return Q(Exists(model.objects.filter(client_id=OuterRef("pk"))))

    return condition


def _tags():
    from amdesk.clients.models import Client

    return Q(Exists(Client.tags.through.objects.filter(client_id=OuterRef("pk"))))


# field code -> (label, condition factory); conditions are built lazily (models import this module).
CHECKS = {
    "name": (_("Name"), lambda: _filled("name")),
    "id_number": (_("Resident ID number"), lambda: _filled("id_number")),
    "mobile": (_("Mobile"), lambda: _filled("mobile")),
    "address": (_("Address"), lambda: _filled("address")),
    "occupation": (_("Occupation"), lambda: _filled("occupation")),
    "birth_date": (_("Birth date"), lambda: Q(birth_date__isnull=False)),
    "credit_code": (_("Unified social credit code"), lambda: _filled("credit_code")),
    "industry": (_("Industry"), lambda: _filled("industry")),
    "size": (_("Size"), lambda: _filled("size")),
    "legal_representative": (_("Legal representative"), lambda: _filled("legal_representative")),
    "vip_level": (_("VIP level"), lambda: Q(vip_level__isnull=False)),
    "grade": (_("Client grade"), lambda: Q(grade__isnull=False)),
    "source": (_("Source"), lambda: _filled("source")),
    "onboarded_on": (_("Onboarding date"), lambda: Q(onboarded_on__isnull=False)),
    "credit_rating": (_("Credit rating"), lambda: _filled("credit_rating")),
    "tags": (_("Tags"), _tags),
    "contacts": (_("Contacts"), _related("Contact")),
    "holdings": (_("Product holdings"), _related("Holding")),
}

FIELD_CHOICES = [(code, label) for code, (label, _factory) in CHECKS.items()]


def field_label(code: str) -> str:
    return str(CHECKS[code][0]) if code in CHECKS else code


def _requirements() -> list[tuple[str, str]]:
    from amdesk.clients.models import ArchiveRequirement

    return list(
        ArchiveRequirement.objects.filter(is_active=True, field__in=CHECKS).values_list("field", "applies_to")
    )


def _applies(applies_to: str) -> Q:
    return Q() if applies_to == "all" else Q(kind=applies_to)


def completeness_expression(requirements: Iterable[tuple[str, str]] | None = None):
    """SQL for the percentage of a client's required fields that are filled (100 when none apply)."""
    requirements = list(_requirements() if requirements is None else requirements)
    if not requirements:
        return Value(100)
    filled = sum(
        (
            Case(When(_applies(applies) & CHECKS[field][1](), then=Value(1)), default=Value(0))
            for field, applies in requirements
        ),
        Value(0),
    )
    required = sum(
        (
            Value(1) if applies == "all" else Case(When(_applies(applies), then=Value(1)), default=Value(0))
            for _field, applies in requirements
        ),
        Value(0),
    )
    # Integer percent, rounded down (integer division on both databases); a client to whom no
    # requirement applies counts as complete.
    return ExpressionWrapper(
        filled * 100 / Greatest(required, Value(1)) + (Value(1) - Least(required, Value(1))) * 100,
        output_field=IntegerField(),
    )


def completeness_refresh(queryset) -> int:
    """Recompute the stored percentage of every client in `queryset` with one UPDATE."""
    return queryset.update(completeness=completeness_expression())


def missing_fields(client) -> list[str]:
    """Labels of the required fields this client's archive still lacks, in the configured order."""
    return [field_label(code) for code in missing_field_codes(client)]


def missing_field_codes(client) -> list[str]:
    """Codes of the required fields this client's archive still lacks, in the configured order."""
    from amdesk.clients.models import Client

    requirements = [(field, applies) for field, applies in _requirements() if applies in ("all", client.kind)]
    if not requirements:
        return []
    flags = (
        Client.objects.filter(pk=client.pk)
        .annotate(
            **{
                f"has_{field}": ExpressionWrapper(CHECKS[field][1](), output_field=BooleanField())
                for field, _applies in requirements
            }
        )
        .values(*(f"has_{field}" for field, _applies in requirements))
        .first()
    ) or {}
    return [field for field, _applies in requirements if not flags.get(f"has_{field}")]
