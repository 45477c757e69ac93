"""The credit rating form 客户信用评定表: item scores, a total and the class it reaches."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import Client, ClientChange, CreditRating, CreditRatingClass, CreditRatingItem
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import check_client_write

from .derived import derived_refresh


def _whole_number(raw) -> int | None:
    """A score as typed or sent: 12, "12" or 12.0; None for anything else (blank, 2.5, true, "很好")."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        try:
            return int(raw.strip())
        except ValueError:
            return None
    return None


def rating_class_for(total: int) -> str:
    found = CreditRatingClass.objects.filter(min_score__lte=total).order_by("-min_score").first()
    return found.code if found else ""


@transaction.atomic
def credit_rating_record(
    *, actor, client: Client, rated_on: date, scores: dict, remarks: str = "", request=None
) -> CreditRating:
    """Score every item of the form; the client's current rating is the latest by date."""
    check_client_write(actor, client)
    items = list(CreditRatingItem.objects.filter(is_active=True))
    if not items:
        raise ValidationError(_("The credit rating form has no items; an administrator sets them up."))
    errors = {}
    clean: dict[str, int] = {}
    for item in items:
        score = _whole_number(scores.get(item.code))
        if score is None:
            errors[item.code] = [_("Give a whole-number score for “%(item)s”.") % {"item": item}]
        elif not 0 <= score <= item.max_score:
            errors[item.code] = [
                _("The score for “%(item)s” is between 0 and %(max)d.")
                % {"item": item, "max": item.max_score}
            ]
        else:
            clean[item.code] = score
    # A score for an item the form does not have is a mistake (an old form, a typo), not noise.
    for code in scores.keys() - {item.code for item in items}:
        errors[code] = [_("The credit rating form has no item “%(code)s”.") % {"code": code}]
    if rated_on > timezone.localdate():
        errors["rated_on"] = [_("A rating cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    total = sum(clean.values())
    rating = CreditRating(
        client=client,
        rated_on=rated_on,
        rater=actor,
        scores=clean,
        items=[{"code": i.code, "name": i.name, "name_en": i.name_en, "max": i.max_score} for i in items],
        total=total,
        rating_class=rating_class_for(total),
        remarks=remarks,
    )
    rating.full_clean()
    rating.save()
    # The client's current rating is the latest by date; a rating of an earlier date (entered late)
    # joins the history only. Decided in the UPDATE itself, so a stale `client` object cannot
    # let an older rating overwrite a newer one.
    previous = (
        Client.objects.select_for_update().filter(pk=client.pk).values_list("credit_rating", flat=True).get()
    )
    is_current = (
        Client.objects.filter(pk=client.pk)
        .filter(Q(credit_rated_on__isnull=True) | Q(credit_rated_on__lte=rated_on))
        .update(credit_rating=rating.rating_class, credit_rated_on=rated_on)
    )
    if is_current:
        ClientChange.objects.create(
            client=client,
            field="credit_rating",
            old_value=previous,
            new_value=rating.rating_class,
            source=ClientChange.Source.RATING,
            changed_by=actor,
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
