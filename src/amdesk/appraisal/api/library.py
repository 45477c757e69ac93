"""API of the indicator library, under /api/v1/appraisal/.

Every signed-in user reads the library and the source registry; the appraisal admin writes. Manual
values follow the data scope: an AM reads his own, a supervisor his teams', a head his branch's, the
appraisal admin everyone's; only the appraisal admin writes them. Edits made on stale data answer
409 {"code": "stale"}."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.clients.api.common import STALE, stale_response
from amdesk.core.params import DateField, IdField, bool_param, choice_param, parse_date, parse_id

from ..models import Dimension, Indicator, PeriodKind
from ..selectors.library import access_indicator, indicator_list, manual_people, manual_values_for
from ..services.access import is_appraisal_admin
from ..services.dates import period_bounds
from ..services.library import (
    UNSET,
    ManualEntry,
    StaleLibraryEdit,
    indicator_fingerprint,
    indicator_save,
    manual_value_set,
)
from ..sources import source_catalogue

TAG = "appraisal"
MAX_ROWS = 500


def _require_admin(user) -> None:
    if not is_appraisal_admin(user):
        raise PermissionDenied()


class StaleAware:
    def handle_exception(self, exc):
        if isinstance(exc, StaleLibraryEdit):
            return stale_response(exc)
        return super().handle_exception(exc)


class IndicatorOutput(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalIndicator"

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    label = serializers.CharField()
    dimension = serializers.CharField(source="dimension.code")
    unit = serializers.CharField()
    unit_en = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    source = serializers.CharField()
    params = serializers.DictField()
    description = serializers.CharField()
    optional = serializers.BooleanField()
    order = serializers.IntegerField()
    is_active = serializers.BooleanField()
    fingerprint = serializers.SerializerMethodField(help_text="send it back with a change: 409 when stale")

    def get_fingerprint(self, indicator) -> str:
        return indicator_fingerprint(indicator)


class IndicatorInput(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalIndicatorInput"

    code = serializers.SlugField(max_length=48)
    name = serializers.CharField(max_length=80)
    name_en = serializers.CharField(max_length=120, required=False, allow_blank=True)
    dimension = serializers.SlugRelatedField(slug_field="code", queryset=Dimension.objects.all())
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    unit_en = serializers.CharField(max_length=30, required=False, allow_blank=True)
    higher_is_better = serializers.BooleanField(required=False)
    source = serializers.CharField(max_length=48, help_text='a code of GET sources/, or "manual"')
    params = serializers.JSONField(required=False, help_text="the source's parameters by name")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    optional = serializers.BooleanField(required=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    is_active = serializers.BooleanField(required=False)
    fingerprint = serializers.CharField(max_length=40, required=False, help_text="the fingerprint read")


def _filters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter("dimension", str, description="a dimension code (acquire, retain, grow…)"),
        OpenApiParameter("active", bool, description="true: only active indicators; false: only inactive"),
    ]


class IndicatorListApi(StaleAware, APIView):
    @extend_schema(
        tags=[TAG],
        summary="The indicator library",
        parameters=_filters(),
        responses=IndicatorOutput(many=True),
    )
    def get(self, request):
        dimension = request.query_params.get("dimension", "")[:32]
        indicators = indicator_list(
            viewer=request.user, dimension=dimension or None, active=bool_param(request, "active")
        )
        return Response(IndicatorOutput(indicators[:MAX_ROWS], many=True).data)

    @extend_schema(
        tags=[TAG], summary="Add an indicator", request=IndicatorInput, responses={201: IndicatorOutput}
    )
    def post(self, request):
        _require_admin(request.user)
        data = IndicatorInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("fingerprint", None)
        indicator = indicator_save(actor=request.user, data=values, request=request)
        return Response(
            IndicatorOutput(access_indicator(request.user, indicator.pk)).data, status=status.HTTP_201_CREATED
        )


class IndicatorDetailApi(StaleAware, APIView):
    @extend_schema(tags=[TAG], summary="One indicator", responses=IndicatorOutput)
    def get(self, request, pk: int):
        return Response(IndicatorOutput(access_indicator(request.user, pk)).data)

    @extend_schema(
        tags=[TAG],
        summary="Change an indicator",
        request=IndicatorInput,
        responses={200: IndicatorOutput, 409: STALE},
    )
    def patch(self, request, pk: int):
        _require_admin(request.user)
        indicator = access_indicator(request.user, pk)
        data = IndicatorInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        fingerprint = values.pop("fingerprint", None)
        if values.get("code", indicator.code) != indicator.code:
            raise serializers.ValidationError({"code": [str(_code_fixed())]})
        values.pop("code", None)
        indicator_save(
            actor=request.user, indicator=indicator, data=values, fingerprint=fingerprint, request=request
        )
        return Response(IndicatorOutput(access_indicator(request.user, pk)).data)


def _code_fixed():
    from django.utils.translation import gettext as _

    return _("The code of an indicator cannot change: schemes refer to it.")


class SourceParamOutput(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField(help_text="int, float, str or bool")
    default = serializers.JSONField()
    label = serializers.CharField()
    choices = serializers.ListField(child=serializers.JSONField())


class SourceOutput(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalSource"

    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    help = serializers.CharField()
    empty_is_none = serializers.BooleanField(help_text="true: no value when nothing to measure (a rate)")
    params = SourceParamOutput(many=True)


class SourceListApi(APIView):
    @extend_schema(tags=[TAG], summary="The registry of indicator sources", responses=SourceOutput(many=True))
    def get(self, request):
        return Response(SourceOutput(source_catalogue(), many=True).data)


class ManualValueOutput(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalManualValue"

    id = serializers.IntegerField()
    indicator = serializers.CharField(source="indicator.code")
    staff = serializers.IntegerField(source="staff_id")
    staff_name = serializers.CharField(source="staff.full_name")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    entered_by = serializers.CharField(source="entered_by.full_name", default="")
    entered_at = serializers.DateTimeField()


class ManualRowInput(serializers.Serializer):
    staff = IdField()
    value = serializers.DecimalField(
        max_digits=18, decimal_places=4, allow_null=True, help_text="null clears it"
    )
    expected = serializers.DecimalField(
        max_digits=18, decimal_places=4, allow_null=True, required=False,
        help_text="the value read (null: none); a different stored value answers 409",
    )  # fmt: skip


class ManualValuesInput(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalManualValuesInput"

    indicator = IdField()
    kind = serializers.ChoiceField(choices=PeriodKind.choices)
    start = DateField(help_text="any day in the period")
    values = ManualRowInput(many=True, max_length=MAX_ROWS)


class ManualValuesApi(StaleAware, APIView):
    @extend_schema(
        tags=[TAG],
        summary="Manual indicator values in your scope",
        parameters=[
            OpenApiParameter("indicator", int, description="an indicator id"),
            OpenApiParameter(
                "kind", str, enum=list(PeriodKind.values), description="with start: that period"
            ),
            OpenApiParameter("start", str, description="YYYY-MM-DD, any day in the period"),
        ],
        responses=ManualValueOutput(many=True),
    )
    def get(self, request):
        indicator_id = parse_id(request.query_params.get("indicator"), "indicator")
        indicator = access_indicator(request.user, indicator_id) if indicator_id else None
        kind = choice_param(request, "kind", PeriodKind.values, default=PeriodKind.MONTH)
        day = parse_date(request.query_params.get("start"), "start")
        start, end = period_bounds(kind, day) if day else (None, None)
        values = manual_values_for(viewer=request.user, indicator=indicator, start=start, end=end)
        return Response(ManualValueOutput(values[:MAX_ROWS], many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Enter manual values for a period (all or nothing)",
        request=ManualValuesInput,
        responses={200: ManualValueOutput(many=True), 409: STALE},
    )
    def put(self, request):
        _require_admin(request.user)
        data = ManualValuesInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        indicator = Indicator.objects.filter(pk=given["indicator"]).first()
        if indicator is None:
            raise serializers.ValidationError({"indicator": [str(_no_indicator())]})
        start, end = period_bounds(given["kind"], given["start"])
        entries = [
            ManualEntry(row["staff"], row["value"], row.get("expected", UNSET)) for row in given["values"]
        ]
        allowed = manual_people(viewer=request.user).filter(pk__in=[e.staff_id for e in entries])
        manual_value_set(
            actor=request.user, indicator=indicator, start=start, end=end, entries=entries,
            allowed_ids=list(allowed.values_list("pk", flat=True)), request=request,
        )  # fmt: skip
        values = manual_values_for(viewer=request.user, indicator=indicator, start=start, end=end)
        return Response(ManualValueOutput(values[:MAX_ROWS], many=True).data)


def _no_indicator():
    from django.utils.translation import gettext as _

    return _("No such indicator.")


urlpatterns = [
    path("indicators/", IndicatorListApi.as_view(), name="appraisal-indicators"),
    path("indicators/<int:pk>/", IndicatorDetailApi.as_view(), name="appraisal-indicator"),
    path("sources/", SourceListApi.as_view(), name="appraisal-sources"),
    path("manual-values/", ManualValuesApi.as_view(), name="appraisal-manual-values"),
]
