"""Pages of appraisal schemes: the list, a new scheme, a version read-only, and the draft editor with
the live AHP editor (htmx recomputes a level's weights and CR as judgments change, nothing saved
until "save")."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amdesk.orgs.models import OrgNode, Role

from ..models import Criterion, Indicator, PeriodKind, SchemeIndicator
from ..selectors import schemes as selectors
from ..services import schemes as services
from .posted import posted_id


class SchemeForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=48)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    period_kind = forms.ChoiceField(label=gettext_lazy("Period"), choices=PeriodKind.choices)
    roles = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Roles appraised"),
        queryset=Role.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    org_node = forms.ModelChoiceField(
        label=gettext_lazy("Org subtree"),
        queryset=OrgNode.objects.filter(is_active=True).order_by("path"),
        required=False,
        empty_label=gettext_lazy("Everyone"),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "roles":
                select = isinstance(field.widget, forms.Select)
                field.widget.attrs.setdefault("class", "form-select" if select else "form-control")


def _manager(request) -> None:
    if not selectors.may_manage_schemes(request.user):
        raise PermissionDenied(_("Only the appraisal admin may change appraisal schemes."))


@login_required
@require_GET
def scheme_list_view(request):
    schemes = list(selectors.scheme_list(viewer=request.user))
    for scheme in schemes:
        by_state = {v.state: v for v in scheme.current_versions}
        scheme.active, scheme.draft = by_state.get("active"), by_state.get("draft")
    context = {"schemes": schemes, "may_manage": selectors.may_manage_schemes(request.user)}
    return render(request, "appraisal/schemes/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create_view(request):
    _manager(request)
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Scheme created: add its criteria and indicators."))
            return redirect("appraisal:scheme-edit", pk=scheme.pk)
    status = 400 if form.is_bound else 200
    return render(request, "appraisal/schemes/create.html", {"form": form}, status=status)


@login_required
@require_GET
def scheme_detail_view(request, pk: int):
    scheme = selectors.access_scheme(request.user, pk)
    history = list(selectors.version_history(scheme))
    wanted = request.GET.get("version", "")
    version = next((v for v in history if str(v.number) == wanted), None)
    if version is None:
        version = next((v for v in history if v.state == "active"), history[0] if history else None)
    if version is not None:
        selectors.version_tree(version)
    context = {
        "scheme": scheme,
        "version": version,
        "history": history,
        "may_manage": selectors.may_manage_schemes(request.user),
        "threshold": selectors.consistency_threshold(),
    }
    return render(request, "appraisal/schemes/detail.html", context)


def _upper_from(post, n: int) -> list[list[str]]:
    return [[post.get(f"a-{i}-{j}", "1") for j in range(i + 1, n)] for i in range(n - 1)]


def _level(draft, level: str):
    """(criterion or None, labels) of a level of the draft: "criteria" or a criterion's id."""
    if level == "criteria":
        return None, list(
            Criterion.objects.filter(version=draft).order_by("order", "id").values_list("name", flat=True)
        )
    criterion = get_object_or_404(Criterion, version=draft, pk=_int(level))
    items = (
        SchemeIndicator.objects.filter(criterion=criterion)
        .select_related("indicator")
        .order_by("order", "id")
    )
    return criterion, [item.indicator.label for item in items]


def _editor_context(request, scheme, draft, typed: dict | None = None) -> dict:
    """Everything the editor shows; `typed`: a level's triangle as the user typed it (a refused save
    keeps it)."""
    threshold = selectors.consistency_threshold()
    typed = typed or {}
    context = {"scheme": scheme, "draft": draft, "threshold": threshold, "saaty": selectors.SAATY_CHOICES}
    if draft is None:
        return context
    selectors.version_tree(draft)
    labels = [c.name for c in draft.criteria_list]
    upper = typed.get("criteria") or selectors.stored_upper(draft.matrix, len(labels))
    draft.matrix_view = selectors.matrix_view(labels, upper, threshold)
    used = set()
    for criterion in draft.criteria_list:
        names = [item.indicator.label for item in criterion.indicator_list]
        upper = typed.get(str(criterion.pk)) or selectors.stored_upper(criterion.matrix, len(names))
        criterion.matrix_view = selectors.matrix_view(names, upper, threshold)
        used.update(item.indicator_id for item in criterion.indicator_list)
    context.update(
        stamp=selectors.draft_stamp(draft),
        problems=selectors.level_problems(draft, threshold),
        library=list(Indicator.objects.filter(is_active=True).select_related("dimension")),
        point_modes=SchemeIndicator.PointMode.choices,
    )
    return context


