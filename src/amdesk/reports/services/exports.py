"""A report written to a file (.xlsx or PDF), audited: an export takes data out of the system."""

from __future__ import annotations

from dataclasses import dataclass

from amdesk.core.audit import audit_record
from amdesk.core.audit_events import AuditEvent

from ..framework.base import Report
from ..framework.render import CONTENT_TYPES, RENDERERS

FORMATS = tuple(RENDERERS)


@dataclass
class ExportFile:
    content: bytes
    filename: str
    content_type: str


def report_export(*, actor, report: Report, fmt: str, request=None, via: str = "page") -> ExportFile:
    """Render the report (already in the actor's scope) as `fmt` and record who took what."""
    if fmt not in RENDERERS:
        raise ValueError(fmt)
    data = report.gather()
    content = RENDERERS[fmt](data)
    audit_record(
        event=AuditEvent.REPORT_EXPORTED,
        actor=actor,
        request=request,
        detail={
            "report": report.code,
            "period": report.period.code,
            "node": report.node.pk if report.node else None,
            "format": fmt,
            "via": via,
        },
    )
    return ExportFile(content, f"{report.code}-{report.period.code}.{fmt}", CONTENT_TYPES[fmt])
