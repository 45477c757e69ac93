"""API: the AHP and scoring maths for anyone signed in, and appraisal schemes (read by those who
oversee others and by the people a scheme appraises; written by the appraisal admin)."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.errors import error_body
from amdesk.core.limits import ID_MAX
from amdesk.core.params import IdField

from .. import ahp as ahp_maths
from .. import fuzzy
from ..models import AppraisalSettings, Criterion, Indicator, PeriodKind
from ..selectors.schemes import (
    access_scheme,
    draft_of,
    draft_stamp,
    ensure_may_manage_schemes,
    may_manage_schemes,
    scheme_list,
    version_tree,
)
from ..services import schemes as services

TAG = "appraisal"
MAX_INDICATORS = 200
VALUE_BOUND = 1e15  # far beyond any indicator, and (x − low)/(high − low) stays finite
ERROR = OpenApiResponse(
    inline_serializer(
        "AppraisalError",
        {
            "code": serializers.CharField(),
            "message": serializers.CharField(),
            "fields": serializers.DictField(),
        },
    ),
    description='the reason, e.g. {"code": "invalid", "fields": {"matrix": ["…not reciprocal…"]}}',
)


class Number(serializers.FloatField):
    """A JSON number: text, true/false, NaN and infinities are refused, not converted."""

    def to_internal_value(self, data):
        if not ahp_maths.is_number(data):
            raise serializers.ValidationError(_("Give a number."))
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.NUMBER)
class MatrixEntry(serializers.JSONField):
    """Taken as sent: the maths check each entry and name the one that is not a positive number."""


# --- AHP -----------------------------------------------------------------------------------------


class AhpApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AhpInput"

        matrix = serializers.ListField(
            child=serializers.ListField(child=MatrixEntry(), max_length=ahp_maths.MAX_ORDER),
            max_length=ahp_maths.MAX_ORDER,
            help_text="n×n (n = 1…10), positive, ones on the diagonal, a_ji = 1/a_ij (within 1e-6)",
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AhpResult"

        weights = serializers.ListField(child=serializers.FloatField(), help_text="in the rows' order; sum 1")
        lambda_max = serializers.FloatField()
        ci = serializers.FloatField(help_text="(λmax − n)/(n − 1)")
        cr = serializers.FloatField(
            help_text="CI/RI, RI(n = 1…10) = 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49"
        )
        consistent = serializers.BooleanField(help_text="CR below the settings' threshold (0.10 by default)")

    @extend_schema(
        tags=[TAG],
        summary="AHP weights and consistency of a judgment matrix",
        request=InputSerializer,
        responses={200: OutputSerializer, 400: ERROR},
        examples=[
            OpenApiExample(
                "Saaty's classic 3×3",
                request_only=True,
                value={"matrix": [[1, 3, 5], [0.333333333, 1, 3], [0.2, 0.333333333, 1]]},
            ),
            OpenApiExample(
                "Its result",
                response_only=True,
                value={
                    "weights": [0.637, 0.258, 0.105],
                    "lambda_max": 3.0385,
                    "ci": 0.0193,
                    "cr": 0.0332,
                    "consistent": True,
                },
            ),
        ],
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = ahp_maths.ahp(data.validated_data["matrix"])
        except ahp_maths.MatrixError as exc:
            raise serializers.ValidationError({"matrix": [str(exc)]}) from exc
        threshold = AppraisalSettings.current().max_consistency_ratio
        body = {
            "weights": result.weights,
            "lambda_max": result.lambda_max,
            "ci": result.ci,
            "cr": result.cr,
            "consistent": result.consistent(threshold),
        }
        return Response(self.OutputSerializer(body).data)


# --- Score ---------------------------------------------------------------------------------------


class ScoreIndicatorSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ScoreIndicatorInput"

    value = Number(min_value=-VALUE_BOUND, max_value=VALUE_BOUND)
    low = Number(min_value=-VALUE_BOUND, max_value=VALUE_BOUND, help_text="the scale's low end")
    high = Number(min_value=-VALUE_BOUND, max_value=VALUE_BOUND, help_text="the scale's high end")
    higher_is_better = serializers.BooleanField(default=True)
    weight = Number(min_value=0, max_value=1, help_text="global weight; all of them add up to 1 (±1e-6)")


class ScoreApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ScoreInput"

        indicators = ScoreIndicatorSerializer(
            many=True, min_length=1, max_length=MAX_INDICATORS, help_text="1…200"
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ScoreResult"

        memberships = serializers.ListField(child=serializers.FloatField(), help_text="μ per indicator, 0…1")
        score = serializers.FloatField(help_text="100 · Σ μ_i · weight_i")

    @extend_schema(
        tags=[TAG],
        summary="Fuzzy memberships and the score of indicator values",
        description="μ = (value − low)/(high − low) clipped to [0, 1], 1 − μ when lower is better; "
        "score = 100 · Σ μ_i · weight_i. At most 200 indicators.",
        request=InputSerializer,
        responses={200: OutputSerializer, 400: ERROR},
        examples=[
            OpenApiExample(
                "Two indicators",
                request_only=True,
                value={
                    "indicators": [
                        {"value": 75, "low": 50, "high": 100, "higher_is_better": True, "weight": 0.6},
                        {"value": 2, "low": 0, "high": 8, "higher_is_better": False, "weight": 0.4},
                    ]
                },
            ),
            OpenApiExample(
                "Their score", response_only=True, value={"memberships": [0.5, 0.75], "score": 60.0}
            ),
        ],
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [
            (i["value"], i["low"], i["high"], i["higher_is_better"], i["weight"])
            for i in data.validated_data["indicators"]
        ]
        try:
            result = fuzzy.score(rows)
        except fuzzy.ScoreError as exc:
            raise serializers.ValidationError({"indicators": [str(exc)]}) from exc
        return Response(
            self.OutputSerializer({"memberships": result.memberships, "score": result.score}).data
        )


# --- Schemes -------------------------------------------------------------------------------------


class PointsSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SchemeIndicatorPoints"

    point_mode = serializers.ChoiceField(choices=["fixed", "percentile"], required=False)
    low = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
    high = serializers.DecimalField(max_digits=18, decimal_places=4, required=False, allow_null=True)
    low_percentile = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    high_percentile = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)


class SchemeIndicatorOut(serializers.Serializer):
    class Meta:
        ref_name = "SchemeIndicatorOut"

    id = serializers.IntegerField()
    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.label")
    higher_is_better = serializers.BooleanField(source="indicator.higher_is_better")
    weight = serializers.FloatField(allow_null=True, help_text="within the criterion")
    global_weight = serializers.FloatField(allow_null=True, help_text="criterion weight × weight")
    point_mode = serializers.CharField()
    low = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    high = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    low_percentile = serializers.IntegerField()
    high_percentile = serializers.IntegerField()


class CriterionOut(serializers.Serializer):
    class Meta:
        ref_name = "SchemeCriterionOut"

    id = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.FloatField(allow_null=True)
    consistency_ratio = serializers.FloatField(allow_null=True)
    matrix = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()))
    indicators = SchemeIndicatorOut(many=True, source="indicator_list")


class VersionOut(serializers.Serializer):
    class Meta:
        ref_name = "SchemeVersionOut"

    number = serializers.IntegerField()
    state = serializers.CharField()
    consistency_ratio = serializers.FloatField(allow_null=True, help_text="of the criteria level")
    matrix = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()))
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    activated_at = serializers.DateTimeField(allow_null=True)
    stamp = serializers.CharField(required=False, help_text="drafts: send it back with each edit")
    criteria = CriterionOut(many=True, source="criteria_list")


class SchemeOut(serializers.Serializer):
    class Meta:
        ref_name = "SchemeOut"

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    period_kind = serializers.CharField()
    roles = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    org_node = serializers.CharField(source="org_node.name", allow_null=True, default=None)
    active_version = serializers.SerializerMethodField()
    draft_version = serializers.SerializerMethodField()

    def _number(self, scheme, state) -> int | None:
        return next((v.number for v in scheme.current_versions if v.state == state), None)

    def get_active_version(self, scheme) -> int | None:
        return self._number(scheme, "active")

    def get_draft_version(self, scheme) -> int | None:
        return self._number(scheme, "draft")


class SchemeDetailOut(SchemeOut):
    class Meta:
        ref_name = "SchemeDetailOut"

    active = VersionOut(allow_null=True)
    draft = VersionOut(allow_null=True)


def _detail(request, scheme, code=status.HTTP_200_OK) -> Response:
    scheme = access_scheme(request.user, scheme.pk)
    versions = {v.state: version_tree(v) for v in scheme.current_versions}
    draft = versions.get("draft")
    if draft is not None and may_manage_schemes(request.user):
        draft.stamp = draft_stamp(draft)
    scheme.active, scheme.draft = versions.get("active"), draft
    return Response(SchemeDetailOut(scheme).data, status=code)


class StaleHandled:
    def handle_exception(self, exc):
        if isinstance(exc, services.StaleDraft):
            return Response(error_body("stale", " ".join(exc.messages)), status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)


class SchemeListApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SchemeCreateInput"

        code = serializers.SlugField(max_length=48)
        name = serializers.CharField(max_length=100)
        period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
        roles = serializers.ListField(child=serializers.SlugField(max_length=32), min_length=1, max_length=20)
        org_node = IdField(required=False, allow_null=True)

    @extend_schema(
        tags=[TAG], summary="Appraisal schemes the caller may read", responses=SchemeOut(many=True)
    )
    def get(self, request):
        return Response(SchemeOut(scheme_list(viewer=request.user)[:500], many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Create a scheme (appraisal admin), with an empty draft version 1",
        request=InputSerializer,
        responses={201: SchemeDetailOut, 400: ERROR, 403: ERROR},
    )
    def post(self, request):
        from amdesk.orgs.models import OrgNode, Role

        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        roles = list(Role.objects.filter(code__in=values["roles"]))
        if len(roles) != len(set(values["roles"])):
            raise serializers.ValidationError({"roles": [_("Unknown role.")]})
        node = None
        if values.get("org_node"):
            node = OrgNode.objects.filter(pk=values["org_node"]).first()
            if node is None:
                raise serializers.ValidationError({"org_node": [_("No such org node.")]})
        scheme = services.scheme_create(
            actor=request.user,
            code=values["code"],
            name=values["name"],
            period_kind=values["period_kind"],
            roles=roles,
            org_node=node,
            request=request,
        )
        return _detail(request, scheme, status.HTTP_201_CREATED)


class SchemeDetailApi(APIView):
    @extend_schema(
        tags=[TAG],
        summary="One scheme with its active and draft versions",
        responses={200: SchemeDetailOut, 404: ERROR},
    )
    def get(self, request, pk: int):
        return _detail(request, access_scheme(request.user, pk))


class DraftApi(StaleHandled, APIView):
    @extend_schema(
        tags=[TAG],
        summary="Start a draft copied from the active version (appraisal admin)",
        request=None,
        responses={201: SchemeDetailOut, 400: ERROR, 403: ERROR},
    )
    def post(self, request, pk: int):
        scheme = access_scheme(request.user, pk)
        services.scheme_draft(actor=request.user, scheme=scheme, request=request)
        return _detail(request, scheme, status.HTTP_201_CREATED)


def _draft(request, pk) -> tuple:
    scheme = access_scheme(request.user, pk)
    ensure_may_manage_schemes(request.user)
    draft = draft_of(scheme)
    if draft is None:
        raise serializers.ValidationError({"non_field_errors": [_("This scheme has no draft.")]})
    return scheme, draft


class StampedInput(serializers.Serializer):
    stamp = serializers.CharField(max_length=64, help_text="the draft's stamp as read")


class DraftMatrixApi(StaleHandled, APIView):
    class InputSerializer(StampedInput):
        class Meta:
            ref_name = "SchemeMatrixInput"

        criterion = IdField(required=False, allow_null=True, help_text="absent: the criteria level")
        upper = serializers.ListField(
            child=serializers.ListField(child=serializers.CharField(max_length=8), max_length=9),
            max_length=ahp_maths.MAX_ORDER,
            help_text='the judgments above the diagonal, row by row, e.g. [["3", "1/5"], ["1/7"]]',
        )

    @extend_schema(
        tags=[TAG],
        summary="Set a level's judgment matrix of the draft",
        request=InputSerializer,
        responses={200: SchemeDetailOut, 400: ERROR, 403: ERROR, 409: ERROR},
    )
    def put(self, request, pk: int):
        scheme, draft = _draft(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        criterion = None
        if data.validated_data.get("criterion"):
            criterion = Criterion.objects.filter(version=draft, pk=data.validated_data["criterion"]).first()
            if criterion is None:
                raise serializers.ValidationError({"criterion": [_("No such criterion in the draft.")]})
        services.matrix_set(
            actor=request.user,
            version=draft,
            criterion=criterion,
            upper=data.validated_data["upper"],
            stamp=data.validated_data["stamp"],
            request=request,
        )
        return _detail(request, scheme)


class DraftCriterionApi(StaleHandled, APIView):
    class InputSerializer(StampedInput):
        class Meta:
            ref_name = "SchemeCriterionInput"

        name = serializers.CharField(max_length=80)

    @extend_schema(
        tags=[TAG],
        summary="Add a criterion to the draft",
        request=InputSerializer,
        responses={201: SchemeDetailOut, 400: ERROR, 403: ERROR, 409: ERROR},
    )
    def post(self, request, pk: int):
        scheme, draft = _draft(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.criterion_add(
            actor=request.user,
            version=draft,
            name=data.validated_data["name"],
            stamp=data.validated_data["stamp"],
            request=request,
        )
        return _detail(request, scheme, status.HTTP_201_CREATED)


class DraftIndicatorApi(StaleHandled, APIView):
    class InputSerializer(StampedInput, PointsSerializer):
        class Meta:
            ref_name = "SchemeIndicatorInput"

        indicator = serializers.SlugField(max_length=48, help_text="the indicator's code in the library")

    @extend_schema(
        tags=[TAG],
        summary="Add an indicator under a criterion of the draft",
        request=InputSerializer,
        responses={201: SchemeDetailOut, 400: ERROR, 403: ERROR, 409: ERROR},
    )
    def post(self, request, pk: int, criterion: int):
        scheme, draft = _draft(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        owner = Criterion.objects.filter(version=draft, pk=criterion).first() if criterion <= ID_MAX else None
        indicator = Indicator.objects.filter(code=values.pop("indicator")).first()
        if owner is None or indicator is None:
            raise serializers.ValidationError({"indicator": [_("No such criterion or indicator.")]})
        stamp = values.pop("stamp")
        services.scheme_indicator_add(
            actor=request.user,
            criterion=owner,
            indicator=indicator,
            points=values,
            stamp=stamp,
            request=request,
        )
        return _detail(request, scheme, status.HTTP_201_CREATED)


class ActivateApi(StaleHandled, APIView):
    @extend_schema(
        tags=[TAG],
        summary="Activate the draft (every level complete and CR below the threshold)",
        description="Refused (400, with each level's reason) while a level lacks a matrix, a criterion "
        "has no indicator, an indicator is inactive or a CR is at or above the threshold.",
        request=StampedInput,
        responses={200: SchemeDetailOut, 400: ERROR, 403: ERROR, 409: ERROR},
    )
    def post(self, request, pk: int):
        scheme, draft = _draft(request, pk)
        data = StampedInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.scheme_version_activate(
            actor=request.user, version=draft, stamp=data.validated_data["stamp"], request=request
        )
        return _detail(request, scheme)


urlpatterns = [
    path("ahp/", AhpApi.as_view(), name="appraisal-ahp"),
    path("score/", ScoreApi.as_view(), name="appraisal-score"),
    path("schemes/", SchemeListApi.as_view(), name="appraisal-schemes"),
    path("schemes/<int:pk>/", SchemeDetailApi.as_view(), name="appraisal-scheme"),
    path("schemes/<int:pk>/draft/", DraftApi.as_view(), name="appraisal-scheme-draft"),
    path("schemes/<int:pk>/draft/matrix/", DraftMatrixApi.as_view(), name="appraisal-scheme-matrix"),
    path("schemes/<int:pk>/draft/criteria/", DraftCriterionApi.as_view(), name="appraisal-scheme-criteria"),
    path(
        "schemes/<int:pk>/draft/criteria/<int:criterion>/indicators/",
        DraftIndicatorApi.as_view(),
        name="appraisal-scheme-indicators",
    ),
    path("schemes/<int:pk>/draft/activate/", ActivateApi.as_view(), name="appraisal-scheme-activate"),
]