def _points(post) -> dict:
    return {
        name: post.get(name, "").strip() or None
        for name in ("point_mode", "low", "high", "low_percentile", "high_percentile")
    }


def _apply(request, draft, action: str, stamp: str) -> str:
    """One edit of the draft; the success message."""
    post, actor = request.POST, request.user
    common = {"actor": actor, "stamp": stamp, "request": request}
    if action == "add-criterion":
        services.criterion_add(version=draft, name=post.get("name", ""), **common)
        return _("Criterion added.")
    if action in ("rename-criterion", "remove-criterion", "add-indicator"):
        criterion = get_object_or_404(Criterion, version=draft, pk=_int(post.get("criterion")))
        if action == "rename-criterion":
            services.criterion_rename(criterion=criterion, name=post.get("name", ""), **common)
            return _("Criterion renamed.")
        if action == "remove-criterion":
            services.criterion_remove(criterion=criterion, **common)
            return _("Criterion removed.")
        indicator = get_object_or_404(Indicator, pk=_int(post.get("indicator")))
        services.scheme_indicator_add(
            criterion=criterion, indicator=indicator, points=_points(post), **common
        )
        return _("Indicator added.")
    if action in ("update-indicator", "remove-indicator"):
        item = get_object_or_404(SchemeIndicator, criterion__version=draft, pk=_int(post.get("item")))
        if action == "remove-indicator":
            services.scheme_indicator_remove(item=item, **common)
            return _("Indicator removed.")
        services.scheme_indicator_update(item=item, points=_points(post), **common)
        return _("Points saved.")
    if action == "save-matrix":
        criterion, labels = _level(draft, post.get("level", ""))
        services.matrix_set(
            version=draft, criterion=criterion, upper=_upper_from(post, len(labels)), **common
        )
        return _("Judgments saved.")
    if action == "activate":
        services.scheme_version_activate(version=draft, **common)
        return _("Version activated: new periods use it.")
    raise ValidationError(_("Unknown action."))


def _int(value) -> int:
    return posted_id(value) or 0


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit_view(request, pk: int):
    _manager(request)
    scheme = selectors.access_scheme(request.user, pk)
    draft = selectors.draft_of(scheme)
    status, typed = 200, {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "new-draft":
                services.scheme_draft(
                    actor=request.user, scheme=scheme, note=request.POST.get("note", ""), request=request
                )
                done = _("New draft made from the active version.")
            elif draft is None:
                raise ValidationError(_("This scheme has no draft: start one first."))
            else:
                done = _apply(request, draft, action, request.POST.get("stamp", ""))
        except services.StaleDraft as exc:
            messages.error(request, " ".join(exc.messages))
            status = 409
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
            if action == "save-matrix":
                level = request.POST.get("level", "")
                _criterion, labels = _level(draft, level)
                typed[level] = _upper_from(request.POST, len(labels))
        else:
            messages.success(request, done)
            if action == "activate":
                return redirect("appraisal:scheme-detail", pk=scheme.pk)
            return redirect(
                reverse("appraisal:scheme-edit", args=[scheme.pk]) + request.POST.get("anchor", "")
            )
        draft = selectors.draft_of(scheme)
    return render(
        request, "appraisal/schemes/edit.html", _editor_context(request, scheme, draft, typed), status=status
    )


@login_required
@require_POST
def scheme_matrix_preview_view(request, pk: int):
    """htmx: the level's editor again with the figures of the judgments as typed (nothing saved)."""
    _manager(request)
    scheme = selectors.access_scheme(request.user, pk)
    draft = selectors.draft_of(scheme)
    if draft is None:
        raise PermissionDenied(_("This scheme has no draft."))
    level = request.POST.get("level", "")
    _criterion, labels = _level(draft, level)
    view = selectors.matrix_view(labels, _upper_from(request.POST, len(labels)))
    context = {
        "scheme": scheme,
        "view": view,
        "level": level,
        "stamp": request.POST.get("stamp", ""),
        "saaty": selectors.SAATY_CHOICES,
        "editable": True,
    }
    return render(request, "appraisal/partials/scheme_matrix.html", context)
