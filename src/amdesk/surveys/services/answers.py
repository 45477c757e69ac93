"""Answering a survey: recorded by the account manager on a visit or call, or given by the client on
a one-time link (public page, no login). Each response gets its satisfaction index when it is saved.

Answers are passed as {question id: value}: a rating or NPS an int (or its digits); a single choice
an option id; a multiple choice a list of option ids; free text a string. None/""/[] = unanswered.
Errors are a ValidationError keyed "q<question id>" (the form field names of answers_from_data).
"""

import hashlib
import secrets
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.core.ratelimit import hit

from ..models import Question, SurveyAnswer, SurveyInvitation, SurveyResponse, SurveyRound, SurveySettings
from .common import SurveyLinkInvalid, recorder_q

TEXT_MAX = 2000
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def field_name(question: Question | int) -> str:
    """The form field (and error key) of a question: "q<id>"."""
    return f"q{getattr(question, 'pk', question)}"


def answers_from_data(questions, data) -> dict[int, Any]:
    """Read a form's POST (QueryDict or dict) into the answers mapping: field "q<id>", lists for
    multiple choice (getlist)."""
    answers: dict[int, Any] = {}
    for question in questions:
        key = field_name(question)
        if question.kind == Question.Kind.MULTIPLE:
            value = data.getlist(key) if hasattr(data, "getlist") else data.get(key) or []
        else:
            value = data.get(key)
        answers[question.pk] = value
    return answers


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


class _Row:
    __slots__ = ("question", "number", "option_ids", "text", "score")

    def __init__(self, question, number=None, option_ids=(), text="", score=None):
        self.question, self.number, self.option_ids, self.text, self.score = (
            question,
            number,
            option_ids,
            text,
            score,
        )


def _read(questions: list[Question], answers: dict) -> list[_Row]:
    """Check every answer against its question; raise one ValidationError with all problems."""
    answers = {
        _int(key) if not isinstance(key, int) else key: value for key, value in (answers or {}).items()
    }
    errors: dict[str, list[str]] = {}
    rows: list[_Row] = []
    known = {q.pk for q in questions}
    stray = [key for key in answers if key not in known]
    if stray:
        errors["non_field_errors"] = [_("Some answers are for questions not in this questionnaire.")]
    for question in questions:
        value = answers.get(question.pk)
        key = field_name(question)
        if _empty(value):
            if question.required:
                errors[key] = [_("Please answer this question.")]
            continue
        if question.is_rated:
            low, high = Question.SCALES[question.kind]
            number = _int(value)
            if number is None or not low <= number <= high:
                errors[key] = [_("Choose a score from %(low)s to %(high)s.") % {"low": low, "high": high}]
                continue
            score = (Decimal(number - low) * HUNDRED / Decimal(high - low)).quantize(CENT, ROUND_HALF_UP)
            rows.append(_Row(question, number=Decimal(number), score=score))
        elif question.is_choice:
            options = {o.pk: o for o in question.options.all()}
            values = value if isinstance(value, list | tuple) else [value]
            ids = [_int(v) for v in values if not _empty(v)]
            if not ids or any(i not in options for i in ids) or len(set(ids)) != len(ids):
                errors[key] = [_("Choose among the options given.")]
                continue
            if question.kind == Question.Kind.SINGLE and len(ids) > 1:
                errors[key] = [_("Choose one option only.")]
                continue
            scores = [options[i].score for i in ids if options[i].score is not None]
            score = (sum(scores) / len(scores)).quantize(CENT, ROUND_HALF_UP) if scores else None
            rows.append(_Row(question, option_ids=ids, score=score))
        else:
            text = str(value).strip()
            if len(text) > TEXT_MAX:
                errors[key] = [_("Please keep the answer under %(max)s characters.") % {"max": TEXT_MAX}]
                continue
            rows.append(_Row(question, text=text))
    if errors:
        raise ValidationError(errors)
    return rows


def response_index(rows) -> Decimal | None:
    """Weighted mean of the answers' scores (0–100) over questions with a weight; None if none."""
    pairs = [(r.question.weight, r.score) for r in rows if r.score is not None and r.question.weight > 0]
    total = sum((w for w, _s in pairs), Decimal(0))
    if not total:
        return None
    return (sum((w * s for w, s in pairs), Decimal(0)) / total).quantize(CENT, ROUND_HALF_UP)


def _questions(survey_round: SurveyRound) -> list[Question]:
    return list(
        Question.objects.filter(questionnaire_id=survey_round.questionnaire_id)
        .prefetch_related("options")
        .order_by("section__order", "section_id", "order", "id")
    )


