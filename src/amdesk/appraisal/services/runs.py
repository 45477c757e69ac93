"""The run engine: open a period of a scheme and compute everyone's score card at once.

A run reads each indicator for the whole population with one shared sources.Context (a fixed number
of queries per indicator, whatever the number of people), puts each value on its scale (fixed
points, or the population's percentiles over the people who have a value), scores with the fuzzy
membership and the AHP weights, ranks within team and branch and stores everything in bulk.
Adjustments made by the appraisal admin survive a re-run (kept by person and indicator); the scales
come from the computed values, so one person's adjustment never moves anyone else's score."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.core.rows import RowWriter
from amdesk.orgs.models import PATH_SEPARATOR, PATH_STEP_WIDTH, Staff
from amdesk.orgs.selectors import branch_level

from .. import sources
from ..models import (
    AppraisalPeriod,
    Indicator,
    IndicatorResult,
    ManualValue,
    Scheme,
    SchemeIndicator,
    ScoreCard,
)
from .access import require_appraisal_admin
from .dates import period_bounds, sign_off_due
from .locking import lock_period
from .scoring import Line, percentile, ranks_within, score_lines

STEP = PATH_STEP_WIDTH + len(PATH_SEPARATOR)


def period_open(*, actor, scheme: Scheme, start: date, request=None) -> AppraisalPeriod:
    """A new period of the scheme's active version: the month, quarter or year containing `start`."""
    require_appraisal_admin(actor)
    with transaction.atomic():
        version = scheme.active_version
        if version is None:
            raise ValidationError(_("The scheme has no active version: activate one first."))
        start, end = period_bounds(scheme.period_kind, start)
        if AppraisalPeriod.objects.filter(version__scheme=scheme, start=start).exists():
            raise ValidationError(_("The scheme already has a period starting %(day)s.") % {"day": start})
        period = AppraisalPeriod(
            version=version, kind=scheme.period_kind, start=start, end=end, sign_off_due=sign_off_due(end)
        )
        period.full_clean()
        period.save()
        audit_record(
            event=AuditEvent.SCHEME_CHANGED,
            actor=actor,
            request=request,
            target=period,
            detail={"action": "period_open", "start": str(start), "end": str(end)},
        )
    return period


def scheme_indicators(version) -> list[SchemeIndicator]:
    items = list(
        SchemeIndicator.objects.filter(criterion__version=version)
        .select_related("criterion", "indicator")
        .order_by("criterion__order", "criterion_id", "order", "id")
    )
    unset = [str(item.indicator) for item in items if item.global_weight is None]
    if unset:
        raise ValidationError(_("Weights are not set for: %(names)s.") % {"names": "、".join(unset)})
    if not items:
        raise ValidationError(_("The scheme version has no indicators."))
    return items


def population(scheme: Scheme) -> list[Staff]:
    """Active staff holding any of the scheme's roles, under its org subtree when it has one."""
    people = Staff.objects.filter(
        status=Staff.Status.ACTIVE, org_node__isnull=False, roles__in=scheme.roles.all()
    )
    if scheme.org_node_id:
        people = people.filter(scheme.org_node.subtree_q("org_node__"))
    return list(
        people.distinct().select_related("org_node").only("pk", "grade_id", "org_node__path").order_by("pk")
    )


def indicator_values(indicators: list[Indicator], staff_ids: list[int], start: date, end: date) -> dict:
    """{indicator id: {staff id: Decimal or None}} for every indicator and person: registered sources
    share one Context; manual indicators read their entered values in one query."""
    ctx = sources.Context(staff_ids=staff_ids, start=start, end=end)
    values: dict[int, dict[int, Decimal | None]] = {}
    manual = [item.pk for item in indicators if item.is_manual]
    if manual:
        entered = ManualValue.objects.filter(
            indicator__in=manual, staff__in=staff_ids, period_start=start, period_end=end
        ).values_list("indicator_id", "staff_id", "value")
        for pk in manual:
            values[pk] = dict.fromkeys(staff_ids)
        for indicator_id, staff_id, value in entered:
            values[indicator_id][staff_id] = value
    for item in indicators:
        if item.is_manual or item.pk in values:
            continue
        source = sources.get_source(item.source)
        found = source.compute(ctx, source.resolved_params(item.params))
        values[item.pk] = {pk: found.get(pk, source.empty) for pk in staff_ids}
    return values


def scale(item: SchemeIndicator, values: dict[int, Decimal | None]) -> tuple[Decimal, Decimal]:
    if item.point_mode == SchemeIndicator.PointMode.FIXED:
        return item.low, item.high
    present = [value for value in values.values() if value is not None]
    return percentile(present, item.low_percentile), percentile(present, item.high_percentile)


def branch_of(path: str, depth: int) -> int | None:
    """The id of the node's ancestor at the branch level, read from the materialized path."""
    steps = len(path) // STEP
    if steps <= depth:
        return None
    return int(path[depth * STEP : depth * STEP + PATH_STEP_WIDTH])


