"""The import pages: upload → mapping with a preview → check (background) → report → import."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from amdesk.clients.columns import IMPORT_COLUMNS
from amdesk.clients.models import ImportJob

from . import services
from .reader import UnusableFile, describe_match
from .tasks import queue_apply, queue_check, queue_open

State = ImportJob.State
FORM_OVERHEAD = 64 * 1024  # the multipart form around the file
PROBLEMS_SHOWN = 200


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Client list (.xlsx or .csv)"))
    skip_invalid = forms.BooleanField(
        label=_(
            "Import the valid rows and reject the others "
            "(default: nothing is imported while any row is wrong)"
        ),
        required=False,
    )


def too_large(request) -> str:
    """The size refusal, judged from the request's length before Django stores the upload."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.AMDESK_IMPORT_MAX_BYTES + FORM_OVERHEAD:
        return gettext(
            "The file is %(size)d MB; at most %(limit)d MB can be imported at once. Split it into parts."
        ) % {
            "size": -(-length // 2**20),
            "limit": settings.AMDESK_IMPORT_MAX_BYTES // 2**20,
        }
    return ""


@login_required
def import_upload_view(request):
    refusal = too_large(request) if request.method == "POST" else ""
    if refusal:
        context = {"form": UploadForm(), "recent": [], "error": refusal}
        return render(request, "clients/imports/upload.html", context, status=413)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_receive(
                actor=request.user,
                upload=upload,
                file_name=upload.name,
                skip_invalid=form.cleaned_data["skip_invalid"],
                language=get_language() or "",
            )
        except UnusableFile as exc:
            form.add_error("file", str(exc))
        else:
            queue_open(job)  # the worker opens it; the page shows the progress meanwhile
            return redirect("clients:import-detail", pk=job.pk)
    recent = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(request, "clients/imports/upload.html", {"form": form, "recent": recent})


def _mapping_context(job: ImportJob, mapping: list[str] | None = None) -> dict:
    mapping = mapping if mapping is not None else job.mapping
    preview = services.import_preview(job)
    reasons = services.import_mapping_reasons(job)
    columns = [
        {
            "index": index,
            "header": header,
            "field": mapping[index] if index < len(mapping) else "",
            "samples": [cells[index] if index < len(cells) else "" for _, cells in preview[:3]],
            "why": describe_match(reasons[index]) if index < len(reasons) else "",
        }
        for index, header in enumerate(job.headers)
    ]
    return {"columns": columns, "preview": preview, "fields": IMPORT_COLUMNS}


@login_required
def import_detail_view(request, pk: int):
    job = services.access_import(request.user, pk)
    context = {"job": job, "State": State}
    if request.method == "POST" and job.state == State.UPLOADED:
        mapping = [request.POST.get(f"col-{index}", "") for index in range(len(job.headers))]
        try:
            services.import_set_mapping(
                actor=request.user,
                job=job,
                mapping=mapping,
                skip_invalid=bool(request.POST.get("skip_invalid")),
            )
        except ValidationError as exc:
            # Keep what the user chose, with the reason it cannot be used.
            context.update(_mapping_context(job, mapping), error=" ".join(exc.messages))
            job.skip_invalid = bool(request.POST.get("skip_invalid"))
            return render(request, "clients/imports/detail.html", context, status=400)
        queue_check(job)
        return redirect("clients:import-detail", pk=job.pk)
    if job.state == State.UPLOADED:
        context.update(_mapping_context(job))
    else:
        context["problems"] = job.problems.all()[:PROBLEMS_SHOWN]
    return render(request, "clients/imports/detail.html", context)


@login_required
@require_POST
def import_apply_view(request, pk: int):
    job = services.access_import(request.user, pk)
    if request.POST.get("skip_invalid") and job.state == State.REJECTED:
        job.skip_invalid = True
        job.save(update_fields=["skip_invalid"])
    if services.may_apply(job):
        queue_apply(job)
    return redirect("clients:import-detail", pk=job.pk)


@login_required
def import_progress_view(request, pk: int):
    job = services.access_import(request.user, pk)
    if not job.is_running:
        # Finished: the whole page shows the outcome.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "clients/imports/partials/progress.html", {"job": job})


@login_required
def import_report_view(request, pk: int):
    job = services.access_import_report(request.user, pk)
    path = services.import_report_download(viewer=request.user, job=job, request=request)
    stem = job.file_name.rsplit(".", 1)[0]
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"{stem}-导入报告.xlsx")
