"""Service tickets: the scoped list, opening one, the detail, changes (optimistic locking),
workflow transitions, the client's signatures on the quality feedback form and on the receipt,
the rating and the client's one-time rating links."""

import re

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.clients.api.common import IF_MATCH, STALE, expected_version, stale_response
from amdesk.clients.models import ProductLine
from amdesk.core.params import DateTimeField
from amdesk.orgs.access import access_client
from amdesk.visits.selectors import access_visit

from ..models import Ticket, TicketType
from ..selectors import access_ticket, ticket_events, tickets_for
from ..services import (
    StaleTicket,
    available_actions,
    ticket_open,
    ticket_rate,
    ticket_rating_link_issue,
    ticket_sign,
    ticket_transition,
    ticket_update,
)
from ..workflow import ACTIONS
from .common import (
    TAG,
    ActionSerializer,
    PlainChoiceField,
    TicketDetailOutputSerializer,
    TicketFilter,
    TicketOutputSerializer,
    TicketPagination,
    filter_parameters,
    filtered,
    one_of,
)

ACTION_CODES = "one of " + ", ".join(f"`{code}`" for code in ACTIONS)


def _detail(request, pk: int):
    ticket = access_ticket(request.user, pk)
    context = {
        "now": timezone.now(),
        "events": list(ticket_events(ticket)),
        "actions": available_actions(request.user, ticket),
    }
    return TicketDetailOutputSerializer(ticket, context=context).data


def _product_line(values: dict) -> None:
    code = values.pop("product_line", None)
    if code:
        line = ProductLine.objects.filter(code=code).first()
        if line is None:
            raise serializers.ValidationError({"product_line": [_("Unknown product line.")]})
        values["product_line"] = line
    elif code == "":
        values["product_line"] = None


class TicketContentSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TicketContentInput"

    ticket_type = PlainChoiceField(choices=TicketType.choices, help_text=one_of(TicketType))
    channel = PlainChoiceField(choices=Ticket.Channel.choices, help_text=one_of(Ticket.Channel))
    priority = PlainChoiceField(
        choices=Ticket.Priority.choices, required=False, help_text=one_of(Ticket.Priority)
    )
    subject = serializers.CharField(max_length=120)
    description = serializers.CharField()
    product_line = serializers.CharField(required=False, allow_blank=True, help_text="a product line code")


