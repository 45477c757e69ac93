"""Visit records 拜访记录: who may record, what a record needs, sign-off, edits and findings."""

import base64
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.presets import preset_apply
from amdesk.visits.models import (
    AnomalyKind,
    ChecklistItem,
    ClientLocation,
    FindingOutcome,
    ScheduleEntry,
    Visit,
    VisitFinding,
    VisitSchedule,
)
from amdesk.visits.selectors import access_finding, access_visit, findings_for, visits_for, visits_of_client
from amdesk.visits.services import (
    StaleVisit,
    finding_close,
    may_edit,
    visit_record,
    visit_sign,
    visit_update,
    week_of,
)
from tests.clients.factories import make_client
from tests.visits.factories import PNG_1X1, SIGNATURE, at, place, visit_settings

TODAY = date(2026, 3, 6)
# Two of the anomaly kinds of the bank preset (common.toml's).
FRAUD, CHANGED = "common-suspected-fraud", "common-business-changed"
START = at(TODAY, 9)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(at(TODAY, 18), tick=False)


@pytest.fixture(autouse=True)
def checklist_items(preset):
    ChecklistItem.objects.create(code="t-stock", name="检查库存")
    ChecklistItem.objects.create(code="t-display", name="协助陈列")
    ChecklistItem.objects.create(code="t-retired", name="旧项目", is_active=False)
    ChecklistItem.objects.create(code="t-misuse", name="资金挪用", purpose=ChecklistItem.Purpose.RISK_SIGNAL)
    visit_settings(signature_max_kb=200, record_edit_hours=24)


@pytest.fixture
def client(account_manager):
    return make_client(account_manager, "王小明")


def content(**extra) -> dict:
    return {"started_at": START, "ended_at": START + timedelta(minutes=40), **extra}


