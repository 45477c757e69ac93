"""The credit rating form 客户信用评定表: item scores, a total and the class it reaches."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import Client, ClientChange, CreditRating, CreditRatingClass, CreditRatingItem
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from .derived import derived_refresh


def rating_class_for(total: int) -> str:
    found = CreditRatingClass.objects.filter(min_score__lte=total).order_by("-min_score").first()
    return found.code if found else ""


@transaction.atomic
def credit_rating_record(
    *, actor, client: Client, rated_on: date, scores: dict, remarks: str = "", request=None
) -> CreditRating:
    """Score every item of the form; the client's current rating is the latest by date."""
    items = list(CreditRatingItem.objects.filter(is_active=True))
    if not items:
        raise ValidationError(_("The credit rating form has no items; an administrator sets them up."))
    errors = {}
    clean: dict[str, int] = {}
    for item in items:
        raw = scores.get(item.code)
        try:
            score = int(raw)
        except (TypeError, ValueError):
            errors[item.code] = [_("Give a score for “%(item)s”.") % {"item": item}]
            continue
        if not 0 <= score <= item.max_score:
            errors[item.code] = [
                _("The score for “%(item)s” is between 0 and %(max)d.")
                % {"item": item, "max": item.max_score}
            ]
            continue
        clean[item.code] = score
    if rated_on > timezone.localdate():
        errors["rated_on"] = [_("A rating cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    total = sum(clean.values())
    rating = CreditRating.objects.create(
        client=client,
        rated_on=rated_on,
        rater=actor,
        scores=clean,
        items=[{"code": i.code, "name": i.name, "name_en": i.name_en, "max": i.max_score} for i in items],
        total=total,
        rating_class=rating_class_for(total),
        remarks=remarks,
    )
    if client.credit_rated_on is None or rated_on >= client.credit_rated_on:
        ClientChange.objects.create(
            client=client,
            field="credit_rating",
            old_value=client.credit_rating,
            new_value=rating.rating_class,
            source=ClientChange.Source.RATING,
            changed_by=actor,
        )
        Client.objects.filter(pk=client.pk).update(
            credit_rating=rating.rating_class, credit_rated_on=rated_on
        )
        client.credit_rating, client.credit_rated_on = rating.rating_class, rated_on
    derived_refresh([client.pk])
    audit_record(
        event=AuditEvent.CLIENT_CREDIT_RATED,
        actor=actor,
        request=request,
        target=client,
        detail={"total": total, "class": rating.rating_class},
    )
    return rating