def previous_results(period: AppraisalPeriod) -> tuple[dict, dict]:
    """({staff: score}, {(staff, indicator): value}) of the scheme's period before this one."""
    before = (
        # The last period that has results: one opened and never run has no cards to compare with.
        AppraisalPeriod.objects.filter(version__scheme_id=period.version.scheme_id, start__lt=period.start)
        .exclude(state=AppraisalPeriod.State.OPEN)
        .order_by("-start")
        .values_list("pk", flat=True)
        .first()
    )
    if before is None:
        return {}, {}
    scores = dict(ScoreCard.objects.filter(period_id=before).values_list("staff_id", "score"))
    rows = IndicatorResult.objects.filter(card__period_id=before).values_list(
        "card__staff_id", "scheme_indicator__indicator_id", "raw_value", "adjusted_value"
    )
    values = {
        (staff, indicator): adjusted if adjusted is not None else raw
        for staff, indicator, raw, adjusted in rows
    }
    return scores, values


def period_run(
    *, actor, period: AppraisalPeriod, revision: int | None = None, request=None
) -> AppraisalPeriod:
    require_appraisal_admin(actor)
    with transaction.atomic():
        period = lock_period(period, revision)
        items = scheme_indicators(period.version)
        people = population(period.version.scheme)
        staff_ids = [person.pk for person in people]
        values = indicator_values(
            list({item.indicator_id: item.indicator for item in items}.values()),
            staff_ids,
            period.start,
            period.end,
        )
        kept = {
            (row.card.staff_id, row.scheme_indicator_id): row
            for row in IndicatorResult.objects.filter(
                card__period=period, adjusted_value__isnull=False
            ).select_related("card")
        }
        scales = {item.pk: scale(item, values[item.indicator_id]) for item in items}
        previous_scores, previous_values = previous_results(period)
        depth = branch_level()[0]
        ScoreCard.objects.filter(period=period).delete()

        cards, lines_of = [], {}
        for person in people:
            rows = []
            for item in items:
                raw = values[item.indicator_id][person.pk]
                adjusted = kept.get((person.pk, item.pk))
                value = adjusted.adjusted_value if adjusted else raw
                low, high = scales[item.pk]
                rows.append(
                    (
                        item,
                        raw,
                        adjusted,
                        Line(value, low, high, item.indicator.higher_is_better, item.global_weight),
                    )
                )
            score, scored = score_lines([row[3] for row in rows])
            card = ScoreCard(
                period=period,
                staff_id=person.pk,
                org_node_id=person.org_node_id,
                branch_id=branch_of(person.org_node.path, depth),
                grade_id=person.grade_id,
                score=score,
                previous_score=previous_scores.get(person.pk),
            )
            cards.append(card)
            lines_of[person.pk] = (rows, scored)
        rank_cards(cards)
        ScoreCard.objects.bulk_create(cards)

        _write_results(cards, lines_of, previous_values)

        period.state = AppraisalPeriod.State.COMPUTED
        period.computed_at = timezone.now()
        period.computed_by = actor
        period.revision += 1
        period.save(update_fields=["state", "computed_at", "computed_by", "revision"])
        audit_record(
            event=AuditEvent.PERIOD_COMPUTED,
            actor=actor,
            request=request,
            target=period,
            detail={"people": len(cards), "indicators": len(items), "adjustments_kept": len(kept)},
        )
    return period


def rank_cards(cards: list[ScoreCard]) -> None:
    keyed = [(index, card.score, card) for index, card in enumerate(cards)]
    team_ranks, team_sizes = ranks_within(keyed, lambda card: card.org_node_id)
    branch_ranks, branch_sizes = ranks_within(keyed, lambda card: card.branch_id)
    for index, card in enumerate(cards):
        card.team_rank, card.team_size = team_ranks.get(index), team_sizes.get(index)
        card.branch_rank, card.branch_size = branch_ranks.get(index), branch_sizes.get(index)


RESULT_FIELDS = (
    "card_id", "scheme_indicator_id", "raw_value", "adjusted_value", "adjust_reason", "adjusted_by_id",
    "adjusted_at", "low", "high", "membership", "weight", "contribution", "previous_value",
)  # fmt: skip


def _write_results(cards, lines_of, previous_values) -> None:
    """The indicator results, one row per person and indicator: the bulk of a run's writes, through
    the row writer (COPY on PostgreSQL, one executemany on SQLite) rather than model instances."""

    def rows():
        for card in cards:
            lines, scored = lines_of[card.staff_id]
            for (item, raw, adjusted, line), line_score in zip(lines, scored, strict=True):
                yield (
                    card.pk, item.pk, raw,
                    adjusted.adjusted_value if adjusted else None,
                    adjusted.adjust_reason if adjusted else "",
                    adjusted.adjusted_by_id if adjusted else None,
                    adjusted.adjusted_at if adjusted else None,
                    line.low, line.high, line_score.membership, line_score.weight, line_score.contribution,
                    previous_values.get((card.staff_id, item.indicator_id)),
                )  # fmt: skip

    RowWriter().write(IndicatorResult, RESULT_FIELDS, rows())
