"""The daily performance registration 每日业绩登记表 as a month sheet: read it (own, or an account
manager's in scope) and write the caller's own, on the version read."""

from datetime import date

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import DateField, id_param, parse_month
from amdesk.orgs.access import access_staff

from ..selectors import month_sheet
from ..services import StaleSheet, performance_sheet_save
from .common import STALE, StaffRef, stale_response

TAG = "planning"


def _month(value: str | None) -> date:
    return parse_month(value, "month") or timezone.localdate().replace(day=1)


class ItemSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PerformanceItem"

    code = serializers.CharField()
    name = serializers.CharField(source="__str__")
    unit = serializers.CharField(source="unit_label")
    is_active = serializers.BooleanField()
    source = serializers.CharField(
        help_text="empty: registered daily; else computed from this source (logs, visits, archive)"
    )


class CellSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PerformanceCell"

    item = serializers.CharField(help_text="performance item code")
    day = DateField()
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, allow_null=True, help_text="null clears the cell"
    )


class TotalSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PerformanceTotal"

    item = serializers.CharField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2)


class SheetOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PerformanceSheet"

    owner = StaffRef()
    month = serializers.CharField(help_text="YYYY-MM")
    version = serializers.IntegerField(help_text="0 when nothing was saved yet; send it back with PUT")
    items = ItemSerializer(many=True)
    cells = CellSerializer(many=True, help_text="the cells with a value")
    totals = TotalSerializer(many=True, help_text="month total per item")


def _sheet_data(owner, month: date) -> dict:
    sheet = month_sheet(owner=owner, month=month, today=timezone.localdate(), editable=False)
    codes = {item.pk: item.code for item in sheet.items}
    return {
        "owner": owner,
        "month": month.strftime("%Y-%m"),
        "version": sheet.version,
        "items": sheet.items,
        "cells": [
            {"item": codes[item_id], "day": day, "value": value}
            for (item_id, day), value in sorted(sheet.values.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ],
        "totals": [{"item": item.code, "total": total} for item, total in sheet.item_totals],
    }


class PerformanceSheetApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PerformanceSheetInput"

        month = serializers.CharField(help_text="YYYY-MM")
        version = serializers.IntegerField(min_value=0, help_text="the version read (0: no sheet yet)")
        cells = CellSerializer(many=True, help_text="only the cells to change")

    def handle_exception(self, exc):
        if isinstance(exc, StaleSheet):
            return stale_response(exc)
        return super().handle_exception(exc)

    @extend_schema(
        tags=[TAG],
        summary="Get a month's performance sheet",
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM; default this month"),
            OpenApiParameter(
                "owner", OpenApiTypes.INT, description="an account manager in scope; default the caller"
            ),
        ],
        responses=SheetOutputSerializer,
    )
    def get(self, request):
        month = _month(request.query_params.get("month"))
        owner = access_staff(request.user, id_param(request, "owner") or request.user.pk)
        return Response(SheetOutputSerializer(_sheet_data(owner, month)).data)

    @extend_schema(
        tags=[TAG],
        summary="Save the caller's performance of a month",
        description="Writes the cells given (null clears one) if nobody saved the sheet since `version`; "
        "409 otherwise, and nothing is written.",
        request=InputSerializer,
        responses={200: SheetOutputSerializer, 409: STALE},
    )
    def put(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        month = _month(data.validated_data["month"])
        cells = {(cell["item"], cell["day"]): cell["value"] for cell in data.validated_data["cells"]}
        performance_sheet_save(
            actor=request.user,
            month=month,
            cells=cells,
            expected_version=data.validated_data["version"],
            request=request,
        )
        return Response(SheetOutputSerializer(_sheet_data(request.user, month)).data)
