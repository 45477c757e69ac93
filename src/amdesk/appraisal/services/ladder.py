"""Ladder moves at period close: proposals from the rules, and the appraisal admin's decision.

A proposal is made when a period is approved (services of the periods call ladder_propose):
- promotion one grade up when the person's latest `promote_periods` approved periods of the same
  scheme, this one included and with no gap, all scored at or above `promote_score` *on his
  current grade* (the card's grade snapshot): periods spent on a lower grade do not count twice;
- demotion one grade down when this period scored below `demote_below`;
- nothing at the ends of the ladder, nothing without a grade or an active rule.

Re-approving a reopened period replaces its waiting proposals; decided ones stay as they are.

The decision moves the grade through orgs.services.staff_set_grade. The move takes effect the day
after the period's end (the grade earned by that period's results), but never before the person's
latest recorded grade change, so that the move always becomes his current grade."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.models import GradeHistory, LadderGrade, Staff
from amdesk.orgs.services import staff_set_grade

from ..models import AppraisalPeriod, LadderProposal, LadderRule, ScoreCard
from ..selectors.ladder import _number, is_appraisal_admin

BASIS_MAX = LadderProposal._meta.get_field("basis").max_length


class LadderError(ValidationError):
    """A decision that cannot be taken (period reopened, grade changed, no reason)."""


class AlreadyDecided(LadderError):
    """Someone decided the proposal first (the API answers 409)."""


def _approved_history(period: AppraisalPeriod, depth: int) -> list[int]:
    """Ids of the latest `depth` approved periods of the period's scheme up to it, latest first, that
    follow one another without a gap: a month missing, or not approved, between two approved ones
    ends the run (January and March are not "two consecutive periods")."""
    earlier = list(
        AppraisalPeriod.objects.filter(
            version__scheme_id=period.version.scheme_id,
            kind=period.kind,
            state=AppraisalPeriod.State.APPROVED,
            start__lt=period.start,
        )
        .order_by("-start")
        .values_list("pk", "start", "end")[: max(depth - 1, 0)]
    )
    ids, start = [period.pk], period.start
    for pk, previous_start, previous_end in earlier:
        if previous_end + timedelta(days=1) != start:
            break
        ids.append(pk)
        start = previous_start
    return ids


def _basis_promote(rule: LadderRule, scores: list[tuple[str, Decimal]]) -> str:
    listed = "，".join(f"{label} {_number(score)}" for label, score in reversed(scores))
    text = _("%(n)s consecutive periods scoring ≥ %(mark)s: %(scores)s") % {
        "n": rule.promote_periods,
        "mark": _number(rule.promote_score),
        "scores": listed,
    }
    return text[:BASIS_MAX]


def _basis_demote(rule: LadderRule, label: str, score: Decimal) -> str:
    text = _("%(period)s scored %(score)s, below %(mark)s") % {
        "period": label,
        "score": _number(score),
        "mark": _number(rule.demote_below),
    }
    return text[:BASIS_MAX]


@transaction.atomic
def ladder_propose(*, period, actor) -> list[LadderProposal]:
    """Propose promotions and demotions for the people of an approved period (see the module doc).
    A fixed number of queries whatever the number of people."""
    period = AppraisalPeriod.objects.select_related("version").get(pk=period.pk)
    if period.state != AppraisalPeriod.State.APPROVED:
        return []
    grades = list(LadderGrade.objects.order_by("order"))
    up = {low.pk: high for low, high in zip(grades, grades[1:], strict=False)}
    down = {high.pk: low for low, high in zip(grades, grades[1:], strict=False)}
    rules = {rule.grade_id: rule for rule in LadderRule.objects.filter(is_active=True)}
    cards = list(
        ScoreCard.objects.filter(period=period, staff__grade__isnull=False).values_list(
            "staff_id", "staff__grade_id", "score"
        )
    )
    depth = max(
        (rule.promote_periods for rule in rules.values() if rule.promote_score is not None), default=1
    )
    history_ids = _approved_history(period, depth)
    labels = {p.pk: p.label for p in AppraisalPeriod.objects.filter(pk__in=history_ids).only("kind", "start")}
    # {(period id, staff id): (grade id at the run, score)} for everyone of this period at once.
    past = {
        (p, s): (g, score)
        for p, s, g, score in ScoreCard.objects.filter(
            period_id__in=history_ids, staff_id__in=[c[0] for c in cards]
        ).values_list("period_id", "staff_id", "grade_id", "score")
    }
    decided = set(
        LadderProposal.objects.filter(period=period)
        .exclude(state=LadderProposal.State.PENDING)
        .values_list("staff_id", flat=True)
    )
    LadderProposal.objects.filter(period=period, state=LadderProposal.State.PENDING).delete()

    proposals = []
    for staff_id, grade_id, score in cards:
        rule = rules.get(grade_id)
        if rule is None or staff_id in decided:
            continue
        move = None
        if rule.promote_score is not None and grade_id in up:
            needed = history_ids[: rule.promote_periods]
            streak = [past.get((pid, staff_id)) for pid in needed]
            if len(needed) == rule.promote_periods and all(
                entry is not None and entry[0] == grade_id and entry[1] >= rule.promote_score
                for entry in streak
            ):
                scores = [(labels[pid], entry[1]) for pid, entry in zip(needed, streak, strict=True)]
                move = (LadderProposal.Direction.PROMOTE, up[grade_id], _basis_promote(rule, scores))
        if move is None and rule.demote_below is not None and grade_id in down and score < rule.demote_below:
            move = (LadderProposal.Direction.DEMOTE, down[grade_id], _basis_demote(rule, period.label, score))
        if move is not None:
            direction, to_grade, basis = move
            proposals.append(
                LadderProposal(
                    period=period,
                    staff_id=staff_id,
                    direction=direction,
                    from_grade_id=grade_id,
                    to_grade=to_grade,
                    basis=basis,
                )
            )
    return LadderProposal.objects.bulk_create(proposals)


def _effective_on(proposal: LadderProposal):
    after_period = proposal.period.end + timedelta(days=1)
    latest = (
        GradeHistory.objects.filter(staff_id=proposal.staff_id)
        .order_by("-effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )
    return max(after_period, latest) if latest else after_period


@transaction.atomic
def ladder_decide(*, actor, proposal: LadderProposal, approve: bool, reason: str) -> LadderProposal:
    """The appraisal admin approves or rejects one waiting proposal, with a reason. Two decisions at
    once: the first wins, the second is told the proposal was already decided."""
    if not is_appraisal_admin(actor):
        raise PermissionDenied(_("Only the appraisal administrator decides ladder moves."))
    reason = (reason or "").strip()
    if not reason:
        raise LadderError({"reason": [_("Give a reason for the decision.")]})
    field = LadderProposal._meta.get_field("decision_reason")
    if field.max_length and len(reason) > field.max_length:
        raise LadderError(
            {"reason": [_("Keep the reason within %(n)s characters.") % {"n": field.max_length}]}
        )
    proposal = (
        # Lock the proposal row only (not the period, scheme and grades it joins).
        LadderProposal.objects.select_for_update(of=("self",))
        .select_related("period__version__scheme", "from_grade", "to_grade")
        .get(pk=proposal.pk)
    )
    if proposal.state != LadderProposal.State.PENDING:
        raise AlreadyDecided(_("This proposal was already decided."))
    if proposal.period.state != AppraisalPeriod.State.APPROVED:
        raise LadderError(_("The period was reopened: its proposals are renewed when it is approved again."))
    # PostgreSQL refuses FOR UPDATE across the outer join to a nullable grade: lock the staff row only.
    staff = Staff.objects.select_for_update(of=("self",)).select_related("grade").get(pk=proposal.staff_id)
    if approve and staff.grade_id != proposal.from_grade_id:
        raise LadderError(_("His grade changed since the proposal was made: reject it instead."))
    now = timezone.now()
    state = LadderProposal.State.APPROVED if approve else LadderProposal.State.REJECTED
    # The conditional update is what makes one of two concurrent decisions win on every database.
    won = LadderProposal.objects.filter(pk=proposal.pk, state=LadderProposal.State.PENDING).update(
        state=state, decided_by=actor, decided_at=now, decision_reason=reason
    )
    if not won:
        raise AlreadyDecided(_("This proposal was already decided."))
    proposal.state, proposal.decided_by, proposal.decided_at, proposal.decision_reason = (
        state,
        actor,
        now,
        reason,
    )
    effective_on = None
    if approve:
        effective_on = _effective_on(proposal)
        note = _("Appraisal %(period)s: %(basis)s; %(reason)s") % {
            "period": proposal.period.label,
            "basis": proposal.basis,
            "reason": reason,
        }
        staff_set_grade(
            actor=actor,
            staff=staff,
            grade=proposal.to_grade,
            effective_on=effective_on,
            reason=note[: GradeHistory._meta.get_field("reason").max_length],
        )
    audit_record(
        event=AuditEvent.LADDER_MOVE_DECIDED,
        actor=actor,
        target=proposal,
        detail={
            "staff": staff.pk,
            "period": proposal.period_id,
            "direction": proposal.direction,
            "from": proposal.from_grade.code,
            "to": proposal.to_grade.code,
            "approved": approve,
            "reason": reason,
            "effective_on": effective_on.isoformat() if effective_on else None,
        },
    )
    return proposal