def _respond(*, invitation: SurveyInvitation, answers, mode: str, recorded_by, request) -> SurveyResponse:
    survey_round = invitation.round
    rows = _read(_questions(survey_round), answers)
    now = timezone.now()
    client = invitation.client
    nps = next((int(r.number) for r in rows if r.question.kind == Question.Kind.NPS), None)
    response = SurveyResponse.objects.create(
        invitation=invitation,
        round=survey_round,
        client=client,
        owner_id=invitation.owner_id,
        org_node_id=invitation.org_node_id,
        client_tier_id=client.tier_id,
        client_lifecycle=client.lifecycle,
        client_vip_level_id=client.vip_level_id,
        answered_at=now,
        mode=mode,
        recorded_by=recorded_by,
        index=response_index(rows),
        nps=nps,
    )
    saved = SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question=r.question, number=r.number, text=r.text, score=r.score)
        for r in rows
    )
    through = SurveyAnswer.options.through
    through.objects.bulk_create(
        through(surveyanswer_id=answer.pk, option_id=option_id)
        for answer, row in zip(saved, rows, strict=True)
        for option_id in row.option_ids
    )
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        state=SurveyInvitation.State.ANSWERED, answered_at=now
    )
    invitation.state, invitation.answered_at = SurveyInvitation.State.ANSWERED, now
    audit_record(
        event=AuditEvent.SURVEY_ANSWERED,
        actor=recorded_by,
        request=request,
        target=response,
        detail={
            "round": survey_round.pk,
            "invitation": invitation.pk,
            "mode": mode,
            "index": str(response.index),
        },
    )
    return response


def _locked_invitation(*conditions, **lookup) -> SurveyInvitation | None:
    return (
        SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related("round", "client")
        .filter(*conditions, **lookup)
        .first()
    )


def _past_closing(survey_round: SurveyRound) -> bool:
    """The round's last day is over (the daily job may not have closed it yet): no more answers."""
    return survey_round.closes_on < timezone.localdate()


def _check_open(invitation: SurveyInvitation) -> None:
    if invitation.state == SurveyInvitation.State.ANSWERED:
        raise ValidationError(_("This client has already answered this survey."))
    if invitation.state == SurveyInvitation.State.EXPIRED or invitation.round.state != SurveyRound.State.OPEN:
        raise ValidationError(_("This survey round is not open."))
    if _past_closing(invitation.round):
        raise ValidationError(
            _("This survey round closed on %(date)s: answers are no longer taken.")
            % {"date": invitation.round.closes_on.isoformat()}
        )


@transaction.atomic
def survey_answer_record(
    *, actor, invitation: SurveyInvitation, answers: dict, mode: str = SurveyResponse.Mode.VISIT, request=None
) -> SurveyResponse:
    """The client's account manager (when the round opened) records the client's answers, or an
    overseer (supervisor, head, admin) whose scope holds the invitation: see recorder_q."""
    if mode not in (SurveyResponse.Mode.VISIT, SurveyResponse.Mode.PHONE):
        raise ValidationError({"mode": [_("Say whether the answers were taken on a visit or by phone.")]})
    locked = _locked_invitation(recorder_q(actor), pk=invitation.pk)
    if locked is None:
        raise PermissionDenied(_("This invitation is not within your clients."))
    _check_open(locked)
    return _respond(invitation=locked, answers=answers, mode=mode, recorded_by=actor, request=request)


def invitation_for_token(token: str, *, for_update: bool = False) -> SurveyInvitation:
    """The invitation of a public link, or SurveyLinkInvalid saying why not (its `code`).

    `for_update` locks the invitation row until the transaction ends: of two submissions of one link
    (two taps, two tabs), the second waits for the first and then finds it answered (USED)."""
    if not token or len(token) > 100:
        raise SurveyLinkInvalid(SurveyLinkInvalid.UNKNOWN)
    lookup = {"token_hash": token_hash(token)}
    if for_update:
        invitation = _locked_invitation(**lookup)
    else:
        invitation = (
            SurveyInvitation.objects.select_related("round__questionnaire", "client", "owner")
            .filter(**lookup)
            .first()
        )
    if invitation is None:
        raise SurveyLinkInvalid(SurveyLinkInvalid.UNKNOWN)
    if invitation.state == SurveyInvitation.State.ANSWERED:
        raise SurveyLinkInvalid(SurveyLinkInvalid.USED)
    if (
        invitation.state == SurveyInvitation.State.EXPIRED
        or invitation.round.state == SurveyRound.State.CLOSED
        or _past_closing(invitation.round)
    ):
        raise SurveyLinkInvalid(SurveyLinkInvalid.CLOSED)
    if invitation.expires_at is None or invitation.expires_at <= timezone.now():
        raise SurveyLinkInvalid(SurveyLinkInvalid.EXPIRED)
    if invitation.round.state != SurveyRound.State.OPEN:
        raise SurveyLinkInvalid(SurveyLinkInvalid.UNKNOWN)
    return invitation


