import pytest

from amdesk.attachments.selectors import resolve_target
from amdesk.attachments.services import attachment_upload
from amdesk.visits.services import inspection_add
from tests.attachments.factories import photo_jpeg, slip_pdf, upload
from tests.clients.factories import make_client
from tests.orgs.factories import StaffFactory
from tests.service.factories import open_ticket
from tests.visits.factories import record_visit


@pytest.fixture
def product_manager(org, supervisor):
    """Reads his team's records (subtree scope of his own node) but may neither change them nor see
    personal data."""
    return StaffFactory(username="pm", full_name="周产品", org_node=org.tm1, roles=["product_manager"])


@pytest.fixture
def client_of_am(account_manager):
    return make_client(account_manager, "王小明")


@pytest.fixture
def visit(account_manager, client_of_am):
    return record_visit(account_manager, client_of_am)


@pytest.fixture
def ticket(account_manager, client_of_am):
    return open_ticket(account_manager, client_of_am)


@pytest.fixture
def inspection(account_manager, client_of_am):
    from django.utils import timezone

    return inspection_add(
        actor=account_manager, client=client_of_am, due_on=timezone.localdate(), reason="大额还款逾期"
    )


@pytest.fixture
def attach():
    """attach(actor, kind, obj, category="onsite_photo", name=…, data=…) through the real service."""

    def make(actor, kind, obj, category="onsite_photo", name=None, data=None, note=""):
        if data is None:
            data = slip_pdf() if name and name.endswith(".pdf") else photo_jpeg(64, 48)
        name = name or "photo.jpg"
        target = resolve_target(actor, kind, obj.pk)
        return attachment_upload(
            actor=actor, target=target, upload=upload(name, data), category=category, note=note
        )

    return make
