"""Output serializers of periods, score cards and explanations."""

from rest_framework import serializers

from amdesk.core.params import choice_of

from ..models import AppraisalPeriod, PeriodKind


class PeriodSerializer(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalPeriod"

    id = serializers.IntegerField()
    scheme = serializers.CharField(source="version.scheme.code")
    scheme_name = serializers.CharField(source="version.scheme.name")
    version = serializers.IntegerField(source="version.number")
    period_kind = choice_of(PeriodKind, source="kind")
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    state = choice_of(AppraisalPeriod.State)
    sign_off_due = serializers.DateField(allow_null=True)
    computed_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    reopen_reason = serializers.CharField()
    revision = serializers.IntegerField(help_text="send it back with a write")


class NodeRef(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalNodeRef"

    id = serializers.IntegerField()
    name = serializers.CharField()


class StaffRef(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalStaffRef"

    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    employee_no = serializers.CharField()


class CardSerializer(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalScoreCard"

    id = serializers.IntegerField()
    period = serializers.IntegerField(source="period_id")
    staff = StaffRef()
    team = NodeRef(source="org_node")
    branch = NodeRef(allow_null=True)
    score = serializers.DecimalField(max_digits=7, decimal_places=2)
    previous_score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    team_rank = serializers.IntegerField(allow_null=True)
    team_size = serializers.IntegerField(allow_null=True)
    branch_rank = serializers.IntegerField(allow_null=True)
    branch_size = serializers.IntegerField(allow_null=True)


VALUE = {"max_digits": 18, "decimal_places": 4, "allow_null": True}


class LineSerializer(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalExplainedLine"

    result = serializers.IntegerField(source="result.pk", help_text="PATCH results/<id>/ to adjust")
    indicator = serializers.CharField(source="result.scheme_indicator.indicator.code")
    name = serializers.CharField(source="label")
    criterion = serializers.CharField()
    unit = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    raw_value = serializers.DecimalField(**VALUE)
    adjusted_value = serializers.DecimalField(**VALUE)
    adjust_reason = serializers.CharField(source="result.adjust_reason")
    value = serializers.DecimalField(**VALUE)
    low = serializers.DecimalField(max_digits=18, decimal_places=4)
    high = serializers.DecimalField(max_digits=18, decimal_places=4)
    laggard = serializers.DecimalField(max_digits=18, decimal_places=4, help_text="μ = 0 here")
    advanced = serializers.DecimalField(max_digits=18, decimal_places=4, help_text="μ = 1 here")
    membership = serializers.FloatField()
    nominal_weight = serializers.FloatField(help_text="criterion weight × indicator weight")
    weight = serializers.FloatField(help_text="the weight used: re-weighted when values are missing")
    contribution = serializers.FloatField(help_text="points of the score")
    previous_value = serializers.DecimalField(**VALUE)
    change = serializers.DecimalField(**VALUE)
    gain = serializers.FloatField(help_text="points gained by reaching the advanced point")
    notes = serializers.ListField(child=serializers.CharField())


class TrendSerializer(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalTrendPoint"

    label = serializers.CharField()
    score = serializers.DecimalField(max_digits=7, decimal_places=2)


class ExplanationSerializer(serializers.Serializer):
    class Meta:
        ref_name = "AppraisalExplanation"

    card = CardSerializer()
    lines = LineSerializer(many=True)
    raise_most = LineSerializer(many=True, help_text="the indicators that would raise the score most")
    trend = TrendSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
