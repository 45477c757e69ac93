"""Writes to the client archive: each service one transaction, validated, audited."""

from .archive import StaleEdit, client_create, client_handover, client_reveal, client_update
from .contacts import contact_delete, contact_save
from .derived import derived_refresh, stakeholder_refresh
from .rating import credit_rating_record
from .value import aum_record, aum_snapshot_take, holding_set

__all__ = [
    "StaleEdit",
    "aum_record",
    "aum_snapshot_take",
    "client_create",
    "client_handover",
    "client_reveal",
    "client_update",
    "contact_delete",
    "contact_save",
    "credit_rating_record",
    "derived_refresh",
    "holding_set",
    "stakeholder_refresh",
]
