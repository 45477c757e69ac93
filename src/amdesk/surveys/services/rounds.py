"""Survey rounds: created by a supervisor or admin (or prepared by the daily job, see schedule.py),
opened (invitations built set-based), closed (pending invitations expire, improvement actions for
low scores). Two rounds of one questionnaire over one unit never survey overlapping periods."""

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Value, Window
from django.db.models.functions import Mod, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients.models import Client
from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent
from amdesk.orgs.access import scope_of
from amdesk.orgs.models import OrgNode, Staff

from ..models import Questionnaire, SurveyInvitation, SurveyRound, SurveySettings
from .common import StaleSurveyData, may_manage_surveys

ROUND_FIELDS = [
    "questionnaire",
    "name",
    "period_start",
    "period_end",
    "opens_on",
    "closes_on",
    "target",
    "sample_size",
    "sample_seed",
    "org_node",
]


def may_manage_round(
    viewer, survey_round: SurveyRound | None = None, *, org_node: OrgNode | None = None
) -> bool:
    """Admins manage every round; a supervisor or head the rounds limited to a unit within his scope."""
    if not may_manage_surveys(viewer):
        return False
    scope = scope_of(viewer)
    if scope.sees_all:
        return True
    node = survey_round.org_node if survey_round is not None else org_node
    if node is None:  # the whole organisation
        return False
    return OrgNode.objects.filter(scope.node_q(""), pk=node.pk).exists()


def _check(survey_round: SurveyRound) -> None:
    errors: dict[str, list[str]] = {}
    if survey_round.questionnaire_id and survey_round.questionnaire.state != Questionnaire.State.PUBLISHED:
        errors["questionnaire"] = [_("Choose a published questionnaire.")]
    if (
        survey_round.period_start
        and survey_round.period_end
        and survey_round.period_end < survey_round.period_start
    ):
        errors["period_end"] = [_("The period ends after it starts.")]
    if survey_round.opens_on and survey_round.closes_on and survey_round.closes_on < survey_round.opens_on:
        errors["closes_on"] = [_("The round closes after it opens.")]
    if not errors:
        other = _overlapping(survey_round)
        if other is not None:
            errors["period_start"] = [
                _(
                    "“%(name)s” already surveys %(start)s–%(end)s for the same unit with this "
                    "questionnaire: choose another period, or change that round."
                )
                % {"name": other.name, "start": other.period_start, "end": other.period_end}
            ]
    if errors:
        raise ValidationError(errors)


def _overlapping(survey_round: SurveyRound) -> SurveyRound | None:
    """Another round (any state) of the same questionnaire (any edition) over the same unit whose
    period overlaps this one's: its clients would be asked twice about the same period."""
    if not (survey_round.questionnaire_id and survey_round.period_start and survey_round.period_end):
        return None
    return (
        SurveyRound.objects.filter(
            questionnaire__code=survey_round.questionnaire.code,
            org_node=survey_round.org_node_id,
            period_start__lte=survey_round.period_end,
            period_end__gte=survey_round.period_start,
        )
        .exclude(pk=survey_round.pk)
        .order_by("period_start", "id")
        .first()
    )


@transaction.atomic
def survey_round_create(
    *,
    actor,
    questionnaire: Questionnaire,
    name: str,
    period_start: date,
    period_end: date,
    opens_on: date,
    closes_on: date,
    target: str = SurveyRound.Target.KEY_CLIENTS,
    sample_size: int | None = None,
    sample_seed: int | None = None,
    org_node: OrgNode | None = None,
    request=None,
) -> SurveyRound:
    """A draft round; it opens on `opens_on` (cron) or when opened by hand. `actor` None is the daily
    job preparing the next round from the settings."""
    if actor is not None and not may_manage_round(actor, org_node=org_node):
        raise PermissionDenied(_("You may not run a survey round for this unit."))
    survey_round = SurveyRound(
        questionnaire=questionnaire,
        name=name.strip(),
        period_start=period_start,
        period_end=period_end,
        opens_on=opens_on,
        closes_on=closes_on,
        target=target,
        sample_size=sample_size,
        sample_seed=secrets.randbelow(2**31) if sample_seed is None else sample_seed,
        org_node=org_node,
        created_by=actor,
    )
    survey_round.full_clean()
    _check(survey_round)
    survey_round.save()
    _audit(actor, survey_round, "create", request)
    return survey_round


@transaction.atomic
def survey_round_update(
    *, actor, survey_round: SurveyRound, version: int, request=None, **fields
) -> SurveyRound:
    """Change a draft round; `fields` among ROUND_FIELDS."""
    if not may_manage_round(actor, survey_round) or (
        "org_node" in fields and not may_manage_round(actor, org_node=fields["org_node"])
    ):
        raise PermissionDenied(_("You may not run a survey round for this unit."))
    if survey_round.state != SurveyRound.State.DRAFT:
        raise ValidationError(_("Only a draft round can be changed."))
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"Unknown round fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(survey_round, name, value)
    survey_round.full_clean()
    _check(survey_round)
    values = {name: getattr(survey_round, name) for name in fields}
    if not SurveyRound.objects.filter(pk=survey_round.pk, version=version).update(
        **values, version=F("version") + 1
    ):
        raise StaleSurveyData
    survey_round.version = version + 1
    _audit(actor, survey_round, "update", request, fields=sorted(fields))
    return survey_round


def _audit(actor, survey_round: SurveyRound, action: str, request=None, **detail) -> None:
    audit_record(
        event=AuditEvent.SURVEY_ROUND_CHANGED,
        actor=actor,
        request=request,
        target=survey_round,
        detail={"action": action, **detail},
    )


