"""Reading appraisal schemes: who may see and who may change them, the list, one version's tree of
criteria and indicators, the editor's stamp, and the live AHP figures of a matrix.

Who sees schemes: those who oversee others (supervisors, heads, the appraisal and system admins)
see every scheme; anybody else sees the schemes that appraise him (his role is in the population
and his node under its subtree), so an account manager can read how he is scored. Only the
appraisal admin and the system admin change schemes."""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from amdesk.core.limits import ID_MAX
from amdesk.orgs.access import oversees
from amdesk.orgs.models import PATH_SEPARATOR, OrgNode

from .. import ahp as ahp_maths
from ..models import AppraisalSettings, Criterion, Scheme, SchemeIndicator, SchemeVersion

MANAGER_ROLES = ("appraisal_admin", "system_admin")


def may_manage_schemes(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or bool(user.role_codes & set(MANAGER_ROLES))


def ensure_may_manage_schemes(user) -> None:
    # user=None is the system itself (presets, the demo builder), never a request.
    if user is not None and not may_manage_schemes(user):
        raise PermissionDenied(_("Only the appraisal admin may change appraisal schemes."))


def scheme_q(viewer) -> Q:
    """The schemes the viewer may read."""
    if may_manage_schemes(viewer) or oversees(viewer):
        return Q()
    node = viewer.org_node
    node_ok = Q(org_node__isnull=True)
    if node is not None:
        # his node lies under the scheme's node: the scheme's node is one of his node's ancestors
        ancestors = [node.path[: end + 1] for end, char in enumerate(node.path) if char == PATH_SEPARATOR]
        node_ok |= Q(org_node__path__in=ancestors)
    return Q(roles__in=viewer.roles.all()) & node_ok


def scheme_list(*, viewer) -> QuerySet:
    """Schemes the viewer may read, with their population and active version, in a fixed number of
    queries (no query per scheme)."""
    if not viewer.is_authenticated:
        return Scheme.objects.none()
    ids = Scheme.objects.filter(scheme_q(viewer)).values("pk")
    return (
        Scheme.objects.filter(pk__in=ids)
        .select_related("org_node")
        .prefetch_related(
            "roles",
            Prefetch(
                "versions",
                queryset=SchemeVersion.objects.filter(state__in=["active", "draft"]),
                to_attr="current_versions",
            ),
        )
        .order_by("code")
    )


def access_scheme(viewer, scheme_id) -> Scheme:
    """One scheme the viewer may read; "not found" for both missing and forbidden."""
    valid = isinstance(scheme_id, int) and 1 <= scheme_id <= ID_MAX  # a URL's 30 digits never reach SQL
    scheme = scheme_list(viewer=viewer).filter(pk=scheme_id).first() if valid else None
    if scheme is None:
        raise Http404("No such scheme.")
    return scheme


def draft_of(scheme) -> SchemeVersion | None:
    return scheme.versions.filter(state=SchemeVersion.State.DRAFT).first()


def version_tree(version: SchemeVersion) -> SchemeVersion:
    """The version with its criteria and each criterion's indicators loaded (three queries)."""
    indicators = SchemeIndicator.objects.select_related("indicator", "indicator__dimension").order_by(
        "order", "id"
    )
    criteria = Criterion.objects.prefetch_related(Prefetch("indicators", queryset=indicators)).order_by(
        "order", "id"
    )
    version.criteria_list = list(criteria.filter(version=version))
    for criterion in version.criteria_list:
        criterion.indicator_list = list(criterion.indicators.all())
        for item in criterion.indicator_list:
            item.criterion = criterion  # global_weight without a query
    return version


def version_history(scheme) -> QuerySet:
    return scheme.versions.select_related("created_by", "activated_by").order_by("-number")


def draft_stamp(version: SchemeVersion) -> str:
    """A fingerprint of everything the editor changes in a draft. The editor keeps the one it read;
    a save that brings another one was made on a stale page and is refused (no model field needed,
    and any change, whoever made it, moves the stamp)."""
    rows = list(
        Criterion.objects.filter(version=version).order_by("order", "id").values_list("id", "name", "matrix")
    )
    items = list(
        SchemeIndicator.objects.filter(criterion__version=version)
        .order_by("criterion_id", "order", "id")
        .values_list(
            "id",
            "criterion_id",
            "indicator_id",
            "point_mode",
            "low",
            "high",
            "low_percentile",
            "high_percentile",
        )
    )
    content = json.dumps([version.state, version.matrix, rows, items], default=str, sort_keys=True)
    return hashlib.sha256(content.encode()).hexdigest()[:16]


def consistency_threshold() -> float:
    return AppraisalSettings.current().max_consistency_ratio


@dataclass
class MatrixView:
    """What the live editor shows of one level: its items, the triangle, the AHP figures."""

    labels: list[str]
    upper: list[list[float]]
    threshold: float
    weights: list[float] = field(default_factory=list)
    lambda_max: float | None = None
    ci: float | None = None
    cr: float | None = None
    error: str = ""
    # (row, column) → the suggested scale value, for the worst judgments
    flagged: dict = field(default_factory=dict)
    disagreements: list = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return self.cr is not None and self.cr < self.threshold

    @property
    def grid(self) -> list[dict]:
        """Row by row: the label, the weight, and each cell: the diagonal, a judgment to choose (above
        the diagonal, flagged with a suggestion when it disagrees most) or its reciprocal (below)."""
        rows = []
        for i, label in enumerate(self.labels):
            cells = []
            for j in range(len(self.labels)):
                if i == j:
                    cells.append({"kind": "diagonal", "value": "1"})
                elif j > i:
                    value = _label_or_text(self.upper[i][j - i - 1])
                    cells.append(
                        {
                            "kind": "judgment",
                            "name": f"a-{i}-{j}",
                            "value": value,
                            "suggested": self.flagged.get((i, j)),
                        }
                    )
                else:
                    value = _label_or_text(self.upper[j][i - j - 1], reciprocal=True)
                    cells.append(
                        {"kind": "reciprocal", "value": value, "suggested": self.flagged.get((j, i))}
                    )
            weight = self.weights[i] if self.weights else None
            rows.append({"label": label, "weight": weight, "cells": cells})
        return rows


def _label_or_text(value, reciprocal: bool = False) -> str:
    try:
        judged = ahp_maths.judgment(value)
    except (ahp_maths.MatrixError, IndexError):
        return "?" if reciprocal else str(value)[:8]
    return saaty_label(1 / judged if reciprocal else judged)


def matrix_view(labels: list[str], upper, threshold: float | None = None) -> MatrixView:
    """The AHP figures of a triangle as typed (nothing saved); a triangle that is not one shows why."""
    threshold = consistency_threshold() if threshold is None else threshold
    view = MatrixView(labels=list(labels), upper=upper, threshold=threshold)
    if not labels:
        return view
    try:
        full = ahp_maths.from_upper(upper, len(labels))
        result = ahp_maths.ahp(full)
    except ahp_maths.MatrixError as exc:
        view.error = str(exc)
        return view
    view.upper = ahp_maths.upper_of(full)
    view.weights, view.lambda_max, view.ci, view.cr = result.weights, result.lambda_max, result.ci, result.cr
    if not result.consistent(threshold):
        view.disagreements = [
            {
                "row": labels[d.row],
                "column": labels[d.column],
                "judged": saaty_label(d.judged),
                "suggested": saaty_label(d.suggested),
            }
            for d in ahp_maths.disagreements(full, result.weights)
        ]
        view.flagged = {
            (d.row, d.column): saaty_label(d.suggested) for d in ahp_maths.disagreements(full, result.weights)
        }
    return view


def saaty_label(value: float) -> str:
    """3 → "3", 1/3 → "1/3": how the editor writes a judgment."""
    value = ahp_maths.judgment(value)
    return str(round(value)) if value >= 1 else f"1/{round(1 / value)}"


SAATY_CHOICES = [saaty_label(v) for v in ahp_maths.SAATY_VALUES]


def stored_upper(matrix, n: int) -> list[list[str]]:
    """A stored matrix's triangle as scale labels (ones where the stored matrix is missing or of
    another size, which activation refuses anyway)."""
    if len(matrix) != n:
        return [["1"] * (n - 1 - i) for i in range(n - 1)]
    return [[saaty_label(v) for v in row] for row in ahp_maths.upper_of(matrix)]


def level_problems(version: SchemeVersion, threshold: float) -> list[str]:
    """Why the version cannot be activated, one sentence per problem naming its level (empty: it can)."""
    version = version_tree(version) if not hasattr(version, "criteria_list") else version
    problems = []
    criteria = version.criteria_list
    if not criteria:
        problems.append(_("The scheme has no criteria."))
    elif not _level_ready(version.matrix, version.consistency_ratio, [c.weight for c in criteria]):
        problems.append(_("The criteria level has no complete judgment matrix."))
    elif version.consistency_ratio >= threshold:
        problems.append(
            _("The criteria level's consistency ratio %(cr).3f is not below %(max).2f.")
            % {"cr": version.consistency_ratio, "max": threshold}
        )
    for criterion in criteria:
        items = criterion.indicator_list
        if not items:
            problems.append(_("Criterion “%(name)s” has no indicator.") % {"name": criterion.name})
            continue
        if not _level_ready(criterion.matrix, criterion.consistency_ratio, [i.weight for i in items]):
            problems.append(
                _("Criterion “%(name)s” has no complete judgment matrix of its indicators.")
                % {"name": criterion.name}
            )
        elif criterion.consistency_ratio >= threshold:
            problems.append(
                _("The consistency ratio of criterion “%(name)s” is %(cr).3f, not below %(max).2f.")
                % {"name": criterion.name, "cr": criterion.consistency_ratio, "max": threshold}
            )
        for item in items:
            if not item.indicator.is_active:
                problems.append(
                    _("Indicator “%(indicator)s” under “%(name)s” is no longer active.")
                    % {"indicator": item.indicator.label, "name": criterion.name}
                )
    return problems


def _level_ready(matrix, cr, weights) -> bool:
    return len(matrix) == len(weights) and cr is not None and all(w is not None for w in weights)


def population_nodes(viewer) -> QuerySet:
    return OrgNode.objects.filter(is_active=True).order_by("path")