class TicketListApi(APIView):
    """Tickets in the caller's scope, newest first, in keyset pages; opening a ticket."""

    pagination_class = TicketPagination

    class InputSerializer(TicketContentSerializer):
        class Meta:
            ref_name = "TicketOpenInput"

        client = serializers.IntegerField(help_text="a client the caller may see")
        visit = serializers.IntegerField(required=False, allow_null=True, help_text="the visit it comes from")
        received_at = DateTimeField(required=False, help_text="now when left out")

    @extend_schema(
        tags=[TAG],
        summary="List service tickets",
        parameters=filter_parameters(TicketFilter),
        responses=TicketOutputSerializer(many=True),
    )
    def get(self, request):
        now = timezone.now()
        tickets = filtered(TicketFilter, request.query_params, tickets_for(request.user, now=now))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(tickets, request, view=self)
        data = TicketOutputSerializer(page, many=True, context={"now": now}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        tags=[TAG],
        summary="Open a service ticket",
        description="The responsible account manager is the client's owner; the SLA deadlines follow "
        "the ticket's type and priority.",
        request=InputSerializer,
        responses={201: TicketDetailOutputSerializer},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        client = access_client(request.user, values.pop("client"))
        visit_id = values.pop("visit", None)
        visit = access_visit(request.user, visit_id) if visit_id is not None else None
        _product_line(values)
        ticket = ticket_open(actor=request.user, client=client, data=values, visit=visit, request=request)
        return Response(_detail(request, ticket.pk), status=status.HTTP_201_CREATED)


class TicketDetailApi(APIView):
    class PatchSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TicketChangeInput"

        ticket_type = PlainChoiceField(
            choices=TicketType.choices, required=False, help_text=one_of(TicketType)
        )
        channel = PlainChoiceField(
            choices=Ticket.Channel.choices, required=False, help_text=one_of(Ticket.Channel)
        )
        priority = PlainChoiceField(
            choices=Ticket.Priority.choices, required=False, help_text=one_of(Ticket.Priority)
        )
        subject = serializers.CharField(max_length=120, required=False)
        description = serializers.CharField(required=False)
        product_line = serializers.CharField(
            required=False, allow_blank=True, help_text="a product line code"
        )
        inspection_notes = serializers.CharField(required=False, allow_blank=True)
        cause = serializers.CharField(required=False, allow_blank=True)
        remedy_detail = serializers.CharField(required=False, allow_blank=True, max_length=200)

    @extend_schema(tags=[TAG], summary="Get a service ticket", responses=TicketDetailOutputSerializer)
    def get(self, request, pk: int):
        return Response(_detail(request, pk))

    @extend_schema(
        tags=[TAG],
        summary="Change a service ticket",
        description="Open tickets only; a changed type or priority recomputes the deadlines.",
        request=PatchSerializer,
        responses={200: TicketDetailOutputSerializer, 409: STALE},
        parameters=[IF_MATCH],
    )
    def patch(self, request, pk: int):
        ticket = access_ticket(request.user, pk)
        data = self.PatchSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        _product_line(values)
        try:
            ticket_update(
                actor=request.user,
                ticket=ticket,
                data=values,
                version=expected_version(request),
                request=request,
            )
        except StaleTicket as exc:
            return stale_response(exc)
        return Response(_detail(request, pk))


class TicketTransitionApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TicketTransitionInput"

        action = PlainChoiceField(choices=[(code, code) for code in ACTIONS], help_text=ACTION_CODES)
        version = serializers.IntegerField(help_text="the version read")
        note = serializers.CharField(required=False, allow_blank=True)
        data = serializers.DictField(
            required=False,
            help_text="what the action needs: message (first feedback); remedy, remedy_detail, "
            "inspection_notes, cause (approval request); resolution, is_valid (resolve); "
            "satisfaction (close); owner (reassign: the new responsible account manager's staff id)",
        )

        def validate(self, attrs):
            data = attrs.get("data") or {}
            if attrs["action"] == "reassign" and "owner" in data:
                # A staff id is a whole number; anything else is the caller's mistake, not a crash.
                owner = data["owner"]
                if isinstance(owner, bool) or not re.fullmatch(r"[0-9]{1,18}", str(owner).strip()):
                    raise serializers.ValidationError(
                        {"owner": [_("Give the new account manager's staff id (a whole number).")]}
                    )
                attrs["data"] = {**data, "owner": int(str(owner).strip())}
            return attrs

    @extend_schema(
        tags=[TAG],
        summary="The actions the caller may take now",
        responses=ActionSerializer(many=True),
    )
    def get(self, request, pk: int):
        ticket = access_ticket(request.user, pk)
        return Response(ActionSerializer(available_actions(request.user, ticket), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Take a workflow action",
        request=InputSerializer,
        responses={200: TicketDetailOutputSerializer, 409: STALE},
    )
    def post(self, request, pk: int):
        ticket = access_ticket(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            ticket_transition(
                actor=request.user,
                ticket=ticket,
                action=values["action"],
                version=values["version"],
                note=values.get("note", ""),
                data=values.get("data") or {},
                request=request,
            )
        except StaleTicket as exc:
            return stale_response(exc)
        return Response(_detail(request, pk))


class TicketRatingApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TicketRatingInput"

        score = serializers.IntegerField(min_value=1, max_value=5)
        comment = serializers.CharField(required=False, allow_blank=True, max_length=500)

    @extend_schema(
        tags=[TAG],
        summary="Record the client's satisfaction with the handling",
        description="1–5, once, after the ticket is resolved.",
        request=InputSerializer,
        responses=TicketDetailOutputSerializer,
    )
    def post(self, request, pk: int):
        ticket = access_ticket(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket_rate(actor=request.user, ticket=ticket, request=request, **data.validated_data)
        return Response(_detail(request, pk))


SIGNATURE_HELP = "the client's signature drawn on the screen, a PNG data URL (data:image/png;base64,…)"


class _SignApi(APIView):
    """The client signs on the account manager's screen; each signature is taken once."""

    which = ""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TicketSignInput"

        signature = serializers.CharField(write_only=True, help_text=SIGNATURE_HELP)
        signer_name = serializers.CharField(required=False, allow_blank=True, max_length=50)

    def post(self, request, pk: int):
        ticket = access_ticket(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket_sign(
            actor=request.user, ticket=ticket, which=self.which, request=request, **data.validated_data
        )
        return Response(_detail(request, pk))


class TicketFormSignatureApi(_SignApi):
    which = "form"

    @extend_schema(
        tags=[TAG],
        summary="The client signs the quality feedback form",
        description="The client confirms the inspection notes and the cause (商品及服务质量信息反馈单) on "
        "the account manager's screen; needed before a quality ticket goes to the supervisor. Signed once; "
        "the image is never sent back (`form_signed_at`, `form_signer_name` show it).",
        request=_SignApi.InputSerializer,
        responses=TicketDetailOutputSerializer,
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketReceiptSignatureApi(_SignApi):
    which = "receipt"

    @extend_schema(
        tags=[TAG],
        summary="The client signs the receipt of the replacement goods",
        description="Once the supervisor approved a replacement; records the hand-over time when none was "
        "entered. Signed once; needed before such a ticket is resolved.",
        request=_SignApi.InputSerializer,
        responses=TicketDetailOutputSerializer,
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketRatingLinkApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TicketRatingLink"

        url = serializers.URLField(help_text="the public page the client rates on; shown this once only")
        expires_at = DateTimeField()

    @extend_schema(
        tags=[TAG],
        summary="Issue a one-time rating link for the client",
        description="After the ticket is resolved and before it is rated. The link works once, until "
        "`expires_at`, without signing in; issuing a new one ends the earlier unused links. Only a hash "
        "of its token is kept, so the URL is in this response only.",
        request=None,
        responses={201: OutputSerializer},
    )
    def post(self, request, pk: int):
        ticket = access_ticket(request.user, pk)
        token, link = ticket_rating_link_issue(actor=request.user, ticket=ticket, request=request)
        url = request.build_absolute_uri(reverse("service:rate", args=[token]))
        return Response(
            self.OutputSerializer({"url": url, "expires_at": link.expires_at}).data,
            status=status.HTTP_201_CREATED,
        )
