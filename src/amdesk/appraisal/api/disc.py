"""API: DISC job fit. disc-match/ is the pure calculation (anyone signed in); models, profiles and
the ranking are HR data (the appraisal admin and the system admin)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amdesk.core.params import ID_SCHEMA, DateField, IdField, id_param
from amdesk.orgs.models import Staff

from ..models import AppraisalSettings
from ..selectors import disc as selectors
from ..services.disc import disc_match, disc_profile_save, disc_scores

TAG = "appraisal"
LIST_LIMIT = 500
SCORES_SCHEMA = {
    "type": "object",
    "properties": {f: {"type": "number", "minimum": 0, "maximum": 100} for f in "DISC"},
    "required": list("DISC"),
    "additionalProperties": False,
}
DIFFS_SCHEMA = {"type": "object", "properties": {f: {"type": "number"} for f in "DISC"}}
FORMULA = (
    "The seed's formula was lost: per factor |style − model|, overall the mean of the four absolute "
    "differences; smaller is a better match."
)


@extend_schema_field(SCORES_SCHEMA)
class ScoresField(serializers.JSONField):
    """Four DISC scores; checked by the service (missing, extra or out-of-range factors refused)."""


@extend_schema_field(DIFFS_SCHEMA)
class DiffsField(serializers.JSONField):
    pass


class DiscMatchApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DiscMatchInput"

        model = ScoresField(help_text="the job model: D, I, S, C from 0 to 100")
        style = ScoresField(help_text="a person's style: D, I, S, C from 0 to 100")

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DiscMatchOutput"

        per_factor = DiffsField(help_text="|style − model| per factor")
        overall = serializers.FloatField(help_text="the mean of the four differences")

    @extend_schema(
        tags=[TAG],
        summary="Match a DISC style to a job model",
        description=FORMULA,
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        model = disc_scores(data.validated_data["model"], "model")
        style = disc_scores(data.validated_data["style"], "style")
        match = disc_match(model, style)
        return Response({"per_factor": match.per_factor, "overall": match.overall})


class ModelOutput(serializers.Serializer):
    class Meta:
        ref_name = "DiscModelOutput"

    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField(source="role.code")
    scores = DiffsField()
    is_active = serializers.BooleanField()


class DiscModelListApi(APIView):
    @extend_schema(tags=[TAG], summary="List DISC job models", responses=ModelOutput(many=True))
    def get(self, request):
        return Response(ModelOutput(selectors.disc_models(viewer=request.user)[:LIST_LIMIT], many=True).data)


class ProfileOutput(serializers.Serializer):
    class Meta:
        ref_name = "DiscProfileOutput"

    id = serializers.IntegerField()
    staff = serializers.IntegerField(source="staff_id", allow_null=True)
    name = serializers.CharField(source="person_name")
    assessed_on = serializers.DateField()
    inner = DiffsField()
    outer = DiffsField()


class DiscProfileListApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DiscProfileInput"

        staff = IdField(required=False, allow_null=True, help_text="a staff member; or give candidate_name")
        candidate_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
        assessed_on = DateField(required=False, help_text="today when left out")
        inner = ScoresField(help_text="inner (natural) style, whole numbers 0–100")
        outer = ScoresField(help_text="outer (adapted) style, whole numbers 0–100")

    @extend_schema(tags=[TAG], summary="List DISC profiles", responses=ProfileOutput(many=True))
    def get(self, request):
        return Response(
            ProfileOutput(selectors.disc_profiles(viewer=request.user)[:LIST_LIMIT], many=True).data
        )

    @extend_schema(
        tags=[TAG], summary="Add a DISC profile", request=InputSerializer, responses={201: ProfileOutput}
    )
    def post(self, request):
        selectors.ensure_hr(request.user)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        staff_id = values.pop("staff", None)
        staff = get_object_or_404(Staff, pk=staff_id) if staff_id else None
        profile = disc_profile_save(actor=request.user, staff=staff, request=request, **values)
        return Response(ProfileOutput(profile).data, status=status.HTTP_201_CREATED)


class RankedOutput(serializers.Serializer):
    class Meta:
        ref_name = "DiscRankedOutput"

    rank = serializers.IntegerField()
    profile = serializers.IntegerField(source="profile.pk")
    name = serializers.CharField(source="profile.person_name")
    style = DiffsField(help_text="the style compared (outer, inner or their mean, as the settings say)")
    per_factor = DiffsField()
    overall = serializers.FloatField()


class DiscRankingApi(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Rank candidates for a DISC job model",
        description=FORMULA,
        parameters=[OpenApiParameter("model", ID_SCHEMA, required=True, description="a DISC job model")],
        responses=RankedOutput(many=True),
    )
    def get(self, request):
        model_id = id_param(request, "model")
        if model_id is None:
            raise serializers.ValidationError({"model": [_("Give the job model's id.")]})
        model = get_object_or_404(selectors.disc_models(viewer=request.user), pk=model_id)
        ranking = selectors.disc_ranking(
            viewer=request.user, model=model, rank_by=AppraisalSettings.current().disc_rank_by
        )
        return Response(RankedOutput(ranking, many=True).data)
