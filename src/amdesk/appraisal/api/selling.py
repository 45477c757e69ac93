"""API: a client's selling team 团队营销 (GET for those who see the client, PUT for those who may
change it) and staffing per team (scoped)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import IdField
from amdesk.orgs.models import Role, Staff

from ..selectors import selling as selectors
from ..selectors.staffing import ensure_staffing, staffing_for
from ..services.selling import MAX_MEMBERS, selling_team_set

TAG = "appraisal"


class MemberOutput(serializers.Serializer):
    class Meta:
        ref_name = "SellingMemberOutput"

    staff = serializers.IntegerField(source="staff_id")
    name = serializers.CharField(source="staff.full_name")
    role = serializers.CharField(source="role.code")
    share_percent = serializers.DecimalField(max_digits=5, decimal_places=2)


class TeamOutput(serializers.Serializer):
    class Meta:
        ref_name = "SellingTeamOutput"

    client = serializers.IntegerField()
    owner = serializers.IntegerField()
    version = serializers.CharField(help_text="send it back with PUT; a changed team answers 400")
    members = MemberOutput(many=True)


def _team(client):
    return TeamOutput(
        {
            "client": client.pk,
            "owner": client.owner_id,
            "version": selectors.team_fingerprint(client),
            "members": selectors.selling_team_of(client),
        }
    ).data


class SellingTeamApi(APIView):
    class MemberInput(serializers.Serializer):
        class Meta:
            ref_name = "SellingMemberInput"

        staff = IdField()
        role = serializers.SlugField(max_length=32, help_text="a role code the person holds")
        share_percent = serializers.DecimalField(
            max_digits=5,
            decimal_places=2,
            min_value=Decimal(0),
            max_value=Decimal(100),
            required=False,
            allow_null=True,
            help_text="left out: the role's configured share",
        )

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SellingTeamInput"

        version = serializers.CharField(
            required=False, max_length=32, help_text="from GET; guards against overwriting"
        )
        members = serializers.ListField(
            child=serializers.DictField(), max_length=MAX_MEMBERS, allow_empty=True
        )

    @extend_schema(tags=[TAG], summary="A client's selling team", responses=TeamOutput)
    def get(self, request, client_id):
        client, _members = selectors.selling_team(viewer=request.user, client_id=client_id)
        return Response(_team(client))

    @extend_schema(
        tags=[TAG],
        summary="Set a client's selling team",
        description="The owner must be in it and the shares add up to 100; an empty list dissolves the team.",
        request=InputSerializer,
        responses=TeamOutput,
    )
    def put(self, request, client_id):
        client, _members = selectors.selling_team(viewer=request.user, client_id=client_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = []
        for raw in data.validated_data["members"]:
            member = self.MemberInput(data=raw)
            member.is_valid(raise_exception=True)
            rows.append(member.validated_data)
        staff = {s.pk: s for s in Staff.objects.filter(pk__in=[r["staff"] for r in rows])}
        roles = {r.code: r for r in Role.objects.filter(code__in=[r["role"] for r in rows])}
        members = []
        for row in rows:
            if row["staff"] not in staff or row["role"] not in roles:
                raise serializers.ValidationError({"members": [_("Choose each member and his role.")]})
            members.append((staff[row["staff"]], roles[row["role"]], row.get("share_percent")))
        selling_team_set(
            actor=request.user,
            client=client,
            members=members,
            expected=data.validated_data.get("version"),
            request=request,
        )
        return Response(_team(client))


class StaffingLineOutput(serializers.Serializer):
    class Meta:
        ref_name = "StaffingLineOutput"

    role = serializers.CharField(source="ratio.role.code")
    per_role = serializers.CharField(source="ratio.per_role.code")
    per_count = serializers.IntegerField(source="ratio.per_count")
    basis = serializers.IntegerField()
    required = serializers.IntegerField()
    actual = serializers.IntegerField()
    short = serializers.BooleanField()


class StaffingTeamOutput(serializers.Serializer):
    class Meta:
        ref_name = "StaffingTeamOutput"

    team = serializers.IntegerField(source="team.pk")
    name = serializers.CharField(source="team.name")
    short = serializers.BooleanField()
    lines = StaffingLineOutput(many=True)


class StaffingApi(APIView):
    @extend_schema(tags=[TAG], summary="Staffing ratios per team", responses=StaffingTeamOutput(many=True))
    def get(self, request):
        ensure_staffing(request.user)
        return Response(StaffingTeamOutput(staffing_for(request.user), many=True).data)