@transaction.atomic
def survey_answer_by_token(*, token: str, answers: dict, request=None) -> SurveyResponse:
    """The client's own answers on a one-time link: one response per link, before it expires.

    Raises SurveyLinkInvalid (link unusable: show its message instead of the form) or ValidationError
    (answers to correct: show the form again with them)."""
    invitation = invitation_for_token(token, for_update=True)
    return _respond(
        invitation=invitation,
        answers=answers,
        mode=SurveyResponse.Mode.LINK,
        recorded_by=None,
        request=request,
    )


def survey_public_rate_ok(request) -> bool:
    """Count one hit of the public answer page for this address; False once over the settings' limit."""
    settings = SurveySettings.current()
    return hit(
        request,
        scope="survey-answer",
        limit=settings.public_rate_limit,
        window_seconds=settings.public_rate_window_minutes * 60,
    )


def _link_expiry(survey_round: SurveyRound, settings: SurveySettings) -> datetime:
    """Valid for the settings' days, but never past the end of the round's closing day."""
    tz = timezone.get_current_timezone()
    round_end = timezone.make_aware(
        datetime.combine(survey_round.closes_on + timedelta(days=1), time.min), tz
    )
    return min(timezone.now() + timedelta(days=settings.link_valid_days), round_end)


@transaction.atomic
def survey_links_issue(
    *, actor, survey_round: SurveyRound, invitation_ids: list[int] | None = None, request=None
) -> list[tuple[SurveyInvitation, str]]:
    """New one-time links for the actor's pending invitations of an open round (all of them, or the
    ids given). Returns (invitation, token) pairs: the tokens are shown once and never stored; a link
    issued earlier for the same invitation stops working."""
    if survey_round.state != SurveyRound.State.OPEN or _past_closing(survey_round):
        raise ValidationError(_("Links are issued while the round is open."))
    invitations = SurveyInvitation.objects.filter(
        recorder_q(actor), round=survey_round, state=SurveyInvitation.State.PENDING
    ).select_related("client")
    if invitation_ids is not None:
        invitations = invitations.filter(pk__in=invitation_ids)
    invitations = list(invitations.select_for_update(of=("self",)))
    if invitation_ids is not None and len(invitations) != len(set(invitation_ids)):
        raise PermissionDenied(_("Some of these invitations are not yours or already answered."))
    settings = SurveySettings.current()
    now, expires_at = timezone.now(), _link_expiry(survey_round, settings)
    issued: list[tuple[SurveyInvitation, str]] = []
    for invitation in invitations:
        token = secrets.token_urlsafe(24)
        invitation.token_hash, invitation.link_issued_at, invitation.expires_at = (
            token_hash(token),
            now,
            expires_at,
        )
        invitation.channel = SurveyInvitation.Channel.LINK
        issued.append((invitation, token))
    SurveyInvitation.objects.bulk_update(
        invitations, ["token_hash", "link_issued_at", "expires_at", "channel"], batch_size=1000
    )
    if issued:
        audit_record(
            event=AuditEvent.SURVEY_LINKS_ISSUED,
            actor=actor,
            request=request,
            target=survey_round,
            detail={"count": len(issued), "invitations": [i.pk for i, _t in issued][:200]},
        )
    return issued


def survey_link_issue(*, actor, invitation: SurveyInvitation, request=None) -> str:
    """One new link for one invitation (the actor's, pending, round open); returns the token."""
    issued = survey_links_issue(
        actor=actor, survey_round=invitation.round, invitation_ids=[invitation.pk], request=request
    )
    invitation.token_hash, invitation.expires_at = issued[0][0].token_hash, issued[0][0].expires_at
    invitation.link_issued_at, invitation.channel = issued[0][0].link_issued_at, issued[0][0].channel
    return issued[0][1]


@transaction.atomic
def survey_responses_reindex(*, survey_round: SurveyRound | None = None) -> int:
    """Recompute the stored index of responses from their answers, in one UPDATE (after a weight fix)."""
    weighted = (
        SurveyAnswer.objects.filter(response=OuterRef("pk"), score__isnull=False, question__weight__gt=0)
        .values("response")
        .annotate(
            value=ExpressionWrapper(
                Sum(F("score") * F("question__weight")) / Sum("question__weight"),
                output_field=DecimalField(max_digits=5, decimal_places=2),
            )
        )
        .values("value")
    )
    responses = SurveyResponse.objects.all()
    if survey_round is not None:
        responses = responses.filter(round=survey_round)
    return responses.update(index=Subquery(weighted))
