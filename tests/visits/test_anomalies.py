"""Anomaly kinds and finding outcomes come from the industry preset (issue 14): a bank's pages speak
of a bank's anomalies, not tobacco's, and the supervisor chooses an outcome, none is preselected."""

import re
from datetime import date

import pytest
from django.utils import timezone

from amdesk.presets import preset_apply
from amdesk.visits.models import AnomalyKind, Visit, VisitFinding
from tests.clients.factories import make_client
from tests.visits.factories import SIGNATURE, at, record_visit

TODAY = date(2026, 3, 6)
FRAUD = "common-suspected-fraud"
TOBACCO_WORDS = ("无证经营", "价格违规", "专卖")


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(at(TODAY, 15), tick=False)


def test_the_record_form_offers_the_banks_anomaly_kinds(preset, account_manager, client_for):
    client = make_client(account_manager, "王小明")
    page = client_for(account_manager)

    html = page.get(f"/visits/new/?client={client.pk}").content.decode()

    assert "疑似非法集资或诈骗" in html and f'value="{FRAUD}"' in html
    assert not any(word in html for word in TOBACCO_WORDS)
    # and ticking one raises a finding of that kind
    response = page.post(
        "/visits/new/",
        {
            "client": client.pk,
            "kind": "regular",
            "mode": "on_site",
            "started_at": "2026-03-06T09:00",
            "ended_at": "2026-03-06T09:40",
            "anomalies": [FRAUD],
            "signature": SIGNATURE,
            "signer_name": "王小明",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert visit.anomalies == [FRAUD]
    assert list(visit.findings.values_list("kind", flat=True)) == [FRAUD]
    assert "疑似非法集资或诈骗" in page.get(f"/visits/{visit.pk}/").content.decode()


def test_the_tobacco_preset_offers_its_own_kinds_and_outcomes(
    preset, account_manager, supervisor, client_for
):
    preset_apply(actor=None, code="tobacco")
    client = make_client(account_manager, "城东烟酒店")
    record_visit(account_manager, client, TODAY, anomalies=["tobacco-unlicensed-trading"])

    assert "无证经营" in client_for(account_manager).get(f"/visits/new/?client={client.pk}").content.decode()
    html = client_for(supervisor).get("/visits/findings/").content.decode()
    assert "无证经营" in html and "已移交专卖管理部门" in html
    assert "疑似非法集资或诈骗" not in html


def test_no_outcome_is_preselected_on_the_findings_queue(preset, account_manager, supervisor, client_for):
    # Given an open finding on the supervisor's queue
    client = make_client(account_manager, "王小明")
    visit = record_visit(account_manager, client, TODAY, anomalies=[FRAUD])
    finding = visit.findings.get()
    page = client_for(supervisor)

    html = page.get("/visits/findings/").content.decode()

    # then the outcome list is the bank's, with the empty choice selected and required
    select = re.search(r'<select[^>]*name="outcome"[^>]*>(.*?)</select>', html, re.S)
    assert select and "required" in select.group(0)
    options = re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', select.group(1))
    assert [value for value, _attrs, _label in options] == [
        "",
        "warning",
        "grade-review",
        "referred",
        "no-action",
    ]
    assert [value for value, attrs, _label in options if "selected" in attrs] == [""]
    assert not any(word in html for word in TOBACCO_WORDS)
    # and posting without choosing closes nothing
    page.post(f"/visits/findings/{finding.pk}/close/", {"outcome": "", "note": ""})
    assert VisitFinding.objects.get(pk=finding.pk).is_open
    page.post(f"/visits/findings/{finding.pk}/close/", {"outcome": "referred"})
    closed = VisitFinding.objects.get(pk=finding.pk)
    assert closed.outcome.code == "referred"
    assert "已报告风险或合规部门" in page.get("/visits/findings/?all=1").content.decode()


def test_editing_a_record_keeps_an_anomaly_kind_retired_since(preset, account_manager, client_for):
    # Given an unsigned record that ticked a kind the bank has retired since
    client = make_client(account_manager, "王小明")
    visit = record_visit(account_manager, client, TODAY, signed=False, anomalies=[FRAUD])
    AnomalyKind.objects.filter(code=FRAUD).update(is_active=False)
    page = client_for(account_manager)

    # the edit page still shows it ticked, and saving another change keeps it
    html = page.get(f"/visits/{visit.pk}/edit/").content.decode()
    assert re.search(rf'value="{FRAUD}"\s+checked', html)
    response = page.post(
        f"/visits/{visit.pk}/edit/",
        {
            "kind": "regular",
            "mode": "on_site",
            "started_at": timezone.localtime(visit.started_at).strftime("%Y-%m-%dT%H:%M"),
            "ended_at": timezone.localtime(visit.ended_at).strftime("%Y-%m-%dT%H:%M"),
            "anomalies": [FRAUD],
            "effect": "补记效果",
            "unsigned_reason": visit.unsigned_reason,
            "version": visit.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    visit.refresh_from_db()
    assert (visit.effect, visit.anomalies) == ("补记效果", [FRAUD])
