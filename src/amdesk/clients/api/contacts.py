"""A client's contacts and stakeholders: list, add, change (optimistic locking), remove."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.clients.models import Contact
from amdesk.clients.selectors import contacts_of
from amdesk.clients.services import StaleEdit, contact_delete, contact_save
from amdesk.core.masking import mask
from amdesk.core.params import DateField
from amdesk.orgs.access import access_client

from .common import IF_MATCH, STALE, expected_version, stale_response


class ContactOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Contact"

    id = serializers.IntegerField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    is_decision_maker = serializers.BooleanField()
    influence = serializers.CharField()
    stance = serializers.CharField()
    vested_interests = serializers.CharField()
    mobile = serializers.SerializerMethodField(help_text="masked")
    last_contact_on = DateField(allow_null=True)
    remarks = serializers.CharField()

    def get_mobile(self, contact) -> str:
        return mask(contact.mobile, "mobile")


class ContactInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ContactInput"

    name = serializers.CharField(max_length=50)
    role = serializers.CharField(max_length=50, help_text="role at the client, e.g. CFO")
    is_decision_maker = serializers.BooleanField(required=False)
    influence = serializers.ChoiceField(choices=Contact.Influence.choices, required=False)
    stance = serializers.ChoiceField(choices=Contact.Stance.choices, required=False)
    vested_interests = serializers.CharField(required=False, allow_blank=True, max_length=200)
    mobile = serializers.CharField(required=False, allow_blank=True)
    last_contact_on = DateField(required=False, allow_null=True)
    remarks = serializers.CharField(required=False, allow_blank=True, max_length=200)


def _contact(request, pk: int, contact_id: int, *, for_write: bool = False) -> tuple:
    client = access_client(request.user, pk, for_write=for_write)
    contact = contacts_of(client).filter(pk=contact_id).first()
    if contact is None:
        raise Http404("No such contact.")
    return client, contact


class ContactListApi(APIView):
    @extend_schema(responses=ContactOutputSerializer(many=True))
    def get(self, request, pk: int):
        client = access_client(request.user, pk)
        return Response(ContactOutputSerializer(contacts_of(client), many=True).data)

    @extend_schema(request=ContactInputSerializer, responses={201: ContactOutputSerializer})
    def post(self, request, pk: int):
        client = access_client(request.user, pk, for_write=True)
        data = ContactInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = contact_save(actor=request.user, client=client, data=data.validated_data, request=request)
        return Response(ContactOutputSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetailApi(APIView):
    @extend_schema(responses=ContactOutputSerializer)
    def get(self, request, pk: int, contact_id: int):
        _client, contact = _contact(request, pk, contact_id)
        return Response(ContactOutputSerializer(contact).data)

    @extend_schema(
        request=ContactInputSerializer,
        responses={200: ContactOutputSerializer, 409: STALE},
        parameters=[IF_MATCH],
    )
    def patch(self, request, pk: int, contact_id: int):
        client, contact = _contact(request, pk, contact_id, for_write=True)
        data = ContactInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        try:
            contact = contact_save(
                actor=request.user,
                client=client,
                contact=contact,
                data=data.validated_data,
                expected_version=expected_version(request),
                request=request,
            )
        except StaleEdit as exc:
            return stale_response(exc)
        return Response(ContactOutputSerializer(contact).data)

    @extend_schema(
        responses={204: None, 409: STALE},
        parameters=[IF_MATCH],
        description="With If-Match, only if nobody changed the contact since that version.",
    )
    def delete(self, request, pk: int, contact_id: int):
        _client, contact = _contact(request, pk, contact_id, for_write=True)
        try:
            contact_delete(
                actor=request.user,
                contact=contact,
                expected_version=expected_version(request, required=False),
                request=request,
            )
        except StaleEdit as exc:
            return stale_response(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)
