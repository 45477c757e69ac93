"""DISC job fit, read: who may see it (HR data), the job models, candidates ranked for a model."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ..models import DISC_FACTORS, AppraisalSettings, DiscModel, DiscProfile

HR_ROLES = frozenset({"appraisal_admin", "system_admin"})


def is_hr(viewer) -> bool:
    """The appraisal admin and the system admin see and change DISC profiles (personal HR data)."""
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.is_superuser or bool(HR_ROLES & viewer.role_codes)


def ensure_hr(viewer) -> None:
    if not is_hr(viewer):
        raise PermissionDenied(_("Only the appraisal administrator sees and changes DISC profiles."))


def disc_models(*, viewer):
    ensure_hr(viewer)
    return DiscModel.objects.select_related("role").order_by("role_id", "name")


def disc_profiles(*, viewer):
    ensure_hr(viewer)
    return DiscProfile.objects.select_related("staff", "staff__org_node").order_by("-assessed_on", "id")


def access_disc_profile(viewer, profile_id) -> DiscProfile:
    return get_object_or_404(disc_profiles(viewer=viewer), pk=profile_id)


def profile_fingerprint(profile: DiscProfile) -> str:
    from ..services.stale import fingerprint

    return fingerprint(
        [profile.staff_id, profile.candidate_name, profile.assessed_on, profile.inner, profile.outer]
    )


def style_of(profile: DiscProfile, rank_by: str) -> dict[str, float]:
    """The style compared with the model: outer, inner, or the mean of both (the settings say which)."""
    if rank_by == AppraisalSettings.DiscStyle.INNER:
        return dict(profile.inner)
    if rank_by == AppraisalSettings.DiscStyle.BOTH:
        return {f: (profile.inner[f] + profile.outer[f]) / 2 for f in DISC_FACTORS}
    return dict(profile.outer)


@dataclass(frozen=True)
class RankedCandidate:
    rank: int
    profile: DiscProfile
    style: dict[str, float]
    per_factor: dict[str, float]
    overall: float


def disc_ranking(
    *, viewer, model: DiscModel, rank_by: str | None = None, limit: int = 500
) -> list[RankedCandidate]:
    """Every profile (each person's latest) ranked by its overall match to `model`, best first."""
    from ..services.disc import disc_match

    rank_by = rank_by or AppraisalSettings.current().disc_rank_by
    latest: dict = {}
    for profile in disc_profiles(viewer=viewer)[: limit * 2]:
        # The newest assessment of a staff member stands for him; candidates are each their own.
        key = ("staff", profile.staff_id) if profile.staff_id else ("profile", profile.pk)
        latest.setdefault(key, profile)
    rows = []
    for profile in list(latest.values())[:limit]:
        style = style_of(profile, rank_by)
        match = disc_match(model.scores, style)
        rows.append((match.overall, profile.person_name, profile, style, match))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [
        RankedCandidate(rank=n, profile=p, style=s, per_factor=m.per_factor, overall=m.overall)
        for n, (_o, _n, p, s, m) in enumerate(rows, start=1)
    ]
