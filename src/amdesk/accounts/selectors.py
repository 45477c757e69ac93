"""Reads of the sign-in capability: a user's own API tokens and the accounts axes has locked."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, OuterRef, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from .models import ApiToken, LockedAccount


def api_token_list(*, viewer) -> QuerySet[ApiToken]:
    """The viewer's live tokens, newest first. Tokens are personal: nobody lists another's."""
    if viewer is None or not viewer.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=viewer, expires_at__gt=timezone.now())


def access_api_token(viewer, token_id: int) -> ApiToken:
    """One of the viewer's own live tokens; "not found" for anyone else's, expired or missing ones."""
    if not 0 < token_id < 2**63:  # ids past a 64-bit integer would crash the query
        raise Http404("No such token.")
    token = api_token_list(viewer=viewer).filter(pk=token_id).first()
    if token is None:
        raise Http404("No such token.")
    return token


def locked_account_list(*, now=None) -> QuerySet[LockedAccount]:
    """Failed-attempt rows of real users whose username django-axes locks right now (the same sum of
    failures within the cool-off that axes checks), with the person's name and his last failure."""
    threshold = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=threshold)
    locked = (
        recent.values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .values("username")
    )
    staff = get_user_model().objects.filter(username=OuterRef("username"))
    last_failure = (
        recent.filter(username=OuterRef("username")).values("username").annotate(last=Max("attempt_time"))
    )
    return (
        LockedAccount.objects.filter(attempt_time__gte=threshold, username__in=locked)
        .filter(username__in=get_user_model().objects.values("username"))
        .annotate(
            full_name=Subquery(staff.values("full_name")[:1]),
            last_failure=Subquery(last_failure.values("last")[:1]),
        )
        .order_by("-attempt_time")
    )
