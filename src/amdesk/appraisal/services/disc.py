"""DISC job fit (seed 002 第3篇): the match of a style to a job model, and the profiles' writes.

The seed's formula images were lost (DOMAIN.md §1), so the match degree is taken as the absolute
difference |style − model| per factor and, for the four together, the mean of those four; smaller
is a better match. The pages say so beside every table of matches.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..models import DISC_FACTORS, DiscProfile
from ..selectors.disc import ensure_hr, profile_fingerprint
from .stale import check_fresh

SCORE_MIN, SCORE_MAX = 0, 100


def disc_scores(raw, name: str, *, whole: bool = False) -> dict[str, int | float]:
    """Four DISC scores (D, I, S, C), each a number from 0 to 100 (`whole`: whole numbers, as stored
    in a profile); a ValidationError in the user's language (keyed by `name`) for a missing or extra
    factor, a non-number or one out of range."""
    if not isinstance(raw, dict):
        raise ValidationError({name: _("Give the four scores D, I, S and C.")})
    missing = [f for f in DISC_FACTORS if f not in raw]
    extra = sorted(str(k) for k in raw if k not in DISC_FACTORS)
    if missing or extra:
        parts = []
        if missing:
            parts.append(_("missing %(factors)s") % {"factors": ", ".join(missing)})
        if extra:
            parts.append(_("unknown %(factors)s") % {"factors": ", ".join(extra)})
        raise ValidationError(
            {name: _("Give exactly the four scores D, I, S and C: %(what)s.") % {"what": "; ".join(parts)}}
        )
    scores = {}
    for factor in DISC_FACTORS:
        value = raw[factor]
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise ValidationError({name: _("The score of %(factor)s is not a number.") % {"factor": factor}})
        if whole and value != int(value):
            raise ValidationError(
                {name: _("The score of %(factor)s must be a whole number.") % {"factor": factor}}
            )
        if not SCORE_MIN <= value <= SCORE_MAX:
            raise ValidationError(
                {name: _("The score of %(factor)s must be from 0 to 100.") % {"factor": factor}}
            )
        scores[factor] = int(value) if whole else value
    return scores


@dataclass(frozen=True)
class DiscMatch:
    per_factor: dict[str, float]
    overall: float


def disc_match(model: dict, style: dict) -> DiscMatch:
    """Per factor |style − model|; overall the mean of the four (smaller is better)."""
    per_factor = {f: abs(float(style[f]) - float(model[f])) for f in DISC_FACTORS}
    return DiscMatch(per_factor=per_factor, overall=sum(per_factor.values()) / len(DISC_FACTORS))


def _set_scores(profile: DiscProfile, prefix: str, scores: dict) -> None:
    for factor in DISC_FACTORS:
        setattr(profile, f"{prefix}_{factor.lower()}", scores[factor])


@transaction.atomic
def disc_profile_save(
    *,
    actor,
    profile: DiscProfile | None = None,
    staff=None,
    candidate_name: str = "",
    assessed_on: date | None = None,
    inner: dict,
    outer: dict,
    expected: str | None = None,
    request=None,
) -> DiscProfile:
    """Create (profile=None) or change a person's DISC profile: a staff member, or a candidate named
    by `candidate_name`. For the appraisal admin and the system admin (HR data)."""
    ensure_hr(actor)
    inner = disc_scores(inner, "inner", whole=True)
    outer = disc_scores(outer, "outer", whole=True)
    creating = profile is None
    if creating:
        profile = DiscProfile(entered_by=actor)
    else:
        profile = DiscProfile.objects.select_for_update().get(pk=profile.pk)
        check_fresh(expected, profile_fingerprint(profile))
    before = {"inner": profile.inner, "outer": profile.outer} if not creating else None
    profile.staff = staff
    profile.candidate_name = "" if staff is not None else (candidate_name or "").strip()
    if assessed_on is not None:
        profile.assessed_on = assessed_on
    _set_scores(profile, "inner", inner)
    _set_scores(profile, "outer", outer)
    if staff is None and not profile.candidate_name:
        raise ValidationError({"candidate_name": _("Choose a staff member or name the candidate.")})
    profile.full_clean()
    profile.save()
    audit_record(
        event=AuditEvent.DISC_PROFILE_CHANGED,
        actor=actor,
        request=request,
        target=profile,
        detail={"created": creating, "before": before, "inner": profile.inner, "outer": profile.outer},
    )
    return profile