def survey_round_targets(survey_round: SurveyRound) -> QuerySet:
    """The clients a round asks (values of id, owner, org_node), as one query; nothing is written.

    Lost clients and clients without an active owner are never surveyed. A sample takes, per account
    manager, the first N of his won clients and centres of influence in a pseudo-random order fixed by
    the round's seed (the same seed over the same clients picks the same clients).
    """
    clients = Client.objects.exclude(lifecycle=Client.Lifecycle.LOST).filter(
        owner__is_active=True, owner__status=Staff.Status.ACTIVE
    )
    if survey_round.org_node_id:
        clients = clients.filter(survey_round.org_node.subtree_q("org_node__"))
    target = survey_round.target
    if target == SurveyRound.Target.KEY_CLIENTS:
        clients = clients.filter(tier__is_key=True)
    elif target == SurveyRound.Target.WON_CLIENTS:
        clients = clients.filter(lifecycle=Client.Lifecycle.WON)
    elif target == SurveyRound.Target.VISITED:
        from amdesk.visits.models import Visit

        visited = Visit.objects.filter(
            client=OuterRef("pk"), visited_on__range=(survey_round.period_start, survey_round.period_end)
        )
        clients = clients.filter(Exists(visited))
    elif target == SurveyRound.Target.SAMPLE:
        size = survey_round.sample_size or SurveySettings.current().sample_per_manager
        # Two rounds of a multiplicative hash of the id mixed with the seed: deterministic, spread,
        # the same in SQLite and PostgreSQL (products stay below 2^63; no random()).
        seed = Value(survey_round.sample_seed)
        first = Mod(F("id") * Value(2654435761) + seed, Value(4294967291))
        shuffle = Mod(first * Value(2147483647) + seed, Value(4294967279))
        ranked = (
            clients.filter(lifecycle__in=[Client.Lifecycle.WON, Client.Lifecycle.INFLUENCER])
            .annotate(
                draw=Window(
                    RowNumber(), partition_by=[F("owner_id")], order_by=[shuffle.asc(), F("id").asc()]
                )
            )
            .filter(draw__lte=size)
        )
        return ranked.values("id", "owner_id", "org_node_id").order_by("owner_id", "draw")
    return clients.values("id", "owner_id", "org_node_id").order_by("id")


def _insert_invitations(survey_round: SurveyRound, now) -> int:
    """INSERT … SELECT of the round's targets: one statement whatever the number of clients."""
    sql, params = survey_round_targets(survey_round).query.sql_with_params()
    table = SurveyInvitation._meta.db_table
    columns = "round_id, client_id, owner_id, org_node_id, state, channel, token_hash, created_at"
    insert = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608 (names from the model, values as parameters)
        f"SELECT %s, t.id, t.owner_id, t.org_node_id, %s, %s, '', %s FROM ({sql}) t"
    )
    created_at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            insert,
            [
                survey_round.pk,
                SurveyInvitation.State.PENDING.value,
                SurveyInvitation.Channel.MANAGER.value,
                created_at,
                *params,
            ],
        )
        return cursor.rowcount


@transaction.atomic
def survey_round_open(*, actor, survey_round: SurveyRound, request=None) -> int:
    """Open a draft round: one invitation per targeted client (one INSERT … SELECT). Returns how many.

    `actor` None is the cron command.
    """
    if actor is not None and not may_manage_round(actor, survey_round):
        raise PermissionDenied(_("You may not run a survey round for this unit."))
    locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if locked.state != SurveyRound.State.DRAFT:
        raise ValidationError(_("This round is already open or closed."))
    if locked.questionnaire.state != Questionnaire.State.PUBLISHED:
        raise ValidationError(_("The round's questionnaire is no longer published."))
    now = timezone.now()
    count = _insert_invitations(locked, now)
    SurveyRound.objects.filter(pk=locked.pk).update(
        state=SurveyRound.State.OPEN, opened_at=now, version=F("version") + 1
    )
    survey_round.state, survey_round.opened_at, survey_round.version = (
        SurveyRound.State.OPEN,
        now,
        locked.version + 1,
    )
    _audit(actor, survey_round, "open", request, invitations=count)
    return count


@transaction.atomic
def survey_round_close(*, actor, survey_round: SurveyRound, request=None) -> int:
    """Close an open round: unanswered invitations expire (their links stop working) and account
    managers whose index is below the threshold get an improvement action. Returns actions created.

    `actor` None is the cron command.
    """
    from .actions import improvement_actions_create

    if actor is not None and not may_manage_round(actor, survey_round):
        raise PermissionDenied(_("You may not run a survey round for this unit."))
    locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if locked.state != SurveyRound.State.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    now = timezone.now()
    expired = SurveyInvitation.objects.filter(round=locked, state=SurveyInvitation.State.PENDING).update(
        state=SurveyInvitation.State.EXPIRED
    )
    SurveyRound.objects.filter(pk=locked.pk).update(
        state=SurveyRound.State.CLOSED, closed_at=now, version=F("version") + 1
    )
    survey_round.state, survey_round.closed_at, survey_round.version = (
        SurveyRound.State.CLOSED,
        now,
        locked.version + 1,
    )
    actions = improvement_actions_create(survey_round=survey_round)
    _audit(actor, survey_round, "close", request, expired=expired, actions=actions)
    return actions


__all__ = [
    "may_manage_round",
    "survey_round_close",
    "survey_round_create",
    "survey_round_open",
    "survey_round_targets",
    "survey_round_update",
]
