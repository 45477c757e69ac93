"""The demo shows the import: one fair list imported, one waiting for corrections with its report,
one waiting at the mapping step with the reasons of its guesses."""

import openpyxl
import pytest
from django.conf import settings

from amdesk.clients.imports import services
from amdesk.clients.models import Client, ClientOwnership, ImportJob
from amdesk.demo.builder import DemoBuilder
from amdesk.demo.imports import CLEAN_ROWS


@pytest.mark.django_db
def test_demo_has_a_done_a_waiting_and_a_mapping_import():
    DemoBuilder(industry="bank", seed=7, clients=50).run()
    done, waiting, mapping = ImportJob.objects.order_by("id")
    assert done.state == ImportJob.State.DONE and done.created == CLEAN_ROWS
    assert done.created_by.username == "am01"
    assert ClientOwnership.objects.filter(how="import", owner=done.created_by).count() == CLEAN_ROWS
    assert Client.objects.filter(remarks="理财博览会", owner=done.created_by).count() == CLEAN_ROWS
    # The waiting list: three rows wrong, nothing of it in the archive, the report downloadable.
    assert waiting.state == ImportJob.State.REJECTED and waiting.rejected == 3
    assert {p.row_no for p in waiting.problems.all()} == {5, 7, 9}
    report = openpyxl.load_workbook(settings.AMDESK_IMPORT_DIR / waiting.report_path).active
    assert len(list(report.values)) == 1 + 8
    # The branch's own form waits at the mapping, each column guessed by meaning
    assert mapping.state == ImportJob.State.UPLOADED
    assert mapping.mapping == ["name", "id_number", "mobile", "lifecycle", "remarks"]
    assert [reason["how"] for reason in services.import_mapping_reasons(mapping)] == [
        "contains",
        "contains",
        "contains",
        "values",
        "contains",
    ]
