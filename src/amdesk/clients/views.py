"""Client archive pages. Thin: parse, access, one service or selector call, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from amdesk.core.audit_events import AuditEvent
from amdesk.core.htmx import is_htmx
from amdesk.core.masking import mask
from amdesk.core.xlsx import export_url, wants_xlsx, xlsx_download
from amdesk.orgs.access import (
    access_client,
    may_hand_over,
    may_see_personal_data,
    may_write,
    may_write_any,
    read_only_message,
    scope_of,
)

from . import selectors, services
from .completeness import missing_fields
from .exporting import clients_export, export_response
from .forms import ClientForm, ContactForm, CreditRatingForm, HandoverForm, HoldingForm, RevealForm
from .import_template import client_import_template, template_response
from .models import Client, ClientSettings, Contact
from .timeline import describe_changes, timeline_for

PAGE_SIZE = 50
COUNT_CAP = 1000  # beyond this the page says "1000+" instead of counting the whole archive


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on top when the field is not shown)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


@login_required
def client_list_view(request):
    queryset = selectors.client_list(viewer=request.user, filters=request.GET).prefetch_related("tags")
    number = _page_number(request)
    offset = (number - 1) * PAGE_SIZE
    # No COUNT(*) over the archive: fetch one row more than a page to know whether another follows,
    # and count at most COUNT_CAP + 1 rows for the total shown.
    rows = list(queryset[offset : offset + PAGE_SIZE + 1])
    total = queryset.order_by()[: COUNT_CAP + 1].count()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "clients": rows[:PAGE_SIZE],
        "page": number,
        "has_next": len(rows) > PAGE_SIZE,
        "has_previous": number > 1,
        "total": min(total, COUNT_CAP),
        "total_capped": total > COUNT_CAP,
        "query": query.urlencode(),
        "filter": selectors.ClientFilter(request.GET),
        "choices": selectors.filter_choices(viewer=request.user),
        "may_hand_over": may_hand_over(request.user),
        "may_add": may_write_any(request.user),
        "scope": scope_of(request.user),
    }
    template = "clients/partials/client_rows.html" if is_htmx(request) else "clients/client_list.html"
    return render(request, template, context)


@login_required
@require_GET
def client_export_view(request):
    """The list as filtered on screen (every page of it) as .xlsx or .csv: `?<list filters>&format=csv`."""
    fmt = request.GET.get("format", "xlsx")
    try:
        export = clients_export(
            actor=request.user,
            filters=request.GET,
            fmt=fmt,
            request=request,
            xlsx_limit=settings.AMDESK_EXPORT_XLSX_MAX_ROWS,
        )
    except ValidationError as exc:
        if fmt not in ("xlsx", "csv"):
            return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain; charset=utf-8")
        # Back to the same list, with the reason: the user picks CSV or narrows the filters.
        messages.error(request, " ".join(exc.messages))
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{reverse('clients:list')}?{query.urlencode()}")
    return export_response(export)


@login_required
@require_GET
def import_template_view(request):
    filename, content = client_import_template(actor=request.user, request=request)
    return template_response(filename, content)


@login_required
def client_detail_view(request, pk: int):
    client = access_client(request.user, pk)
    lines, profit_total = selectors.profit_contribution(client)
    today = timezone.localdate()
    context = {
        "client": client,
        "masked": {"id_number": mask(client.id_number, "id_number"), "mobile": mask(client.mobile, "mobile")},
        "may_reveal": may_see_personal_data(request.user),
        "may_edit": may_write(request.user, Client.objects.filter(pk=client.pk)),
        "tags": list(client.tags.all()),
        "contacts": list(selectors.contacts_of(client)),
        "min_contacts": ClientSettings.current().big_account_min_contacts,
        "holdings": list(selectors.holdings_of(client)),
        "lines": lines,
        "profit_total": profit_total,
        "aum_series": [
            {"date": as_of.isoformat(), "amount": float(amount)}
            for as_of, amount in selectors.aum_series(client, today=today)
        ],
        "ratings": list(selectors.credit_ratings_of(client)[:5]),
        "owners": list(selectors.owner_history(client)),
        "changes": describe_changes(selectors.client_changes(client, limit=50)),
        "timeline": timeline_for(client, limit=30),
        "missing": missing_fields(client),
    }
    return render(request, "clients/client_detail.html", context)


@login_required
def client_create_view(request):
    if not may_write_any(request.user):
        raise PermissionDenied(read_only_message(request.user))
    form = ClientForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data.get("owner") or request.user
        try:
            client = services.client_create(
                actor=request.user, owner=owner, data=form.service_data(), request=request
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Client %(name)s added.") % {"name": client.name})
            return redirect("clients:detail", client.pk)
    return render(request, "clients/client_form.html", {"form": form, "client": None})


@login_required
def client_edit_view(request, pk: int):
    client = access_client(request.user, pk, for_write=True)
    form = ClientForm(request.POST or None, instance=client)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(
                actor=request.user,
                client=client,
                data=form.service_data(),
                expected_version=form.cleaned_data.get("version") or 0,
                request=request,
            )
        except services.StaleEdit as exc:
            # Keep what was typed; say what happened; the user reloads to merge by hand.
            stale = True
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("clients:detail", client.pk)
    return render(request, "clients/client_form.html", {"form": form, "client": client, "stale": stale})


@login_required
def client_reveal_view(request, pk: int):
    """An htmx fragment: the reason form (GET), then the revealed value (POST)."""
    client = access_client(request.user, pk)
    form = RevealForm(request.POST or None, initial={"field": request.GET.get("field", "")})
    value = None
    if request.method == "POST" and form.is_valid():
        try:
            value = services.client_reveal(
                actor=request.user,
                client_id=client.pk,
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
    return render(request, "clients/partials/reveal.html", {"client": client, "form": form, "value": value})


@login_required
def contact_edit_view(request, pk: int, contact_pk: int | None = None):
    client = access_client(request.user, pk, for_write=True)
    contact = None
    if contact_pk is not None:
        contact = Contact.objects.filter(client=client, pk=contact_pk).first()
        if contact is None:
            raise Http404("No such contact.")
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(
                actor=request.user,
                client=client,
                contact=contact,
                data=form.service_data(),
                expected_version=form.cleaned_data.get("version"),
                request=request,
            )
        except services.StaleEdit as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Contact saved."))
            return redirect(f"{client.get_absolute_url()}#contacts")
    return render(request, "clients/contact_form.html", {"form": form, "client": client, "contact": contact})


@login_required
@require_POST
def contact_delete_view(request, pk: int, contact_pk: int):
    client = access_client(request.user, pk, for_write=True)
    contact = Contact.objects.filter(client=client, pk=contact_pk).first()
    if contact is None:
        raise Http404("No such contact.")
    services.contact_delete(actor=request.user, contact=contact, request=request)
    messages.success(request, _("Contact removed."))
    return redirect(f"{client.get_absolute_url()}#contacts")


@login_required
def holding_edit_view(request, pk: int):
    client = access_client(request.user, pk, for_write=True)
    form = HoldingForm(request.POST or None, initial={"product": request.GET.get("product")})
    if request.method == "POST" and form.is_valid():
        try:
            services.holding_set(actor=request.user, client=client, request=request, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Holding saved."))
            return redirect(f"{client.get_absolute_url()}#holdings")
    return render(request, "clients/holding_form.html", {"form": form, "client": client})


@login_required
def credit_rating_view(request, pk: int):
    client = access_client(request.user, pk, for_write=True)
    form = CreditRatingForm(request.POST or None, initial={"rated_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.credit_rating_record(
                actor=request.user,
                client=client,
                rated_on=form.cleaned_data["rated_on"],
                scores=form.scores(),
                remarks=form.cleaned_data["remarks"],
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Credit rating recorded."))
            return redirect(f"{client.get_absolute_url()}#rating")
    return render(request, "clients/credit_rating_form.html", {"form": form, "client": client})


@login_required
def handover_view(request):
    """Hand the ticked clients (or all of one account manager's clients) to another account manager."""
    if not may_hand_over(request.user):
        raise PermissionDenied(_("Only supervisors and heads hand clients over."))
    if request.method == "POST":
        form = HandoverForm(request.POST, viewer=request.user)
    else:
        ids = [value for value in request.GET.getlist("client") if value.isdigit()]
        if request.GET.get("owner"):
            owned = selectors.client_list(viewer=request.user, filters={"owner": request.GET["owner"]})
            ids = [str(pk) for pk in owned.values_list("pk", flat=True)]
        form = HandoverForm(initial={"clients": ",".join(ids)}, viewer=request.user)
    ids = [int(part) for part in (form["clients"].value() or "").split(",") if part.strip().isdigit()]
    clients = selectors.client_list(viewer=request.user).filter(pk__in=ids)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.client_handover(
                actor=request.user,
                client_ids=form.client_ids(),
                to_staff=form.cleaned_data["to_staff"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d client handed over to %(name)s.",
                    "%(count)d clients handed over to %(name)s.",
                    moved,
                )
                % {"count": moved, "name": form.cleaned_data["to_staff"].full_name},
            )
            return redirect("clients:list")
    context = {"form": form, "clients": clients[:200], "count": clients.count()}
    return render(request, "clients/handover.html", context)


@login_required
def completeness_view(request):
    by = "org" if request.GET.get("by") == "org" else "owner"
    context = {
        "rows": selectors.completeness_rates(viewer=request.user, by=by),
        "by": by,
        "threshold": ClientSettings.current().complete_at_percent,
        "export_url": export_url(request),
    }
    if wants_xlsx(request):
        return _completeness_xlsx(request, context)
    return render(request, "clients/completeness.html", context)


def _completeness_xlsx(request, context):
    """The completeness table as the page shows it (per AM or per team, the viewer's scope)."""
    header = [
        _("Account manager") if context["by"] == "owner" else _("Team"),
        _("Clients"),
        _("Complete archives"),
        _("Completeness rate") + " (%)",
        _("Average completeness") + " (%)",
    ]
    rows = [
        [row.label, row.clients, row.complete, round(row.rate, 1), round(row.average, 1)]
        for row in context["rows"]
    ]
    return xlsx_download(
        request,
        event=AuditEvent.COMPLETENESS_EXPORTED,
        filename=f"archive-completeness-{context['by']}.xlsx",
        title=_("Archive completeness"),
        header=header,
        rows=rows,
        notes=[
            _("An archive counts as complete from %(n)s%% of the required fields. Lost clients are left out.")
            % {"n": context["threshold"]}
        ],
    )
