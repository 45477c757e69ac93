"""A client's value: holdings with simulated profit, AUM snapshots, credit ratings."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.clients.models import Product
from amdesk.clients.selectors import aum_series, credit_ratings_of, holdings_of, profit_contribution
from amdesk.clients.services import aum_record, credit_rating_record, holding_set
from amdesk.core.masking import mask
from amdesk.core.params import DateField, DateTimeField
from amdesk.orgs.access import access_client
from amdesk.orgs.api import staff_ref

from .common import money


def _item_ref(item) -> dict:
    return {"code": item.code, "name": str(item)}


class HoldingOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Holding"

    id = serializers.IntegerField()
    product = serializers.SerializerMethodField()
    line = serializers.SerializerMethodField()
    balance = money()
    account_no = serializers.SerializerMethodField(help_text="masked; reveal with field=account:<id>")
    opened_on = DateField(allow_null=True)
    profit = money(help_text="simulated annual profit: balance × the product's margin")
    updated_at = DateTimeField()

    def get_product(self, holding) -> dict:
        return _item_ref(holding.product)

    def get_line(self, holding) -> dict:
        return _item_ref(holding.product.line)

    def get_account_no(self, holding) -> str:
        return mask(holding.account_no, "card")


class LineValueSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ProductLineValue"

    line = serializers.CharField()
    balance = money()
    profit = money(help_text="simulated annual profit of the line")


class HoldingListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Holdings"

        results = HoldingOutputSerializer(many=True)
        lines = LineValueSerializer(many=True, help_text="balance and simulated profit by product line")
        total_profit = money()

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "HoldingInput"

        product = serializers.SlugRelatedField(
            slug_field="code", queryset=Product.objects.all(), help_text="product code"
        )
        balance = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="0 closes the holding")
        account_no = serializers.CharField(required=False, allow_blank=True, max_length=40)
        opened_on = DateField(required=False, allow_null=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request, pk: int):
        client = access_client(request.user, pk)
        lines, total = profit_contribution(client)
        value = {"results": holdings_of(client), "lines": lines, "total_profit": total}
        return Response(self.OutputSerializer(value).data)

    @extend_schema(
        request=InputSerializer,
        responses={200: HoldingOutputSerializer, 204: None},
        description="Set the client's balance of one product; a zero balance closes the holding (204).",
    )
    def put(self, request, pk: int):
        client = access_client(request.user, pk, for_write=True)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        holding = holding_set(actor=request.user, client=client, request=request, **data.validated_data)
        if holding is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(HoldingOutputSerializer(holdings_of(client).get(pk=holding.pk)).data)

    @extend_schema(
        request=InputSerializer,
        responses={200: HoldingOutputSerializer, 204: None},
        description="The same as PUT.",
    )
    def post(self, request, pk: int):
        return self.put(request, pk)


class AumApi(APIView):
    class SnapshotSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AumSnapshot"

        as_of = DateField()
        amount = serializers.DecimalField(max_digits=18, decimal_places=2)

    class WindowSerializer(serializers.Serializer):
        # "from" is a Python keyword: declared through the fields mapping below.
        to = DateField(required=False)

        def get_fields(self):
            fields = super().get_fields()
            fields["from"] = DateField(required=False)
            return fields

        def validate(self, attrs):
            if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
                raise serializers.ValidationError({"from": [_("The start lies after the end.")]})
            return attrs

    @extend_schema(
        parameters=[WindowSerializer],
        responses=SnapshotSerializer(many=True),
        description="The AUM snapshots from `from` to `to`, oldest first; by default the months "
        "the archive settings show.",
    )
    def get(self, request, pk: int):
        client = access_client(request.user, pk)
        window = self.WindowSerializer(data=request.query_params)
        window.is_valid(raise_exception=True)
        series = aum_series(
            client,
            today=timezone.localdate(),
            start=window.validated_data.get("from"),
            end=window.validated_data.get("to"),
        )
        rows = [{"as_of": as_of, "amount": amount} for as_of, amount in series]
        return Response(self.SnapshotSerializer(rows, many=True).data)

    @extend_schema(request=SnapshotSerializer, responses={201: SnapshotSerializer})
    def post(self, request, pk: int):
        client = access_client(request.user, pk, for_write=True)
        data = self.SnapshotSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        snapshot = aum_record(actor=request.user, client=client, request=request, **data.validated_data)
        return Response(self.SnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)


class CreditRatingListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CreditRating"

        id = serializers.IntegerField()
        rated_on = DateField()
        rater = serializers.SerializerMethodField()
        scores = serializers.DictField(child=serializers.IntegerField(), help_text="item code → score")
        items = serializers.ListField(
            child=serializers.DictField(), help_text="the form's items then: code, name, name_en, max"
        )
        total = serializers.IntegerField()
        rating_class = serializers.CharField()
        remarks = serializers.CharField()
        recorded_at = DateTimeField()

        def get_rater(self, rating) -> dict:
            return staff_ref(rating.rater)

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CreditRatingInput"

        rated_on = DateField()
        # Checked item by item by the service, so every error names its item.
        scores = serializers.DictField(help_text="item code → whole-number score, every active item")
        remarks = serializers.CharField(required=False, allow_blank=True, max_length=200)

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request, pk: int):
        client = access_client(request.user, pk)
        return Response(self.OutputSerializer(credit_ratings_of(client), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, pk: int):
        client = access_client(request.user, pk, for_write=True)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = credit_rating_record(
            actor=request.user, client=client, request=request, **data.validated_data
        )
        return Response(self.OutputSerializer(rating).data, status=status.HTTP_201_CREATED)