def record(actor, client, *, signature: str = SIGNATURE, **data) -> Visit:
    return visit_record(actor=actor, client=client, data=content(**data), signature=signature)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def png_data_url(raw: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(raw).decode()


# Scope


def test_an_account_manager_records_a_visit_to_his_client(account_manager, client):
    visit = record(account_manager, client, checklist=["t-stock"], opinions="希望提高额度")

    visit.refresh_from_db()
    assert (visit.client, visit.owner, visit.org_node) == (client, account_manager, client.org_node)
    assert visit.visited_on == TODAY
    assert visit.minutes == 40
    assert visit.is_signed and visit.signature == SIGNATURE
    assert not visit.planned
    assert list(visits_for(account_manager)) == [visit]


@pytest.mark.parametrize("owner_fixture", ["team2_manager", "other_manager"])
def test_a_client_of_another_team_is_refused(request, account_manager, owner_fixture):
    stranger = make_client(request.getfixturevalue(owner_fixture), "别人的客户")

    with pytest.raises(PermissionDenied):
        record(account_manager, stranger)
    assert not Visit.objects.exists()


def test_visits_are_seen_by_their_maker_and_his_supervisor_only(
    account_manager, team2_manager, supervisor, other_supervisor, other_manager, admin, client
):
    visit = record(account_manager, client)

    assert access_visit(account_manager, visit.pk) == visit
    assert access_visit(supervisor, visit.pk) == visit
    assert access_visit(admin, visit.pk) == visit
    for outsider in (team2_manager, other_manager, other_supervisor):
        with pytest.raises(Http404):
            access_visit(outsider, visit.pk)
        assert not visits_for(outsider).exists()


def test_a_new_owner_sees_the_visits_made_before_the_handover(account_manager, team2_manager, client):
    visit = record(account_manager, client)

    assert list(visits_of_client(team2_manager, client)) == []
    type(client).objects.filter(pk=client.pk).update(owner=team2_manager, org_node=team2_manager.org_node)
    assert list(visits_of_client(team2_manager, client)) == [visit]


# What a record needs


def test_an_on_site_visit_needs_the_signature_or_why_not(account_manager, client):
    with pytest.raises(ValidationError) as excinfo:
        record(account_manager, client, signature="")
    assert "unsigned_reason" in errors_of(excinfo)
    assert not Visit.objects.exists()

    visit = record(account_manager, client, signature="", unsigned_reason="店主外出")
    assert not visit.is_signed and visit.unsigned_reason == "店主外出"


@pytest.mark.parametrize("mode", [Visit.Mode.PHONE, Visit.Mode.VIDEO])
def test_a_remote_visit_needs_no_signature(account_manager, client, mode):
    visit = record(account_manager, client, signature="", mode=mode)

    assert visit.mode == mode and not visit.is_signed


def test_a_special_visit_says_what_happened(account_manager, client):
    with pytest.raises(ValidationError) as excinfo:
        record(account_manager, client, kind=Visit.Kind.SPECIAL, special_reason="  ")
    assert "special_reason" in errors_of(excinfo)

    visit = record(account_manager, client, kind=Visit.Kind.SPECIAL, special_reason="店面失火")
    assert visit.kind == Visit.Kind.SPECIAL


def test_a_visit_cannot_end_before_it_starts(account_manager, client):
    with pytest.raises(ValidationError) as excinfo:
        record(account_manager, client, ended_at=START - timedelta(minutes=1))
    assert "ended_at" in errors_of(excinfo)


def test_a_visit_in_the_future_is_refused(account_manager, client):
    tomorrow = at(TODAY + timedelta(days=1), 9)
    with pytest.raises(ValidationError) as excinfo:
        record(account_manager, client, started_at=tomorrow, ended_at=tomorrow + timedelta(minutes=30))
    assert "started_at" in errors_of(excinfo)
    assert not Visit.objects.exists()


def test_a_visit_without_start_time_starts_now(account_manager, client):
    visit = visit_record(actor=account_manager, client=client, data={"mode": Visit.Mode.PHONE})

    assert visit.started_at == at(TODAY, 18) and visit.visited_on == TODAY


@pytest.mark.parametrize("code", ["t-unknown", "t-retired", "t-misuse"])
def test_only_active_visit_checklist_items_are_accepted(account_manager, client, code):
    with pytest.raises(ValidationError) as excinfo:
        record(account_manager, client, checklist=["t-stock", code])
    assert "checklist" in errors_of(excinfo)
    assert code in errors_of(excinfo)["checklist"][0]


def test_latitude_and_longitude_come_together(account_manager, client):
    with pytest.raises(ValidationError) as excinfo:
        record(account_manager, client, latitude=Decimal("30.25"))
    assert "latitude" in errors_of(excinfo)


def test_a_next_step_date_needs_the_next_step(account_manager, client):
    with pytest.raises(ValidationError) as excinfo:
        record(account_manager, client, next_step_on=TODAY + timedelta(days=7))
    assert "next_step" in errors_of(excinfo)


def test_the_next_step_is_not_before_the_visit(account_manager, client):
    with pytest.raises(ValidationError) as excinfo:
        record(account_manager, client, next_step="回访", next_step_on=TODAY - timedelta(days=1))
    assert "next_step_on" in errors_of(excinfo)

    visit = record(account_manager, client, next_step="回访", next_step_on=TODAY)
    assert visit.next_step_on == TODAY


# The signature


@pytest.mark.parametrize(
    "signature",
    [
        "data:image/jpeg;base64," + base64.b64encode(PNG_1X1).decode(),  # not declared a PNG
        png_data_url(b"GIF89a not a png at all"),  # declared a PNG, is not one
        "data:image/png;base64,%%%not-base64%%%",
        "data:image/png;base64," + base64.b64encode(PNG_1X1).decode()[:-3],  # cut short
        "iVBORw0KGgo",  # no data URL at all
    ],
)
def test_a_bad_signature_is_refused_with_a_clear_error(account_manager, client, signature):
    with pytest.raises(ValidationError) as excinfo:
        record(account_manager, client, signature=signature)

    assert list(errors_of(excinfo)) == ["signature"]
    assert errors_of(excinfo)["signature"][0]
    assert not Visit.objects.exists()


def test_a_signature_larger_than_the_setting_is_refused(account_manager, client):
    visit_settings(signature_max_kb=10)
    large = png_data_url(PNG_1X1 + b"\0" * 11 * 1024)

    with pytest.raises(ValidationError) as excinfo:
        record(account_manager, client, signature=large)
    assert "signature" in errors_of(excinfo)

    visit_settings(signature_max_kb=20)
    assert record(account_manager, client, signature=large).is_signed


# Findings for the supervisor


def test_what_is_seen_on_a_visit_is_raised_once_per_kind(
    account_manager, supervisor, other_supervisor, client
):
    # Given a visit that wrote down an anomaly and ticked two of the bank's anomaly kinds
    visit = record(
        account_manager,
        client,
        market_anomaly="隔壁小店低价销售",
        anomalies=[FRAUD, CHANGED],
    )

    # then one finding of each kind waits for the supervisor
    findings = VisitFinding.objects.filter(visit=visit)
    assert sorted(findings.values_list("kind", flat=True)) == sorted(
        [VisitFinding.MARKET_ANOMALY, FRAUD, CHANGED]
    )
    assert {f.kind_label for f in findings if f.anomaly_id} == {
        "疑似非法集资或诈骗",
        "经营异常（停业、搬迁、转让）",
    }
    assert {f.note for f in findings} == {"隔壁小店低价销售"}
    assert {(f.client_id, f.owner_id, f.org_node_id) for f in findings} == {
        (client.pk, account_manager.pk, client.org_node_id)
    }
    assert set(findings_for(supervisor, open_only=True)) == set(findings)
    assert set(findings_for(account_manager)) == set(findings)
    # and the other team's supervisor sees none of them
    assert not findings_for(other_supervisor).exists()
    with pytest.raises(Http404):
        access_finding(other_supervisor, findings[0].pk)


def test_an_anomaly_kind_alone_raises_one_finding(account_manager, client):
    visit = record(account_manager, client, anomalies=[FRAUD])

    assert list(visit.findings.values_list("kind", "anomaly__code")) == [(FRAUD, FRAUD)]


def test_the_anomaly_kinds_are_the_industrys(account_manager, client):
    # Given the bank preset: tobacco's unlicensed trading is not a bank's anomaly
    with pytest.raises(ValidationError) as excinfo:
        record(account_manager, client, anomalies=["tobacco-unlicensed-trading"])
    assert "anomalies" in errors_of(excinfo)
    assert not AnomalyKind.objects.filter(code__startswith="tobacco-", is_active=True).exists()

    # When the tobacco preset is applied, its kinds are offered and the bank's retired
    preset_apply(actor=None, code="tobacco")
    assert list(AnomalyKind.objects.filter(is_active=True).values_list("name", flat=True)) == [
        "无证经营",
        "价格违规",
    ]
    visit = record(account_manager, client, anomalies=["tobacco-price-violation"])
    assert visit.findings.get().kind_label == "价格违规"
    with pytest.raises(ValidationError):
        record(account_manager, client, anomalies=[FRAUD])


def test_a_visit_that_saw_nothing_raises_nothing(account_manager, client):
    record(account_manager, client, market_anomaly="   ", opinions="一切正常")

    assert not VisitFinding.objects.exists()


# Where the client is


def test_an_on_site_position_becomes_the_clients_location(account_manager, client):
    record(account_manager, client, latitude=Decimal("30.274100"), longitude=Decimal("120.155100"))

    location = ClientLocation.objects.get(client=client)
    assert (location.latitude, location.longitude) == (Decimal("30.274100"), Decimal("120.155100"))
    assert location.source == ClientLocation.Source.VISIT


def test_an_entered_location_is_kept(account_manager, client):
    place(client, 30.2, 120.1, "西湖区")

    record(account_manager, client, latitude=Decimal("30.274100"), longitude=Decimal("120.155100"))

    location = ClientLocation.objects.get(client=client)
    assert (location.latitude, location.longitude, location.area) == (
        Decimal("30.200000"),
        Decimal("120.100000"),
        "西湖区",
    )
    assert location.source == ClientLocation.Source.MANUAL


def test_a_location_known_by_area_only_gets_the_position(account_manager, client):
    place(client, None, None, "西湖区")

    record(account_manager, client, latitude=Decimal("30.274100"), longitude=Decimal("120.155100"))

    location = ClientLocation.objects.get(client=client)
    assert (location.latitude, location.area, location.source) == (
        Decimal("30.274100"),
        "西湖区",
        ClientLocation.Source.VISIT,
    )


def test_a_phone_call_does_not_say_where_the_client_is(account_manager, client):
    record(
        account_manager,
        client,
        mode=Visit.Mode.PHONE,
        latitude=Decimal("30.274100"),
        longitude=Decimal("120.155100"),
    )

    assert not ClientLocation.objects.exists()


# Planned visits


@pytest.fixture
def schedule(account_manager):
    return VisitSchedule.objects.create(
        owner=account_manager,
        org_node=account_manager.org_node,
        week_start=week_of(TODAY),
        state=VisitSchedule.State.SUBMITTED,
    )


def test_a_visit_for_a_schedule_entry_is_planned(account_manager, client, schedule):
    entry = ScheduleEntry.objects.create(schedule=schedule, client=client, day=TODAY)

    visit = visit_record(
        actor=account_manager, client=client, data=content(), entry=entry, signature=SIGNATURE
    )

    assert visit.planned and visit.entry == entry
    entry.refresh_from_db()
    assert entry.visit == visit
    with pytest.raises(ValidationError) as excinfo:
        visit_record(actor=account_manager, client=client, data=content(), entry=entry, signature=SIGNATURE)
    assert "entry" in errors_of(excinfo)


def test_another_account_managers_entry_is_refused(account_manager, team2_manager, client, supervisor):
    theirs = VisitSchedule.objects.create(
        owner=team2_manager, org_node=team2_manager.org_node, week_start=week_of(TODAY)
    )
    entry = ScheduleEntry.objects.create(schedule=theirs, client=client, day=TODAY)

    with pytest.raises(ValidationError) as excinfo:
        visit_record(actor=account_manager, client=client, data=content(), entry=entry, signature=SIGNATURE)
    assert "entry" in errors_of(excinfo)
    assert not Visit.objects.exists()


def test_an_entry_for_another_client_is_refused(account_manager, client, schedule):
    other = make_client(account_manager, "李四")
    entry = ScheduleEntry.objects.create(schedule=schedule, client=other, day=TODAY)

    with pytest.raises(ValidationError):
        visit_record(actor=account_manager, client=client, data=content(), entry=entry, signature=SIGNATURE)


# Audit


def test_recording_signing_and_changing_are_audited(account_manager, client):
    visit = record(account_manager, client, signature="", unsigned_reason="店主外出")
    visit_update(actor=account_manager, visit=visit, data={"opinions": "希望上门"})
    visit_sign(actor=account_manager, visit=visit, signature=SIGNATURE, signer_name="王小明")

    entries = AuditEntry.objects.filter(target_type="visits.visit", target_id=str(visit.pk)).order_by("id")
    assert [e.event for e in entries] == [
        AuditEvent.VISIT_RECORDED,
        AuditEvent.VISIT_CHANGED,
        AuditEvent.VISIT_SIGNED,
    ]
    assert all(e.actor_id == account_manager.pk for e in entries)
    assert entries[0].detail == {"client": client.pk, "planned": False, "signed": False}
    assert entries[1].detail == {"fields": ["opinions"]}


# Editing


@pytest.fixture
def unsigned(account_manager, client):
    return record(account_manager, client, signature="", unsigned_reason="店主外出")


def test_the_maker_edits_an_unsigned_record(account_manager, unsigned):
    visit = visit_update(
        actor=account_manager, visit=unsigned, data={"effect": "效果良好", "checklist": ["t-display"]}
    )

    visit.refresh_from_db()
    assert (visit.effect, visit.checklist, visit.version) == ("效果良好", ["t-display"], 2)


def test_only_the_maker_edits_a_record(supervisor, team2_manager, unsigned):
    for someone in (supervisor, team2_manager):
        assert not may_edit(someone, unsigned)
        with pytest.raises(PermissionDenied):
            visit_update(actor=someone, visit=unsigned, data={"effect": "改"})
    unsigned.refresh_from_db()
    assert unsigned.effect == ""


def test_a_signed_record_is_not_edited(account_manager, client):
    visit = record(account_manager, client)

    assert not may_edit(account_manager, visit)
    with pytest.raises(PermissionDenied):
        visit_update(actor=account_manager, visit=visit, data={"effect": "改"})


def test_a_record_is_editable_for_the_hours_the_settings_allow(account_manager, unsigned, time_machine):
    time_machine.move_to(at(TODAY, 18) + timedelta(hours=23, minutes=59), tick=False)
    assert may_edit(account_manager, unsigned)

    time_machine.move_to(at(TODAY, 18) + timedelta(hours=24, minutes=1), tick=False)
    with pytest.raises(PermissionDenied):
        visit_update(actor=account_manager, visit=unsigned, data={"effect": "太晚了"})

    visit_settings(record_edit_hours=48)
    assert visit_update(actor=account_manager, visit=unsigned, data={"effect": "可以改"}).effect == "可以改"


def test_a_stale_edit_is_refused(account_manager, unsigned):
    opened_twice = Visit.objects.get(pk=unsigned.pk)
    visit_update(actor=account_manager, visit=unsigned, data={"opinions": "第一次"})

    with pytest.raises(StaleVisit):
        visit_update(actor=account_manager, visit=opened_twice, data={"opinions": "第二次"})
    with pytest.raises(StaleVisit):
        visit_update(actor=account_manager, visit=unsigned, data={"opinions": "第三次"}, expected_version=1)
    unsigned.refresh_from_db()
    assert (unsigned.opinions, unsigned.version) == ("第一次", 2)


def test_an_edit_checks_the_record_like_recording_does(account_manager, unsigned):
    with pytest.raises(ValidationError) as excinfo:
        visit_update(actor=account_manager, visit=unsigned, data={"ended_at": START - timedelta(hours=1)})
    assert "ended_at" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        visit_update(
            actor=account_manager, visit=Visit.objects.get(pk=unsigned.pk), data={"checklist": ["x"]}
        )
    assert "checklist" in errors_of(excinfo)
    assert Visit.objects.get(pk=unsigned.pk).version == 1


def test_an_unsigned_on_site_record_keeps_its_reason(account_manager, unsigned, client):
    with pytest.raises(ValidationError) as excinfo:
        visit_update(actor=account_manager, visit=unsigned, data={"unsigned_reason": " "})
    assert "unsigned_reason" in errors_of(excinfo)

    call = record(account_manager, client, signature="", mode=Visit.Mode.PHONE)
    with pytest.raises(ValidationError) as excinfo:
        visit_update(actor=account_manager, visit=call, data={"mode": Visit.Mode.ON_SITE})
    assert "unsigned_reason" in errors_of(excinfo)


def test_moving_the_start_moves_the_visit_day(account_manager, unsigned):
    earlier = at(TODAY - timedelta(days=1), 15)
    visit = visit_update(
        actor=account_manager,
        visit=unsigned,
        data={"started_at": earlier, "ended_at": earlier + timedelta(minutes=20)},
    )

    assert visit.visited_on == TODAY - timedelta(days=1) and visit.minutes == 20


def test_findings_are_added_on_edit_and_never_removed(account_manager, unsigned):
    visit = visit_update(actor=account_manager, visit=unsigned, data={"anomalies": [FRAUD]})
    assert list(visit.findings.values_list("kind", flat=True)) == [FRAUD]

    visit = visit_update(actor=account_manager, visit=visit, data={"anomalies": [], "market_anomaly": "假币"})
    assert sorted(visit.findings.values_list("kind", flat=True)) == sorted(
        [VisitFinding.MARKET_ANOMALY, FRAUD]
    )
    visit_update(actor=account_manager, visit=visit, data={"market_anomaly": "假烟, 已报告"})
    assert VisitFinding.objects.count() == 2


def test_an_edit_keeps_a_checklist_item_retired_since(account_manager, client):
    visit = record(account_manager, client, signature="", unsigned_reason="外出", checklist=["t-stock"])
    ChecklistItem.objects.filter(code="t-stock").update(is_active=False)

    visit = visit_update(actor=account_manager, visit=visit, data={"effect": "补记"})

    assert (visit.effect, visit.checklist) == ("补记", ["t-stock"])


def test_an_edit_keeps_an_anomaly_kind_retired_since(account_manager, client):
    visit = record(account_manager, client, signature="", unsigned_reason="外出", anomalies=[FRAUD])
    AnomalyKind.objects.filter(code=FRAUD).update(is_active=False)

    visit = visit_update(actor=account_manager, visit=visit, data={"effect": "补记"})

    assert (visit.effect, visit.anomalies) == ("补记", [FRAUD])


# Signing


def test_the_client_signs_once(account_manager, unsigned):
    visit = visit_sign(actor=account_manager, visit=unsigned, signature=SIGNATURE, signer_name="王小明")

    assert visit.is_signed and visit.signer_name == "王小明" and visit.unsigned_reason == ""
    with pytest.raises(ValidationError) as excinfo:
        visit_sign(actor=account_manager, visit=Visit.objects.get(pk=visit.pk), signature=SIGNATURE)
    assert "signature" in errors_of(excinfo)
    with pytest.raises(PermissionDenied):
        visit_update(actor=account_manager, visit=visit, data={"effect": "签后修改"})


def test_only_the_maker_collects_the_signature(supervisor, team2_manager, unsigned):
    for someone in (supervisor, team2_manager):
        with pytest.raises(PermissionDenied):
            visit_sign(actor=someone, visit=unsigned, signature=SIGNATURE)
    assert not Visit.objects.get(pk=unsigned.pk).is_signed


def test_a_bad_signature_is_refused_on_signing(account_manager, unsigned):
    with pytest.raises(ValidationError) as excinfo:
        visit_sign(actor=account_manager, visit=unsigned, signature="data:image/png;base64,???")
    assert "signature" in errors_of(excinfo)
    assert not Visit.objects.get(pk=unsigned.pk).is_signed


# Closing findings


@pytest.fixture
def finding(account_manager, client):
    visit = record(account_manager, client, anomalies=[FRAUD], market_anomaly="门口有人推销高息理财")
    return visit.findings.get(kind=FRAUD)


def test_the_supervisor_records_what_was_done(supervisor, finding):
    closed = finding_close(actor=supervisor, finding=finding, outcome="warning", note=" 已警告 ")

    assert not closed.is_open
    assert (closed.outcome.code, closed.outcome_note, closed.closed_by) == ("warning", "已警告", supervisor)
    assert str(closed.outcome) == "已提醒客户"
    assert list(findings_for(supervisor, open_only=True).values_list("kind", flat=True)) == [
        VisitFinding.MARKET_ANOMALY
    ]
    assert AuditEntry.objects.filter(
        event=AuditEvent.VISIT_FINDING_CLOSED, target_id=str(finding.pk), actor_id=supervisor.pk
    ).exists()


def test_an_account_manager_does_not_close_findings(account_manager, finding):
    with pytest.raises(PermissionDenied):
        finding_close(actor=account_manager, finding=finding, outcome="no-action")
    assert VisitFinding.objects.get(pk=finding.pk).is_open


def test_another_teams_supervisor_does_not_close_findings(other_supervisor, finding):
    with pytest.raises(PermissionDenied):
        finding_close(actor=other_supervisor, finding=finding, outcome="no-action")
    assert VisitFinding.objects.get(pk=finding.pk).is_open


def test_an_outcome_that_needs_a_note_says_why(supervisor, finding):
    with pytest.raises(ValidationError) as excinfo:
        finding_close(actor=supervisor, finding=finding, outcome="grade-review")
    assert "note" in errors_of(excinfo)

    closed = finding_close(actor=supervisor, finding=finding, outcome="grade-review", note="降为二级")
    assert closed.outcome.code == "grade-review"


def test_an_unknown_retired_or_missing_outcome_is_refused(supervisor, finding):
    FindingOutcome.objects.filter(code="referred").update(is_active=False)
    for outcome in ("ignored", "referred", "", None):
        with pytest.raises(ValidationError) as excinfo:
            finding_close(actor=supervisor, finding=finding, outcome=outcome)
        assert "outcome" in errors_of(excinfo)
    assert VisitFinding.objects.get(pk=finding.pk).is_open


def test_a_finding_is_closed_once(supervisor, branch_head, finding):
    finding_close(actor=supervisor, finding=finding, outcome="warning")

    with pytest.raises(ValidationError):
        finding_close(actor=branch_head, finding=finding, outcome="referred")
    finding.refresh_from_db()
    assert (finding.outcome.code, finding.closed_by) == ("warning", supervisor)
