"""The attachments panel (an htmx partial on the client, visit, ticket and inspection pages), the
audited download and the soft delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amdesk.core.htmx import is_htmx

from ..forms import DeleteForm, UploadForm
from ..models import AttachmentCategory, TargetKind
from ..selectors import access_attachment, may_write, panel_rows, resolve_target
from ..services import attachment_delete, attachment_download, attachment_upload
from ..services.content import ACCEPT

# Photos on a visit or an inspection are taken on the spot: the phone opens its camera.
CAMERA_KINDS = {TargetKind.VISIT, TargetKind.INSPECTION}
DEFAULT_CATEGORY = {TargetKind.VISIT: "onsite_photo", TargetKind.INSPECTION: "onsite_photo"}


def _render_panel(request, target, *, form=None, error: str = ""):
    # Always 200: htmx swaps only successful responses, and errors are shown inside the panel.
    writable = may_write(request.user, target)
    if form is None and writable:
        initial = {}
        code = DEFAULT_CATEGORY.get(target.kind)
        if code:
            initial["category"] = AttachmentCategory.objects.filter(code=code, is_active=True).first()
        form = UploadForm(initial=initial)
    context = {
        "target": target,
        "rows": panel_rows(request.user, target),
        "may_upload": writable,
        "form": form,
        "camera": target.kind in CAMERA_KINDS,
        "accept": ACCEPT,
        "error": error,
    }
    return render(request, "attachments/partials/panel.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def panel_view(request, kind: str, target_id: int):
    """GET: the target's files. POST (multipart): attach one; the panel comes back with the result."""
    target = resolve_target(request.user, kind, target_id)
    if request.method == "GET":
        return _render_panel(request, target)
    if not may_write(request.user, target):
        # A read-only viewer has no form; a crafted POST gets the panel with the reason (or a 403 page).
        if not is_htmx(request):
            raise PermissionDenied(_("You may not add files here."))
        return _render_panel(request, target, error=_("You may not add files here."))
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_upload(
                actor=request.user,
                target=target,
                upload=form.cleaned_data["file"],
                category=form.cleaned_data["category"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not add files here."))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if not is_htmx(request):
                messages.success(request, _("The file was attached."))
                return redirect(target.page_url)
            return _render_panel(request, target)
    if not is_htmx(request):
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(target.page_url)
    return _render_panel(request, target, form=form)


@login_required
@require_GET
def attachment_download_view(request, pk: int):
    """The file, to whoever may see its target (404 otherwise); every download is audited.

    Images may be shown in the browser (?inline=1); PDFs always download. The response forbids
    sniffing and runs any content in a sandbox, so a crafted file cannot act as a page of ours."""
    attachment, target = access_attachment(request.user, pk)
    handle = attachment_download(actor=request.user, attachment=attachment, target=target, request=request)
    inline = attachment.is_image and request.GET.get("inline") == "1"
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete_view(request, pk: int):
    attachment, target = access_attachment(request.user, pk)
    form = DeleteForm(request.POST)
    error = None
    if form.is_valid():
        try:
            attachment_delete(
                actor=request.user,
                attachment=attachment,
                target=target,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except (PermissionDenied, ValidationError) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("The file was deleted."))
        return redirect(target.page_url)
    return _render_panel(request, target, error=error or "")
