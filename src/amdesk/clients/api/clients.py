"""Clients: the list (scope, filters, search, keyset pages), one client, reveal and handover."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.clients.models import Client, ClientGrade, ClientTier, VipLevel
from amdesk.clients.selectors import ClientFilter, client_list
from amdesk.clients.services import StaleEdit, client_create, client_handover, client_reveal, client_update
from amdesk.clients.services.archive import TAG_MAX
from amdesk.core.masking import mask
from amdesk.core.params import DateField, DateTimeField, filter_parameters
from amdesk.orgs.access import access_client
from amdesk.orgs.api import node_ref, staff_ref
from amdesk.orgs.models import Staff

from .common import IF_MATCH, STALE, expected_version, money, stale_response
from .pagination import ClientCursorPagination


class ClientOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Client"

    id = serializers.IntegerField()
    version = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.SerializerMethodField(help_text="masked")
    mobile = serializers.SerializerMethodField(help_text="masked")
    credit_code = serializers.CharField()
    gender = serializers.CharField()
    birth_date = DateField(allow_null=True)
    birthday_kind = serializers.CharField()
    address = serializers.CharField()
    occupation = serializers.CharField()
    industry = serializers.CharField()
    size = serializers.CharField()
    legal_representative = serializers.CharField()
    lifecycle = serializers.CharField()
    tier = serializers.SerializerMethodField(help_text="the code of the client's tier (preset data)")
    grade = serializers.SerializerMethodField(help_text="the code of the client's grade (preset data)")
    vip_level = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    is_big_account = serializers.BooleanField()
    stakeholder_gap = serializers.BooleanField(
        help_text="a big account with too few contacts or none deciding"
    )
    aum = money(help_text="the latest AUM snapshot")
    aum_as_of = DateField(allow_null=True)
    completeness = serializers.IntegerField(help_text="percent of the required archive fields filled in")
    credit_rating = serializers.CharField(help_text="the class of the latest credit rating")
    credit_rated_on = DateField(allow_null=True)
    source = serializers.CharField()
    onboarded_on = DateField(allow_null=True)
    onboard_reason = serializers.CharField()
    offboarded_on = DateField(allow_null=True)
    offboard_reason = serializers.CharField()
    remarks = serializers.CharField()
    owner = serializers.SerializerMethodField()
    org_node = serializers.SerializerMethodField()
    updated_at = DateTimeField()

    def get_id_number(self, client) -> str:
        return mask(client.id_number, "id_number")

    def get_mobile(self, client) -> str:
        return mask(client.mobile, "mobile")

    def get_tier(self, client) -> str:
        return client.tier.code

    def get_grade(self, client) -> str | None:
        return client.grade.code if client.grade else None

    def get_vip_level(self, client) -> str | None:
        return client.vip_level.code if client.vip_level else None

    def get_tags(self, client) -> list[str]:
        # Sorted here, not in SQL, so a prefetched list (the client list) needs no query per row.
        return sorted(tag.name for tag in client.tags.all())

    def get_owner(self, client) -> dict:
        return staff_ref(client.owner)

    def get_org_node(self, client) -> dict:
        return node_ref(client.org_node)


class ClientInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ClientInput"

    kind = serializers.ChoiceField(choices=Client.Kind.choices, default=Client.Kind.INDIVIDUAL)
    name = serializers.CharField(max_length=100)
    id_number = serializers.CharField(required=False, allow_blank=True)
    credit_code = serializers.CharField(required=False, allow_blank=True)
    mobile = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    occupation = serializers.CharField(required=False, allow_blank=True, max_length=50)
    birthday_kind = serializers.ChoiceField(choices=Client.BirthdayKind.choices, required=False)
    industry = serializers.CharField(required=False, allow_blank=True, max_length=50)
    size = serializers.CharField(required=False, allow_blank=True, max_length=20)
    legal_representative = serializers.CharField(required=False, allow_blank=True, max_length=50)
    lifecycle = serializers.ChoiceField(choices=Client.Lifecycle.choices, required=False)
    tier = serializers.SlugRelatedField(
        slug_field="code", queryset=ClientTier.objects.filter(is_active=True), required=False
    )
    grade = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ClientGrade.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    vip_level = serializers.SlugRelatedField(
        slug_field="code",
        queryset=VipLevel.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=TAG_MAX),
        required=False,
        help_text="tag names; the list replaces the client's tags, new names become new tags",
    )
    is_big_account = serializers.BooleanField(required=False)
    source = serializers.CharField(required=False, allow_blank=True, max_length=50)
    onboarded_on = DateField(required=False, allow_null=True)
    onboard_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    offboarded_on = DateField(required=False, allow_null=True)
    offboard_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    remarks = serializers.CharField(required=False, allow_blank=True)


FILTER_PARAMETERS = filter_parameters(ClientFilter)


class ClientListApi(APIView):
    """Clients in the caller's scope, filtered, searched (`q`) and sorted (`sort`), in keyset pages."""

    pagination_class = ClientCursorPagination

    @extend_schema(parameters=FILTER_PARAMETERS, responses=ClientOutputSerializer(many=True))
    def get(self, request):
        clients = client_list(viewer=request.user, filters=request.query_params, strict=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(clients.prefetch_related("tags"), request, view=self)
        return paginator.get_paginated_response(ClientOutputSerializer(page, many=True).data)

    @extend_schema(request=ClientInputSerializer, responses={201: ClientOutputSerializer})
    def post(self, request):
        data = ClientInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        client = client_create(
            actor=request.user, owner=request.user, data=data.validated_data, request=request
        )
        return Response(ClientOutputSerializer(client).data, status=status.HTTP_201_CREATED)


class ClientDetailApi(APIView):
    @extend_schema(responses=ClientOutputSerializer)
    def get(self, request, pk: int):
        return Response(ClientOutputSerializer(access_client(request.user, pk)).data)

    @extend_schema(
        request=ClientInputSerializer,
        responses={200: ClientOutputSerializer, 409: STALE},
        parameters=[IF_MATCH],
    )
    def patch(self, request, pk: int):
        client = access_client(request.user, pk, for_write=True)
        data = ClientInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        try:
            client = client_update(
                actor=request.user,
                client=client,
                data=data.validated_data,
                expected_version=expected_version(request),
                request=request,
            )
        except StaleEdit as exc:
            return stale_response(exc)
        return Response(ClientOutputSerializer(client).data)


class ClientRevealApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RevealedField"

        field = serializers.CharField()
        value = serializers.CharField()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "field",
                str,
                required=True,
                description="`id_number`, `mobile`, or `account:<holding id>` for an account or card number",
            ),
            OpenApiParameter("reason", str, required=True, description="why the viewer needs the value"),
        ],
        responses=OutputSerializer,
    )
    def get(self, request, pk: int):
        field = request.query_params.get("field", "")
        value = client_reveal(
            actor=request.user,
            client_id=pk,
            field=field,
            reason=request.query_params.get("reason", ""),
            request=request,
        )
        return Response(self.OutputSerializer({"field": field, "value": value}).data)


class ClientHandoverApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "HandoverInput"

        to_staff = serializers.CharField(help_text="employee number of the receiving account manager")
        reason = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=ClientOutputSerializer)
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        client = access_client(request.user, pk)
        to_staff = Staff.objects.filter(employee_no=data.validated_data["to_staff"]).first()
        client_handover(
            actor=request.user,
            client_ids=[client.pk],
            to_staff=to_staff,
            reason=data.validated_data["reason"],
            request=request,
        )
        client.refresh_from_db()
        return Response(ClientOutputSerializer(client).data)
