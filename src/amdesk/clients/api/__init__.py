"""The client API: the same scope, filters, search and masking as the pages.

Split by entity; everything is importable from here (`from amdesk.clients.api import …`).
"""

from .archive import ClientCompletenessApi, ClientHistoryApi, CompletenessRatesApi
from .clients import (
    ClientDetailApi,
    ClientHandoverApi,
    ClientInputSerializer,
    ClientListApi,
    ClientOutputSerializer,
    ClientRevealApi,
)
from .contacts import ContactDetailApi, ContactListApi, ContactOutputSerializer
from .exports import ClientExportApi, ClientImportTemplateApi
from .imports import ImportApplyApi, ImportCheckApi, ImportDetailApi, ImportListApi, ImportReportApi
from .pagination import ClientCursorPagination
from .value import AumApi, CreditRatingListApi, HoldingListApi, HoldingOutputSerializer

__all__ = [
    "AumApi",
    "ClientCompletenessApi",
    "ClientCursorPagination",
    "ClientDetailApi",
    "ClientExportApi",
    "ClientHandoverApi",
    "ClientHistoryApi",
    "ClientImportTemplateApi",
    "ClientInputSerializer",
    "ClientListApi",
    "ClientOutputSerializer",
    "ClientRevealApi",
    "CompletenessRatesApi",
    "ContactDetailApi",
    "ContactListApi",
    "ContactOutputSerializer",
    "CreditRatingListApi",
    "HoldingListApi",
    "HoldingOutputSerializer",
    "ImportApplyApi",
    "ImportCheckApi",
    "ImportDetailApi",
    "ImportListApi",
    "ImportReportApi",
]
