"""The OpenAPI schema lists choices as enums (from the code's choice sets, or from the preset's data
when the schema is generated) and marks what may be null as nullable."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture
def schema(preset):
    return SchemaGenerator().get_schema(request=None, public=True)


def _component(schema, name):
    return schema["components"]["schemas"][name]


def _enum(schema, prop):
    if "$ref" in prop:
        return _component(schema, prop["$ref"].rsplit("/", 1)[1])["enum"]
    if "allOf" in prop or "oneOf" in prop:
        return [
            value for part in prop.get("allOf", []) + prop.get("oneOf", []) for value in _enum(schema, part)
        ]
    return prop["enum"]


def _parameter(schema, path, name):
    [parameter] = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    return parameter["schema"]


def test_ticket_choices_are_enums(schema):
    ticket = _component(schema, "Ticket")["properties"]
    assert set(_enum(schema, ticket["ticket_type"])) == {"complaint", "quality", "consultation", "suggestion"}
    assert "hotline" in _enum(schema, ticket["channel"])
    assert set(_enum(schema, ticket["priority"])) == {"low", "normal", "high", "urgent"}
    assert "waiting_client" in _enum(schema, ticket["ticket_state"])
    content = _component(schema, "TicketOpenInput")["properties"]
    assert "hotline" in _enum(schema, content["channel"])
    assert "urgent" in _parameter(schema, "/api/v1/tickets/", "priority")["enum"]


def test_visit_and_document_choices_are_enums(schema):
    visit = _component(schema, "Visit")["properties"]
    assert set(_enum(schema, visit["kind"])) == {"regular", "special", "post_loan"}
    assert "reviewed" in _parameter(schema, "/api/v1/planning/logs/", "state")["enum"]
    assert "post_loan" in _parameter(schema, "/api/v1/visits/", "kind")["enum"]


def test_preset_data_is_listed_when_the_schema_is_generated(schema):
    """Tiers, VIP levels and roles are the preset's rows: the list filters name them."""
    tiers = _parameter(schema, "/api/v1/clients/", "tier")["enum"]
    assert "key" in tiers and "ordinary" in tiers
    vip = _parameter(schema, "/api/v1/clients/", "vip_level")["enum"]
    assert len(vip) >= 1
    assert "account_manager" in _parameter(schema, "/api/v1/staff/", "role")["enum"]


def test_ids_and_nullable_fields(schema):
    client_filter = _parameter(schema, "/api/v1/visits/", "client")
    assert client_filter["type"] == "integer" and client_filter["maximum"] == 2**63 - 1
    assert _component(schema, "Client")["properties"]["birth_date"].get("nullable") is True
    assert _component(schema, "Staff")["properties"]["hire_date"].get("nullable") is True
