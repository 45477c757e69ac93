"""Training pages: the month's sessions with attendance counts, each team's cadence (shortfalls in
red) and the credits earned; a session's form with the attendance checklist of the people under
its node. Scoped: a supervisor or head his nodes, the appraisal admin all."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..models import AppraisalSettings, TrainingAttendance, TrainingSession
from ..selectors import training as selectors
from ..services.training import attendance_record, training_session_save
from .posted import posted_id, posted_ids


def _month(raw: str | None) -> date:
    today = timezone.localdate()
    if not raw:
        return today.replace(day=1)
    try:
        return date.fromisoformat(f"{raw}-01")
    except ValueError:
        raise Http404("No such month.") from None


@login_required
@require_GET
def training_view(request):
    month = _month(request.GET.get("month"))
    start, end = selectors.month_bounds(month)
    settings = AppraisalSettings.current()
    previous = (start.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (end + timedelta(days=1)).replace(day=1)
    context = {
        "month": month,
        "previous": previous,
        "following": following,
        "sessions": list(selectors.training_sessions(viewer=request.user, start=start, end=end)),
        "cadence": selectors.training_cadence(viewer=request.user, month=month),
        "credits": selectors.training_credits(viewer=request.user, start=start, end=end)[:300],
        "settings": settings,
        "may_create": selectors.trainable_nodes(request.user).exists(),
    }
    return render(request, "appraisal/people/training.html", context)


def _decimal(raw, name):
    try:
        return Decimal(raw)
    except (InvalidOperation, TypeError):
        raise ValidationError({name: _("Give a number.")}) from None


def _session_fields(post, nodes) -> dict:
    node_id = post.get("org_node", "")
    node_pk = posted_id(node_id)
    node = nodes.filter(pk=node_pk).first() if node_pk else None
    if node is None:
        raise ValidationError({"org_node": _("Choose the team, outlet or branch the session is for.")})
    try:
        held_on = date.fromisoformat(post.get("held_on", ""))
    except ValueError:
        raise ValidationError({"held_on": _("Give the date as YYYY-MM-DD.")}) from None
    return {
        "topic": post.get("topic", ""),
        "held_on": held_on,
        "hours": _decimal(post.get("hours", ""), "hours"),
        "trainer": post.get("trainer", ""),
        "org_node": node,
        "credits": _decimal(post.get("credits", ""), "credits"),
        "note": post.get("note", ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def training_session_form_view(request, pk=None):
    nodes = selectors.trainable_nodes(request.user)
    session = None
    if pk is not None:
        session = get_object_or_404(
            TrainingSession.objects.filter(selectors.sessions_q(request.user)).select_related("org_node"),
            pk=pk,
        )
    if not nodes.exists() or (
        session is not None and not selectors.may_train(request.user, session.org_node)
    ):
        raise PermissionDenied(_("You may record training only for the teams you lead."))
    status, errors = 200, []
    if request.method == "POST":
        try:
            with transaction.atomic():
                saved = training_session_save(
                    actor=request.user,
                    session=session,
                    expected=request.POST.get("expected") if session else None,
                    request=request,
                    **_session_fields(request.POST, nodes),
                )
                if session is not None:
                    attendance_record(
                        actor=request.user,
                        session=saved,
                        attended_ids=posted_ids(request.POST.getlist("attended")),
                        expected=request.POST.get("expected_attendance"),
                        request=request,
                    )
        except ValidationError as exc:
            errors, status = exc.messages, 400
        else:
            messages.success(request, _("Training session saved."))
            if session is None:
                return redirect("appraisal:training-session-edit", saved.pk)
            return redirect(f"{_url_training()}?month={saved.held_on:%Y-%m}")
        values = request.POST
        ticked = set(posted_ids(request.POST.getlist("attended")))
    else:
        values = _initial(session)
        ticked = (
            set(
                TrainingAttendance.objects.filter(session=session, attended=True).values_list(
                    "staff_id", flat=True
                )
            )
            if session
            else set()
        )
    people = (
        list(selectors.eligible_attendees(actor=request.user, session=session).select_related("org_node"))
        if session
        else []
    )
    context = {
        "session": session,
        "values": values,
        "errors": errors,
        "nodes": nodes.order_by("path")[:500],
        "people": [(person, person.pk in ticked) for person in people],
        "expected": selectors.session_fingerprint(session) if session else "",
        "expected_attendance": selectors.attendance_fingerprint(session) if session else "",
    }
    return render(request, "appraisal/people/training_session_form.html", context, status=status)


def _url_training():
    from django.urls import reverse

    return reverse("appraisal:training")


def _initial(session) -> dict:
    if session is None:
        settings = AppraisalSettings.current()
        return {
            "held_on": timezone.localdate().isoformat(),
            "hours": settings.training_min_hours,
            "credits": 1,
        }
    return {
        "topic": session.topic,
        "held_on": session.held_on.isoformat(),
        "hours": session.hours,
        "trainer": session.trainer,
        "org_node": str(session.org_node_id),
        "credits": session.credits,
        "note": session.note,
    }
