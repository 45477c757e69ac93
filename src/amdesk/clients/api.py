"""The client API: the same scope, filters, search and masking as the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.masking import mask
from amdesk.orgs.access import access_client
from amdesk.orgs.api import node_ref, staff_ref
from amdesk.orgs.models import Staff

from .models import Client, VipLevel
from .selectors import ClientFilter, client_list
from .services import StaleEdit, client_create, client_handover, client_reveal, client_update


class ClientCursorPagination(CursorPagination):
    """Keyset pages on the primary key: no COUNT(*) over the archive, deep pages as fast as the first."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


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
    birth_date = serializers.DateField()
    lifecycle = serializers.CharField()
    tier = serializers.CharField()
    grade = serializers.IntegerField(allow_null=True)
    vip_level = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    org_node = serializers.SerializerMethodField()

    def get_id_number(self, client) -> str:
        return mask(client.id_number, "id_number")

    def get_mobile(self, client) -> str:
        return mask(client.mobile, "mobile")

    def get_vip_level(self, client) -> str | None:
        return client.vip_level.code if client.vip_level else None

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
    lifecycle = serializers.ChoiceField(choices=Client.Lifecycle.choices, required=False)
    tier = serializers.ChoiceField(choices=Client.Tier.choices, required=False)
    grade = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    vip_level = serializers.SlugRelatedField(
        slug_field="code",
        queryset=VipLevel.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    remarks = serializers.CharField(required=False, allow_blank=True)


FILTER_PARAMETERS = [OpenApiParameter(name, str) for name in ClientFilter.base_filters]


class ClientListApi(APIView):
    pagination_class = ClientCursorPagination

    @extend_schema(parameters=FILTER_PARAMETERS, responses=ClientOutputSerializer(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            client_list(viewer=request.user, filters=request.query_params), request
        )
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
        responses=ClientOutputSerializer,
        parameters=[
            OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, description="the version read")
        ],
    )
    def patch(self, request, pk: int):
        client = access_client(request.user, pk)
        data = ClientInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        expected = request.headers.get("If-Match") or request.data.get("version")
        if expected is None:
            raise serializers.ValidationError(
                {"version": [_("Send the version you read (If-Match or version).")]}
            )
        try:
            client = client_update(
                actor=request.user,
                client=client,
                data=data.validated_data,
                expected_version=int(str(expected).strip('"')),
                request=request,
            )
        except StaleEdit as exc:
            return Response(
                {"code": "stale", "message": str(exc), "fields": {}}, status=status.HTTP_409_CONFLICT
            )
        return Response(ClientOutputSerializer(client).data)


class ClientRevealApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RevealedField"

        field = serializers.CharField()
        value = serializers.CharField()

    @extend_schema(
        parameters=[
            OpenApiParameter("field", str, enum=["id_number", "mobile"], required=True),
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
