"""Visit records 拜访记录: the scoped list, recording one, changing it (optimistic locking), the sign-off.

The client's signature image is accepted (write-only) and never sent back: records show `is_signed`.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import DateField, DateTimeField, choice_of
from amdesk.orgs.access import access_client

from ..models import Visit
from ..selectors import access_visit, checklist_labels, visits_for
from ..services import StaleVisit, visit_record, visit_sign, visit_update
from .common import (
    IF_MATCH,
    STALE,
    ClientRef,
    PlainChoiceField,
    StaffRef,
    access_entry,
    expected_version,
    filter_parameters,
    filtered,
    one_of,
    stale_response,
)
from .filters import VisitFilter
from .pagination import VisitPagination

TAG = "visits"


class VisitOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Visit"

    class FindingSerializer(serializers.Serializer):
        class Meta:
            ref_name = "VisitFindingBrief"

        kind = serializers.CharField(
            help_text="`market_anomaly` for the anomalies written down, else the anomaly kind's code"
        )
        outcome = serializers.CharField(
            source="outcome.code",
            allow_null=True,
            help_text="the code of the finding outcome; null while the supervisor has not acted",
        )
        closed_at = DateTimeField(allow_null=True)

    id = serializers.IntegerField()
    version = serializers.IntegerField()
    client = ClientRef()
    owner = StaffRef(help_text="the account manager who made the visit")
    kind = choice_of(Visit.Kind)
    mode = choice_of(Visit.Mode)
    planned = serializers.BooleanField(help_text="it fulfils an entry of the visit schedule")
    entry = serializers.IntegerField(source="entry_id", allow_null=True, help_text="the schedule entry")
    visited_on = DateField()
    started_at = DateTimeField()
    ended_at = DateTimeField(allow_null=True)
    minutes = serializers.IntegerField(allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    checklist = serializers.ListField(child=serializers.CharField(), help_text="codes of the items done")
    checklist_labels = serializers.SerializerMethodField(help_text="names of the checklist codes, in order")
    special_reason = serializers.CharField()
    market_anomaly = serializers.CharField()
    anomalies = serializers.ListField(
        child=serializers.CharField(), help_text="codes of the anomaly kinds seen (industry preset)"
    )
    opinions = serializers.CharField()
    effect = serializers.CharField()
    next_step = serializers.CharField()
    next_step_on = DateField(allow_null=True)
    is_signed = serializers.BooleanField()
    signed_at = DateTimeField(allow_null=True)
    signer_name = serializers.CharField()
    unsigned_reason = serializers.CharField()
    findings = FindingSerializer(many=True, help_text="what the visit raised for the supervisor")
    created_at = DateTimeField()
    updated_at = DateTimeField()

    def get_checklist_labels(self, visit) -> list[str]:
        labels = self.context["labels"]
        return [labels.get(code, code) for code in visit.checklist]


def _output(visits, *, many: bool = False):
    """Serialize with the checklist names of all rows read in one query."""
    rows = visits if many else [visits]
    codes = sorted({code for visit in rows for code in visit.checklist})
    labels = dict(zip(codes, checklist_labels(codes), strict=True)) if codes else {}
    return VisitOutputSerializer(visits, many=many, context={"labels": labels}).data


class VisitContentSerializer(serializers.Serializer):
    """What the account manager writes about a visit (CONTENT_FIELDS of services/records.py)."""

    class Meta:
        ref_name = "VisitContentInput"

    kind = PlainChoiceField(choices=Visit.Kind.choices, required=False, help_text=one_of(Visit.Kind))
    mode = serializers.ChoiceField(choices=Visit.Mode.choices, required=False)
    started_at = DateTimeField(required=False, help_text="time in; now when left out")
    ended_at = DateTimeField(required=False, allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    checklist = serializers.ListField(
        child=serializers.SlugField(max_length=40),
        required=False,
        help_text="codes of the visit checklist items done",
    )
    special_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    market_anomaly = serializers.CharField(required=False, allow_blank=True)
    anomalies = serializers.ListField(
        child=serializers.SlugField(max_length=40),
        required=False,
        max_length=50,
        help_text="codes of the anomaly kinds seen (industry preset); each raises a finding",
    )
    opinions = serializers.CharField(required=False, allow_blank=True)
    effect = serializers.CharField(required=False, allow_blank=True)
    next_step = serializers.CharField(required=False, allow_blank=True, max_length=200)
    next_step_on = DateField(required=False, allow_null=True)
    unsigned_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    signer_name = serializers.CharField(required=False, allow_blank=True, max_length=50)


SIGNATURE_HELP = "the client's signature drawn on the screen, a PNG data URL (data:image/png;base64,…)"


class VisitListApi(APIView):
    """Visits in the caller's scope, the newest first, in keyset pages; recording a visit."""

    pagination_class = VisitPagination

    class InputSerializer(VisitContentSerializer):
        class Meta:
            ref_name = "VisitInput"

        client = serializers.IntegerField(help_text="a client the caller may see")
        entry = serializers.IntegerField(
            required=False, allow_null=True, help_text="the caller's schedule entry this visit fulfils"
        )
        signature = serializers.CharField(
            required=False, allow_blank=True, write_only=True, help_text=SIGNATURE_HELP
        )

    @extend_schema(
        tags=[TAG],
        summary="List visits",
        parameters=filter_parameters(VisitFilter),
        responses=VisitOutputSerializer(many=True),
    )
    def get(self, request):
        visits = filtered(VisitFilter, request.query_params, visits_for(request.user))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(visits.prefetch_related("findings__outcome"), request, view=self)
        return paginator.get_paginated_response(_output(page, many=True))

    @extend_schema(
        tags=[TAG],
        summary="Record a visit",
        description="An on-site visit needs the client's `signature` or an `unsigned_reason`.",
        request=InputSerializer,
        responses={201: VisitOutputSerializer},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        client = access_client(request.user, values.pop("client"))
        entry_id = values.pop("entry", None)
        entry = access_entry(request.user, entry_id) if entry_id is not None else None
        signature = values.pop("signature", "")
        visit = visit_record(
            actor=request.user, client=client, data=values, entry=entry, signature=signature, request=request
        )
        return Response(_output(access_visit(request.user, visit.pk)), status=status.HTTP_201_CREATED)


class VisitDetailApi(APIView):
    @extend_schema(tags=[TAG], summary="Get a visit", responses=VisitOutputSerializer)
    def get(self, request, pk: int):
        return Response(_output(access_visit(request.user, pk)))

    @extend_schema(
        tags=[TAG],
        summary="Change a visit record",
        description="Only the account manager who made it, before the client signs, within the edit window.",
        request=VisitContentSerializer,
        responses={200: VisitOutputSerializer, 409: STALE},
        parameters=[IF_MATCH],
    )
    def patch(self, request, pk: int):
        visit = access_visit(request.user, pk)
        data = VisitContentSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        try:
            visit_update(
                actor=request.user,
                visit=visit,
                data=data.validated_data,
                expected_version=expected_version(request),
                request=request,
            )
        except StaleVisit as exc:
            return stale_response(exc)
        return Response(_output(access_visit(request.user, pk)))


class VisitSignApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "VisitSignInput"

        signature = serializers.CharField(write_only=True, help_text=SIGNATURE_HELP)
        signer_name = serializers.CharField(required=False, allow_blank=True, max_length=50)

    @extend_schema(
        tags=[TAG],
        summary="Sign a visit record",
        description="The client signs on the account manager's screen; a record is signed once.",
        request=InputSerializer,
        responses=VisitOutputSerializer,
    )
    def post(self, request, pk: int):
        visit = access_visit(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visit_sign(actor=request.user, visit=visit, **data.validated_data, request=request)
        return Response(_output(access_visit(request.user, pk)))
