"""A value the archive already holds is refused with a sentence a user understands: the number is
taken and the way on, never who holds it and never a database constraint's name."""

import pytest
from django.apps import apps
from django.db.models import CheckConstraint, UniqueConstraint

from tests.clients.factories import make_client, resident_id

TAKEN = "此证件号码已在客户档案中"


@pytest.fixture
def held_elsewhere(other_manager):
    """A client of another team, outside the account manager's scope."""
    return make_client(other_manager, "赵敏", id_number=resident_id())


def _no_leak(text: str) -> None:
    assert "client_unique" not in text and "约束" not in text and "constraint" not in text.lower()
    assert "赵敏" not in text and "郭佳" not in text  # neither the client nor his owner


def test_the_api_says_the_id_number_is_taken_and_what_to_do(api_for, account_manager, held_elsewhere):
    response = api_for(account_manager).post(
        "/api/v1/clients/",
        {"name": "钱七", "id_number": held_elsewhere.id_number},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    [message] = response.json()["fields"]["id_number"]
    assert message.startswith(TAKEN) and "移交" in message
    _no_leak(response.content.decode())


def test_the_page_form_says_the_same(client_for, account_manager, held_elsewhere):
    page = client_for(account_manager, HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        "/clients/new/",
        {
            "kind": "individual",
            "name": "钱七",
            "id_number": held_elsewhere.id_number,
            "lifecycle": "prospect",
            "tier": "ordinary",
            "birthday_kind": "solar",
        },
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert TAKEN in html
    _no_leak(html)


def test_no_constraint_is_reported_by_its_name():
    """Every constraint whose failure Django reports with its violation message (check constraints,
    conditional unique constraints) says something of its own: the default names the constraint."""
    raw = [
        f"{model._meta.label}.{constraint.name}"
        for model in apps.get_models()
        if model.__module__.startswith("amdesk.")
        for constraint in model._meta.constraints
        if (isinstance(constraint, CheckConstraint) or getattr(constraint, "condition", None) is not None)
        and isinstance(constraint, CheckConstraint | UniqueConstraint)
        and constraint.violation_error_message == constraint.default_violation_error_message
    ]
    assert raw == []
