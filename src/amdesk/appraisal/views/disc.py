"""DISC job fit pages: the job models and the candidates ranked for one of them; a profile's form;
the import of profiles. HR data: the appraisal admin and the system admin only (others 403)."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amdesk.orgs.models import Staff

from ..models import DISC_FACTORS, AppraisalSettings
from ..selectors import disc as selectors
from ..services.disc import disc_profile_save
from ..services.disc_import import MAX_ROWS, TEMPLATE_HEADER, disc_profiles_import
from .posted import posted_id

PROFILE_LIST_LIMIT = 200
STAFF_CHOICES = 1000


def _hr_only(request) -> None:
    if not selectors.is_hr(request.user):
        raise PermissionDenied(_("Only the appraisal administrator sees and changes DISC profiles."))


@login_required
@require_GET
def disc_view(request):
    _hr_only(request)
    models = list(selectors.disc_models(viewer=request.user))
    chosen = None
    model_id = request.GET.get("model", "")
    if model_id:
        chosen = next((m for m in models if m.pk == posted_id(model_id)), None)
    elif models:
        chosen = models[0]
    settings = AppraisalSettings.current()
    context = {
        "models": models,
        "chosen": chosen,
        "ranking": selectors.disc_ranking(viewer=request.user, model=chosen, rank_by=settings.disc_rank_by)
        if chosen
        else [],
        "rank_by_label": settings.get_disc_rank_by_display(),
        "factors": DISC_FACTORS,
        "profiles": list(selectors.disc_profiles(viewer=request.user)[:PROFILE_LIST_LIMIT]),
        "template_header": "、".join(TEMPLATE_HEADER),
        "max_rows": MAX_ROWS,
    }
    return render(request, "appraisal/people/disc.html", context)


def _scores(post, style) -> dict:
    scores = {}
    for factor in DISC_FACTORS:
        raw = post.get(f"{style}_{factor.lower()}", "").strip()
        try:
            scores[factor] = int(raw)
        except ValueError:
            scores[factor] = raw  # refused by the service with the factor named
    return scores


def _day(raw):
    from datetime import date

    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise ValidationError({"assessed_on": _("Give the assessment date as YYYY-MM-DD.")}) from None


@login_required
@require_http_methods(["GET", "POST"])
def disc_profile_form_view(request, pk=None):
    _hr_only(request)
    profile = selectors.access_disc_profile(request.user, pk) if pk else None
    status, errors = 200, []
    if request.method == "POST":
        post = request.POST
        staff_id = post.get("staff", "")
        staff_pk = posted_id(staff_id)
        if staff_id and staff_pk is None:
            raise Http404("No such staff member.")
        staff = get_object_or_404(Staff, pk=staff_pk) if staff_pk else None
        try:
            saved = disc_profile_save(
                actor=request.user,
                profile=profile,
                staff=staff,
                candidate_name=post.get("candidate_name", ""),
                assessed_on=_day(post.get("assessed_on", "")),
                inner=_scores(post, "inner"),
                outer=_scores(post, "outer"),
                expected=post.get("expected") if profile else None,
                request=request,
            )
        except ValidationError as exc:
            errors, status = exc.messages, 400
        else:
            messages.success(request, _("DISC profile saved: %(name)s.") % {"name": saved.person_name})
            return redirect("appraisal:disc")
        values = post
    elif profile is not None:
        values = {
            "staff": str(profile.staff_id or ""),
            "candidate_name": profile.candidate_name,
            "assessed_on": profile.assessed_on.isoformat(),
            **{f"inner_{f.lower()}": v for f, v in profile.inner.items()},
            **{f"outer_{f.lower()}": v for f, v in profile.outer.items()},
        }
    else:
        values = {}
    context = {
        "profile": profile,
        "values": values,
        "errors": errors,
        "expected": selectors.profile_fingerprint(profile) if profile else "",
        "staff_choices": Staff.objects.filter(status=Staff.Status.ACTIVE).order_by("employee_no")[
            :STAFF_CHOICES
        ],
        "fields": [
            (
                style,
                label,
                [(f, f"{style}_{f.lower()}", values.get(f"{style}_{f.lower()}", "")) for f in DISC_FACTORS],
            )
            for style, label in (("inner", _("Inner (natural) style")), ("outer", _("Outer (adapted) style")))
        ],
    }
    return render(request, "appraisal/people/disc_profile_form.html", context, status=status)


@login_required
@require_POST
def disc_import_view(request):
    _hr_only(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a .xlsx or .csv file."))
        return redirect("appraisal:disc")
    with tempfile.TemporaryDirectory() as folder:
        # openpyxl goes by the file's suffix; the reader checks the name itself.
        path = Path(folder) / ("upload" + Path(upload.name).suffix.lower()[:5])
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        report = disc_profiles_import(actor=request.user, path=path, file_name=upload.name, request=request)
    if report.ok:
        messages.success(request, _("%(n)d DISC profiles imported.") % {"n": report.saved})
        return redirect("appraisal:disc")
    context = {"report": report, "template_header": "、".join(TEMPLATE_HEADER)}
    return render(request, "appraisal/people/disc_import_report.html", context, status=400)
