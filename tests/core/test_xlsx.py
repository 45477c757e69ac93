"""The page-table export helper: types kept, text never a formula, the audit entry."""

import pytest
from django.test import RequestFactory

from amdesk.core.audit_events import AuditEvent
from amdesk.core.models import AuditEntry
from amdesk.core.xlsx import export_url, table_xlsx, xlsx_download

from .xlsx_helpers import sheet_table

pytestmark = pytest.mark.django_db


def test_cells_keep_their_type_and_text_stays_text():
    content = table_xlsx(
        title="表",
        header=["名称", "数量", "比例 (%)"],
        rows=[["=SUM(A1)", 3, 12.5], ["乙", None, None]],
        totals=["合计", 3, None],
    )
    header, rows = sheet_table(content)
    assert header == ["名称", "数量", "比例 (%)"]
    assert rows == [["=SUM(A1)", 3, 12.5], ["乙", None, None], ["合计", 3, None]]


def test_download_is_audited_and_keeps_the_page_filters(account_manager):
    request = RequestFactory().get("/clients/completeness/", {"by": "org", "format": "xlsx"})
    request.user = account_manager
    assert export_url(request) == "/clients/completeness/?by=org&format=xlsx"
    response = xlsx_download(
        request,
        event=AuditEvent.COMPLETENESS_EXPORTED,
        filename="x.xlsx",
        title="t",
        header=["a"],
        rows=[[1]],
    )
    assert response["Content-Disposition"] == 'attachment; filename="x.xlsx"'
    entry = AuditEntry.objects.get(event=AuditEvent.COMPLETENESS_EXPORTED)
    assert (
        entry.actor == account_manager
        and entry.detail["rows"] == 1
        and entry.detail["query"] == {"by": "org"}
    )
