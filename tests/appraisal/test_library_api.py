"""API of the indicator library: reads for everyone signed in, writes for the appraisal admin,
manual values in the reader's scope, 400 with a Chinese reason, 409 on stale edits."""

from datetime import date
from decimal import Decimal

import pytest

from amdesk.appraisal.models import Indicator, ManualValue

BASE = "/api/v1/appraisal/"


def _manual(staff, value, indicator_code="bank-market-share", admin=None):
    return ManualValue.objects.create(
        indicator=Indicator.objects.get(code=indicator_code), staff=staff, period_start=date(2026, 6, 1),
        period_end=date(2026, 6, 30), value=Decimal(value), entered_by=admin,
    )  # fmt: skip


def test_everyone_reads_the_library_with_filters(api_for, account_manager, django_assert_max_num_queries):
    api = api_for(account_manager)
    with django_assert_max_num_queries(6):
        response = api.get(BASE + "indicators/", {"dimension": "product"})
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()}
    assert "bank-cross-sell" in codes and "bank-aum" not in codes
    Indicator.objects.filter(code="bank-cross-sell").update(is_active=False)
    inactive = api.get(BASE + "indicators/", {"active": "false"}).json()
    assert [row["code"] for row in inactive] == ["bank-cross-sell"]
    one = api.get(BASE + f"indicators/{inactive[0]['id']}/").json()
    assert one["params"] == {"min_lines": 2} and one["dimension"] == "product"


def test_sources_registry(api_for, account_manager):
    rows = {row["code"]: row for row in api_for(account_manager).get(BASE + "sources/").json()}
    assert len(rows) == 21
    assert rows["cross_sell_rate"]["params"][0] | {"label": ""} == {
        "name": "min_lines", "kind": "int", "default": 2, "label": "", "choices": []
    }  # fmt: skip
    assert rows["sla_rate"]["params"][0]["choices"] == ["feedback", "resolution"]
    assert rows["aum_growth"]["empty_is_none"] is True


def _new(**changes):
    return {"code": "api-cross", "name": "三线交叉", "dimension": "product", "source": "cross_sell_rate",
            "params": {"min_lines": 3}, "unit": "%", **changes}  # fmt: skip


@pytest.mark.parametrize("who", ["account_manager", "supervisor", "branch_head"])
def test_only_the_appraisal_admin_writes(request, api_for, who):
    api = api_for(request.getfixturevalue(who))
    assert api.post(BASE + "indicators/", _new(), format="json").status_code == 403
    indicator = Indicator.objects.get(code="bank-aum")
    assert api.patch(BASE + f"indicators/{indicator.pk}/", {"name": "x"}, format="json").status_code == 403
    body = {"indicator": 1, "kind": "month", "start": "2026-06-01", "values": []}
    assert api.put(BASE + "manual-values/", body, format="json").status_code == 403


def test_admin_creates_and_bad_input_gets_a_chinese_reason(api_for, appraisal_admin):
    api = api_for(appraisal_admin)
    response = api.post(BASE + "indicators/", _new(), format="json")
    assert response.status_code == 201 and response.json()["params"] == {"min_lines": 3}
    response = api.post(BASE + "indicators/", _new(code="api-2", source="market_share"), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["fields"]["source"] == ["未知的指标来源 market_share。"]
    response = api.post(BASE + "indicators/", _new(code="api-3", params={"min_lines": "3"}), format="json")
    assert response.json()["fields"]["params"] == ["参数 min_lines 的值类型不正确。"]


def test_patch_checks_the_fingerprint(api_for, appraisal_admin):
    api = api_for(appraisal_admin)
    indicator = Indicator.objects.get(code="bank-cross-sell")
    read = api.get(BASE + f"indicators/{indicator.pk}/").json()["fingerprint"]
    first = api.patch(
        BASE + f"indicators/{indicator.pk}/", {"name": "交叉销售", "fingerprint": read}, format="json"
    )
    assert first.status_code == 200
    late = api.patch(BASE + f"indicators/{indicator.pk}/", {"unit": "个", "fingerprint": read}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "stale"
    moved = api.patch(BASE + f"indicators/{indicator.pk}/", {"code": "renamed"}, format="json")
    assert moved.status_code == 400
    indicator.refresh_from_db()
    assert (indicator.code, indicator.name, indicator.unit) == ("bank-cross-sell", "交叉销售", "%")


def test_manual_values_are_read_in_scope(
    api_for, appraisal_admin, account_manager, team2_manager, other_manager, supervisor
):
    for person in (account_manager, team2_manager, other_manager):
        _manual(person, 10, admin=appraisal_admin)

    def staff_seen(user):
        rows = api_for(user).get(BASE + "manual-values/", {"kind": "month", "start": "2026-06-09"}).json()
        return {row["staff"] for row in rows}

    assert staff_seen(account_manager) == {account_manager.pk}
    assert staff_seen(supervisor) == {account_manager.pk, team2_manager.pk}
    assert staff_seen(appraisal_admin) == {account_manager.pk, team2_manager.pk, other_manager.pk}


def test_put_manual_values_with_expected(api_for, appraisal_admin, account_manager, team2_manager):
    api = api_for(appraisal_admin)
    indicator = Indicator.objects.get(code="bank-market-share")
    body = {"indicator": indicator.pk, "kind": "month", "start": "2026-06-09",
            "values": [{"staff": account_manager.pk, "value": "7.5", "expected": None}]}  # fmt: skip
    response = api.put(BASE + "manual-values/", body, format="json")
    assert response.status_code == 200
    assert [(row["staff"], row["value"]) for row in response.json()] == [(account_manager.pk, "7.5000")]
    stale = {**body, "values": [{"staff": account_manager.pk, "value": "9", "expected": None}]}
    assert api.put(BASE + "manual-values/", stale, format="json").status_code == 409
    assert ManualValue.objects.get().value == Decimal("7.5")
    computed = {**body, "indicator": Indicator.objects.get(code="bank-aum").pk}
    response = api.put(BASE + "manual-values/", computed, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["indicator"] == ["只有手工指标需要录入数值。"]
    bad = api.put(BASE + "manual-values/", {**body, "kind": "week"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["fields"]
