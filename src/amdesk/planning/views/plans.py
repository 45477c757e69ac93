"""The weekly and monthly documents: one page per document type and period, the account manager's
own (he writes, saves and submits it) or one of his team's (?owner=: his supervisor reads it and
marks it read or returns it with a comment). Each page shows the form's computed part: the week's
visit schedule, the indicator progress, the monthly plan's indicator table, the month's completion."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amdesk.orgs.access import access_staff

from .. import selectors, services
from ..services.documents import due_provisional, shown_due_at
from ..services.plans import ARRANGEMENT, KINDS, MONTHLY_PLAN, MONTHLY_SUMMARY, WEEKLY_SUMMARY
from ..workflow import HANDED_IN_STATES, DocState
from .common import apply_errors, int_or_none, message_of, parse_day, parse_month


def _form_class(spec):
    """A plain form of the kind's own fields (labels from the model; the service checks)."""
    fields = forms.fields_for_model(spec.model, fields=spec.fields)
    for name, field in fields.items():
        field.required = False
        if name in spec.text_fields:
            field.widget = forms.Textarea({"class": "form-control", "rows": 2})
        elif name in spec.bool_fields:
            field.widget = forms.NullBooleanSelect({"class": "form-select"})
        else:
            field.widget.attrs.update({"class": "form-control", "min": 0, "inputmode": "numeric"})
    fields["version"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
    return type(f"{spec.model.__name__}Form", (forms.Form,), fields)


def _period_value(spec, period) -> str:
    return period.isoformat() if spec.weekly else period.strftime("%Y-%m")


def _url(spec, period, owner, is_own) -> str:
    url = reverse(f"planning:{spec.code}", args=[_period_value(spec, period)])
    return url if is_own else f"{url}?owner={owner.pk}"


def _computed(kind: str, request, owner, period, today, document=None) -> dict:
    if kind == ARRANGEMENT:
        schedule, entries = selectors.week_visit_schedule(viewer=request.user, owner=owner, monday=period)
        return {"schedule": schedule, "entries": entries}
    if kind == WEEKLY_SUMMARY:
        month, rows = selectors.week_progress(owner=owner, monday=period, today=today, document=document)
        return {"progress_month": month, "progress": rows, "frozen": selectors.frozen_figures(document)}
    if kind == MONTHLY_PLAN:
        clients, key = selectors.archive_counts(owner)
        return {
            "indicators": selectors.month_indicators(owner=owner, month=period, today=today),
            "archive_clients": clients,
            "archive_key": key,
            "last_year": period.replace(year=period.year - 1),
        }
    return {
        "completion": selectors.month_completion(owner=owner, month=period, document=document),
        "frozen": selectors.frozen_figures(document),
    }


def _step_label(decision: str) -> str:
    if decision == "return":
        return _("Returned for changes.")
    if decision == "review":
        return _("Marked as read.")
    if decision == "submit":
        return _("Submitted to your supervisor.")
    return _("Saved.")


@login_required
@require_GET
def plan_document_home_view(request, kind: str):
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("No such document.")
    today = timezone.localdate()
    period = spec.period(today)
    if spec.code == MONTHLY_SUMMARY:
        # the oldest summary not yet handed in: last month's (due early this month) until it is
        last = selectors.previous_month(period)
        document = spec.model.objects.filter(owner=request.user, month=last).only("state").first()
        if document is None or document.state not in HANDED_IN_STATES:
            period = last
    return redirect(f"planning:{kind}", _period_value(spec, period))


@login_required
@require_http_methods(["GET", "POST"])
def plan_document_view(request, kind: str, period: str):
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("No such document.")
    today = timezone.localdate()
    period = spec.period(parse_day(period, today) if spec.weekly else parse_month(period, today))
    owner_id = int_or_none(request.GET.get("owner"))
    owner = access_staff(request.user, owner_id) if owner_id and owner_id != request.user.pk else request.user
    is_own = owner.pk == request.user.pk
    documents = selectors.plan_documents_for(request.user, kind)
    document = documents.filter(owner=owner, **{spec.period_field: period}).first()
    editable = is_own and (document is None or document.is_editable)
    if spec.code == MONTHLY_SUMMARY and period > today:
        editable = False
    form_class = _form_class(spec)
    computed = _computed(kind, request, owner, period, today, document)
    initial = {name: getattr(document, name) for name in spec.fields} if document else {}
    if document is None and kind == MONTHLY_PLAN:
        initial = {
            "clients_to_visit": computed["archive_clients"],
            "key_clients_to_visit": computed["archive_key"],
        }
    initial["version"] = document.version if document else 0
    form = form_class(request.POST if request.method == "POST" and editable else None, initial=initial)
    status = 200
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            with transaction.atomic():  # saved and submitted together, or neither
                if decision in ("review", "return"):
                    if document is None:
                        raise ValidationError(_("There is nothing to review yet."))
                    services.document_transition(
                        actor=request.user,
                        document=document,
                        action=decision,
                        version=int_or_none(request.POST.get("version")),
                        comment=request.POST.get("comment", ""),
                        request=request,
                    )
                else:
                    if not editable:
                        raise PermissionDenied(_("This document can no longer be changed here."))
                    if not form.is_valid():
                        raise ValidationError(_("Check the figures entered."))
                    data = {name: form.cleaned_data.get(name) for name in spec.fields}
                    document, _changed = services.plan_document_save(
                        actor=request.user,
                        kind=kind,
                        period=period,
                        data=data,
                        expected_version=form.cleaned_data.get("version") or 0,
                        request=request,
                    )
                    if decision == "submit":
                        services.document_transition(
                            actor=request.user, document=document, action="submit", request=request
                        )
        except services.StaleDocument as exc:
            messages.error(request, message_of(exc))
            status = 409
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and hasattr(form, "cleaned_data"):  # the form was read
                apply_errors(form, exc)
            messages.error(request, message_of(exc))
            status = 400
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            status = 403
        else:
            messages.success(request, _step_label(decision))
            return redirect(_url(spec, period, owner, is_own))
    due = shown_due_at(document) if document else spec.due_at(period)
    step = timedelta(days=7) if spec.weekly else None
    previous = period - step if step else selectors.previous_month(period)
    following = period + step if step else services.month_end(period) + timedelta(days=1)
    context = {
        "spec": spec,
        "kind": kind,
        "period": period,
        "week_end": period + timedelta(days=6) if spec.weekly else None,
        "owner": owner,
        "is_own": is_own,
        "document": document,
        "due": due,
        "due_provisional": due_provisional(due),
        "form": form,
        "editable": editable,
        "may_decide": document is not None
        and document.state == DocState.SUBMITTED
        and services.may_review(request.user, document, in_scope=True),
        "events": list(document.events.select_related("actor")) if document else [],
        "previous": _period_value(spec, previous),
        "next": _period_value(spec, following),
        "owner_query": "" if is_own else f"?owner={owner.pk}",
        "board_url": reverse("planning:board")
        + f"?period={'week' if spec.weekly else 'month'}&date={period.isoformat()}",
        **computed,
    }
    return render(request, "planning/plan_document.html", context, status=status)
