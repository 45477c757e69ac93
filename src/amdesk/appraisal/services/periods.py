"""The workflow of a computed period (see models.AppraisalPeriod):

- value_adjust: the appraisal admin replaces a value with a reason; that person's score and the
  ranks are computed again (the scales stay those of the run);
- team_sign_off: the team's supervisor or head hands in the team's sheet, after a run;
- period_approve: the appraisal admin approves once every team with people has signed off; the
  period is locked and the ladder proposes moves;
- period_reopen: the appraisal admin unlocks an approved period, with a reason.
Every write locks the period row and checks its revision (locking.lock_period)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.models import OrgNode

from ..models import AppraisalPeriod, IndicatorResult, ScoreCard, TeamSignOff
from .access import may_sign_off, require_appraisal_admin
from .ladder import ladder_propose
from .locking import lock_period
from .runs import rank_cards
from .scoring import Line, score_lines


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give a reason.")})
    if len(reason) > 2000:
        raise ValidationError({field: _("Keep the reason under 2,000 characters.")})
    return reason


def _bump(period: AppraisalPeriod, *fields: str) -> None:
    period.revision += 1
    period.save(update_fields=["revision", *fields])


def _require_computed(period: AppraisalPeriod) -> None:
    if period.state != AppraisalPeriod.State.COMPUTED:
        raise ValidationError(_("Run the period first."), code="not_computed")


def value_adjust(
    *,
    actor,
    result: IndicatorResult,
    value: Decimal | None,
    reason: str,
    revision: int | None = None,
    request=None,
) -> IndicatorResult:
    """value None removes the adjustment (the computed value counts again)."""
    require_appraisal_admin(actor)
    reason = _reason(reason)
    with transaction.atomic():
        period = lock_period(result.card.period, revision)
        _require_computed(period)
        result = IndicatorResult.objects.select_related("card", "scheme_indicator__indicator").get(
            pk=result.pk
        )
        before = {"value": str(result.value), "score": str(result.card.score)}
        result.adjusted_value = value
        result.adjust_reason = reason
        result.adjusted_by = actor
        result.adjusted_at = timezone.now()
        result.full_clean(exclude=["card", "scheme_indicator", "adjusted_by"])
        result.save(update_fields=["adjusted_value", "adjust_reason", "adjusted_by", "adjusted_at"])
        card = _rescore(result.card)
        _rerank(period)
        _bump(period)
        audit_record(
            event=AuditEvent.APPRAISAL_VALUE_ADJUSTED,
            actor=actor,
            request=request,
            target=result.card,
            detail={
                "indicator": result.scheme_indicator.indicator.code,
                "before": before,
                "after": {"value": str(result.value), "score": str(card.score)},
                "reason": reason,
            },
        )
    return result


def _rescore(card: ScoreCard) -> ScoreCard:
    results = list(card.results.select_related("scheme_indicator__criterion", "scheme_indicator__indicator"))
    lines = [
        Line(
            row.value,
            row.low,
            row.high,
            row.scheme_indicator.indicator.higher_is_better,
            row.scheme_indicator.global_weight,
        )
        for row in results
    ]
    score, scored = score_lines(lines)
    for row, line_score in zip(results, scored, strict=True):
        row.membership, row.weight, row.contribution = (
            line_score.membership,
            line_score.weight,
            line_score.contribution,
        )
    IndicatorResult.objects.bulk_update(results, ["membership", "weight", "contribution"])
    card.score = score
    card.save(update_fields=["score"])
    return card


def _rerank(period: AppraisalPeriod) -> None:
    cards = list(
        period.cards.only(
            "pk", "score", "org_node_id", "branch_id", "team_rank", "team_size", "branch_rank", "branch_size"
        )
    )
    rank_cards(cards)
    ScoreCard.objects.bulk_update(cards, ["team_rank", "team_size", "branch_rank", "branch_size"])


def teams_to_sign(period: AppraisalPeriod) -> list[OrgNode]:
    """The teams with people in the period's cards."""
    return list(OrgNode.objects.filter(pk__in=period.cards.values("org_node_id")).order_by("path"))


def teams_missing(period: AppraisalPeriod) -> list[OrgNode]:
    signed = period.sign_offs.values("org_node_id")
    return list(
        OrgNode.objects.filter(pk__in=period.cards.values("org_node_id"))
        .exclude(pk__in=signed)
        .order_by("path")
    )


def team_sign_off(
    *,
    actor,
    period: AppraisalPeriod,
    org_node: OrgNode,
    comment: str = "",
    revision: int | None = None,
    request=None,
) -> TeamSignOff:
    if not may_sign_off(actor, org_node):
        raise PermissionDenied(_("Only the team's supervisor or head signs its sheet off."))
    with transaction.atomic():
        period = lock_period(period, revision)
        _require_computed(period)
        if not period.cards.filter(org_node=org_node).exists():
            raise ValidationError({"org_node": _("This team has nobody in the period.")})
        sign_off = TeamSignOff(
            period=period,
            org_node=org_node,
            signed_by=actor,
            signed_at=timezone.now(),
            comment=(comment or "").strip(),
        )
        sign_off.full_clean()
        sign_off.save()
        _bump(period)
        audit_record(
            event=AuditEvent.TEAM_SIGNED_OFF,
            actor=actor,
            request=request,
            target=period,
            detail={"team": org_node.name, "team_id": org_node.pk},
        )
    return sign_off


def period_approve(
    *, actor, period: AppraisalPeriod, revision: int | None = None, request=None
) -> AppraisalPeriod:
    require_appraisal_admin(actor)
    with transaction.atomic():
        period = lock_period(period, revision)
        _require_computed(period)
        missing = teams_missing(period)
        if missing:
            raise ValidationError(
                _("These teams have not signed off yet: %(teams)s.")
                % {"teams": "、".join(node.name for node in missing)},
                code="sign_offs_missing",
            )
        period.state = AppraisalPeriod.State.APPROVED
        period.approved_at = timezone.now()
        period.approved_by = actor
        _bump(period, "state", "approved_at", "approved_by")
        proposals = ladder_propose(period=period, actor=actor)
        audit_record(
            event=AuditEvent.PERIOD_APPROVED,
            actor=actor,
            request=request,
            target=period,
            detail={"cards": period.cards.count(), "ladder_proposals": len(proposals or [])},
        )
    return period


def period_reopen(
    *, actor, period: AppraisalPeriod, reason: str, revision: int | None = None, request=None
) -> AppraisalPeriod:
    require_appraisal_admin(actor)
    reason = _reason(reason)
    with transaction.atomic():
        period = lock_period(period, revision, allow_locked=True)
        if period.state != AppraisalPeriod.State.APPROVED:
            raise ValidationError(_("Only an approved period is reopened."), code="not_approved")
        period.state = AppraisalPeriod.State.COMPUTED
        period.reopen_reason = reason
        _bump(period, "state", "reopen_reason")
        audit_record(
            event=AuditEvent.PERIOD_REOPENED,
            actor=actor,
            request=request,
            target=period,
            detail={"reason": reason},
        )
    return period
