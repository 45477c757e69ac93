"""A client's history (field changes, owners) and archive completeness, one client's and in scope."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.clients.completeness import field_label, missing_field_codes
from amdesk.clients.models import ClientSettings
from amdesk.clients.selectors import client_changes, completeness_rates, owner_history
from amdesk.core.params import DateTimeField
from amdesk.orgs.access import access_client
from amdesk.orgs.api import staff_ref

HISTORY_LIMIT = 100
HISTORY_MAX = 500


class ChangeSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ClientChange"

    field = serializers.CharField(help_text='a client field, "owner", "tags" or "holding:<product code>"')
    old_value = serializers.CharField(help_text="personal data masked")
    new_value = serializers.CharField(help_text="personal data masked")
    source = serializers.CharField()
    changed_by = serializers.SerializerMethodField()
    changed_at = DateTimeField()

    def get_changed_by(self, change) -> dict | None:
        return staff_ref(change.changed_by)


class OwnershipSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ClientOwnership"

    owner = serializers.SerializerMethodField()
    how = serializers.CharField()
    started_at = DateTimeField()
    ended_at = DateTimeField(allow_null=True)
    reason = serializers.CharField()
    handed_over_by = serializers.SerializerMethodField()

    def get_owner(self, ownership) -> dict:
        return staff_ref(ownership.owner)

    def get_handed_over_by(self, ownership) -> dict | None:
        return staff_ref(ownership.handed_over_by)


class ClientHistoryApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ClientHistory"

        changes = ChangeSerializer(many=True, help_text="field changes, newest first")
        owners = OwnershipSerializer(many=True, help_text="owners, the current one first")

    class QuerySerializer(serializers.Serializer):
        limit = serializers.IntegerField(
            required=False, min_value=1, max_value=HISTORY_MAX, help_text="changes shown (default 100)"
        )

    @extend_schema(parameters=[QuerySerializer], responses=OutputSerializer)
    def get(self, request, pk: int):
        client = access_client(request.user, pk)
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit = query.validated_data.get("limit", HISTORY_LIMIT)
        history = {"changes": client_changes(client, limit=limit), "owners": owner_history(client)}
        return Response(self.OutputSerializer(history).data)


class MissingFieldSerializer(serializers.Serializer):
    class Meta:
        ref_name = "MissingField"

    field = serializers.CharField()
    label = serializers.CharField()


class ClientCompletenessApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ClientCompleteness"

        percent = serializers.IntegerField(help_text="percent of the required archive fields filled in")
        complete = serializers.BooleanField(help_text="at or above the percentage the settings name")
        missing = MissingFieldSerializer(many=True, help_text="required fields still empty, in the set order")

    @extend_schema(responses=OutputSerializer)
    def get(self, request, pk: int):
        client = access_client(request.user, pk)
        missing = [{"field": code, "label": field_label(code)} for code in missing_field_codes(client)]
        complete = client.completeness >= ClientSettings.current().complete_at_percent
        return Response(
            self.OutputSerializer(
                {"percent": client.completeness, "complete": complete, "missing": missing}
            ).data
        )


class CompletenessRateSerializer(serializers.Serializer):
    class Meta:
        ref_name = "CompletenessRate"

    key = serializers.CharField(help_text="employee number or org node code")
    label = serializers.CharField()
    clients = serializers.IntegerField(help_text="clients not lost")
    complete = serializers.IntegerField(help_text="of them, archives counted as complete")
    average = serializers.FloatField(help_text="average completeness (%)")
    rate = serializers.FloatField(help_text="complete ÷ clients (%)")


class CompletenessRatesApi(APIView):
    """The archive completeness rate 客户档案完备率 per account manager or org node, in the caller's scope."""

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CompletenessRates"

        by = serializers.CharField()
        complete_at_percent = serializers.IntegerField()
        results = CompletenessRateSerializer(many=True)

    @extend_schema(
        operation_id="v1_clients_completeness_rates",
        parameters=[
            OpenApiParameter("by", str, enum=["owner", "org"], description="group by (default owner)")
        ],
        responses=OutputSerializer,
    )
    def get(self, request):
        by = request.query_params.get("by") or "owner"
        if by not in ("owner", "org"):
            raise serializers.ValidationError({"by": [_("Group by owner or org.")]})
        value = {
            "by": by,
            "complete_at_percent": ClientSettings.current().complete_at_percent,
            "results": completeness_rates(viewer=request.user, by=by),
        }
        return Response(self.OutputSerializer(value).data)
