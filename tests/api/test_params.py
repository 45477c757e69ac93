"""Ids, numbers and dates past what the database or date arithmetic can hold are a 400 in the
caller's language naming the parameter, on every list filter and action (they were 500s)."""

import pytest

from amdesk.core.limits import DATE_MAX, DATE_MIN

HUGE = "9" * 30  # past any 64-bit integer

PARAMETERS = [
    ("/api/v1/visits/", {"client": HUGE}, "client"),
    ("/api/v1/visits/", {"owner": HUGE}, "owner"),
    ("/api/v1/visits/", {"date_from": "9999-12-31"}, "date_from"),
    ("/api/v1/visit-schedules/", {"week": "9999-12-31"}, "week"),
    ("/api/v1/tickets/", {"client": HUGE}, "client"),
    ("/api/v1/tickets/", {"owner": "-1"}, "owner"),
    ("/api/v1/planning/logs/", {"owner": HUGE}, "owner"),
    ("/api/v1/planning/logs/", {"date_to": "0001-01-01"}, "date_to"),
    ("/api/v1/planning/missing-logs/", {"date_to": "9999-12-31"}, "date_to"),
    ("/api/v1/planning/missing-logs/", {"owner": HUGE}, "owner"),
    ("/api/v1/planning/board/", {"period": "week", "date": "9999-12-31"}, "date"),
    ("/api/v1/planning/board/", {"period": "month", "date": "0001-01-01"}, "date"),
    ("/api/v1/planning/performance/", {"owner": HUGE}, "owner"),
    ("/api/v1/planning/performance/", {"month": "9999-12"}, "month"),
    ("/api/v1/planning/followups/", {"owner": HUGE}, "owner"),
    ("/api/v1/service-kpis/", {"start": "0001-01-01", "end": "9999-12-31"}, "start"),
    ("/api/v1/satisfaction-index/", {"round": HUGE}, "round"),
    ("/api/v1/satisfaction-index/", {"quarter": "0000-Q1"}, "quarter"),
    ("/api/v1/survey-invitations/", {"round": HUGE}, "round"),
]


@pytest.mark.parametrize(("url", "params", "field"), PARAMETERS)
def test_a_parameter_out_of_range_is_a_400_naming_it(url, params, field, api_for, supervisor):
    response = api_for(supervisor).get(url, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400, (url, response.status_code)
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]
    assert body["message"].startswith("部分数据无效")


def test_the_date_bounds_are_said_in_the_callers_language(api_for, supervisor):
    response = api_for(supervisor).get(
        "/api/v1/planning/board/", {"date": "9999-12-31"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    [message] = response.json()["fields"]["date"]
    assert DATE_MIN.isoformat() in message and DATE_MAX.isoformat() in message
    assert "日期" in message


def test_marking_alerts_read_with_a_huge_id_is_a_400(api_for, account_manager):
    response = api_for(account_manager).post(
        "/api/v1/service-alerts/read/", {"ids": [int(HUGE)]}, format="json"
    )
    assert response.status_code == 400
    assert "ids" in response.json()["fields"]


def test_the_edges_of_the_range_are_answered(api_for, supervisor):
    api = api_for(supervisor)
    for day in (DATE_MIN, DATE_MAX):
        assert (
            api.get("/api/v1/planning/board/", {"period": "week", "date": day.isoformat()}).status_code == 200
        )
        assert (
            api.get("/api/v1/planning/board/", {"period": "month", "date": day.isoformat()}).status_code
            == 200
        )
    kpis = api.get("/api/v1/service-kpis/", {"start": DATE_MIN.isoformat(), "end": DATE_MAX.isoformat()})
    assert kpis.status_code in (200, 400)  # a period too long to report is refused, never a crash


def test_a_body_date_outside_the_range_is_refused(api_for, account_manager):
    """A work log of the year 401 was created (201) with a due time the schema could not express."""
    response = api_for(account_manager).post(
        "/api/v1/planning/logs/", {"day": "0401-05-28"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert "day" in response.json()["fields"]
