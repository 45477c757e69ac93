"""Post-loan inspections 贷后检查: the scoped list (or the overdue ones), ad-hoc ones, the report."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.clients.selectors import holdings_of
from amdesk.core.params import DateField, DateTimeField, choice_of
from amdesk.orgs.access import access_client

from ..models import LoanInspection
from ..selectors import access_inspection, access_visit, inspections_for, inspections_overdue
from ..services import inspection_add, inspection_record
from .common import ClientRef, StaffRef
from .pagination import InspectionPagination

TAG = "loan inspections"


class InspectionOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "LoanInspection"

    class LoanSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LoanInspectionLoan"

        id = serializers.IntegerField()
        product = serializers.CharField(source="product.name")

    id = serializers.IntegerField()
    client = ClientRef()
    loan = LoanSerializer(allow_null=True, help_text="the loan inspected; none for some ad-hoc ones")
    owner = StaffRef(help_text="the client's account manager")
    kind = choice_of(LoanInspection.Kind)
    due_on = DateField()
    reason = serializers.CharField()
    is_done = serializers.BooleanField()
    done_on = DateField(allow_null=True)
    visit = serializers.IntegerField(source="visit_id", allow_null=True)
    use_of_funds = serializers.CharField()
    repayment_source = serializers.CharField()
    risk_signals = serializers.ListField(child=serializers.CharField(), help_text="risk signal codes")
    risk_level = choice_of(LoanInspection.Risk, "empty until recorded", blank=True)
    conclusion = serializers.CharField()
    created_at = DateTimeField()


class InspectionListApi(APIView):
    """Inspections of the caller's scope, the earliest due first."""

    pagination_class = InspectionPagination

    class FilterSerializer(serializers.Serializer):
        overdue = serializers.BooleanField(required=False, default=False)

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LoanInspectionInput"

        client = serializers.IntegerField(help_text="a client the caller may see")
        loan = serializers.IntegerField(
            required=False, allow_null=True, help_text="one of the client's holdings"
        )
        due_on = DateField()
        reason = serializers.CharField(max_length=200)

    @extend_schema(
        tags=[TAG],
        summary="List post-loan inspections",
        parameters=[OpenApiParameter("overdue", bool, description="only those not done by their due date")],
        responses=InspectionOutputSerializer(many=True),
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        if filters.validated_data["overdue"]:
            inspections = inspections_overdue(request.user, today=timezone.localdate())
        else:
            inspections = inspections_for(request.user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(inspections, request, view=self)
        return paginator.get_paginated_response(InspectionOutputSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Add an ad-hoc inspection",
        request=InputSerializer,
        responses={201: InspectionOutputSerializer},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        client = access_client(request.user, values.pop("client"))
        loan_id = values.pop("loan", None)
        loan = None
        if loan_id is not None:
            loan = holdings_of(client).filter(pk=loan_id).first()
            if loan is None:
                raise ValidationError({"loan": [_("Pick one of this client's loans.")]})
        inspection = inspection_add(actor=request.user, client=client, loan=loan, **values, request=request)
        return Response(
            InspectionOutputSerializer(access_inspection(request.user, inspection.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class InspectionDetailApi(APIView):
    @extend_schema(tags=[TAG], summary="Get a post-loan inspection", responses=InspectionOutputSerializer)
    def get(self, request, pk: int):
        return Response(InspectionOutputSerializer(access_inspection(request.user, pk)).data)


class InspectionRecordApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LoanInspectionRecordInput"

        use_of_funds = serializers.CharField()
        repayment_source = serializers.CharField()
        risk_signals = serializers.ListField(
            child=serializers.SlugField(max_length=40), required=False, help_text="risk signal codes seen"
        )
        risk_level = serializers.ChoiceField(choices=LoanInspection.Risk.choices)
        conclusion = serializers.CharField(required=False, allow_blank=True)
        done_on = DateField(required=False, help_text="the visit's date, or today, when left out")
        visit = serializers.IntegerField(
            required=False, allow_null=True, help_text="the visit of the inspection"
        )

    @extend_schema(
        tags=[TAG],
        summary="Record the inspection report",
        description="By the client's account manager, once.",
        request=InputSerializer,
        responses=InspectionOutputSerializer,
    )
    def post(self, request, pk: int):
        inspection = access_inspection(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        visit_id = values.pop("visit", None)
        visit = access_visit(request.user, visit_id) if visit_id is not None else None
        inspection_record(
            actor=request.user, inspection=inspection, data=values, visit=visit, request=request
        )
        return Response(InspectionOutputSerializer(access_inspection(request.user, pk)).data)
