"""The inbox as a registry of sources. A source is one kind of thing waiting for the viewer's
action (documents to read, tickets to approve…), computed live from its module's data in the
viewer's scope: a function (viewer, today, limit) -> (count, items) that costs a fixed number of
queries (one count, and one for the first `limit` items unless limit is 0). An area adds a source
with @source(...) in its own module of this package (imported in inbox/__init__.py)."""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    due: date | datetime | None = None
    overdue: bool = False
    who: str = ""  # whose record it is (the account manager), for an overseer


# The groups the inbox page shows, in order.
GROUPS: dict[str, str | Promise] = {
    "review": _("To read and review"),
    "approvals": _("Approvals and anomalies"),
    "improvement": _("Findings and improvement actions"),
    "appraisal": _("Appraisal"),
    "mine": _("My documents and tasks"),
}


@dataclass(frozen=True)
class Source:
    code: str
    label: str | Promise
    group: str
    compute: Callable[..., tuple[int, list[Item]]]
    more_url: str = ""  # a URL name: the module's own page of all of them ("see all")


@dataclass
class Section:
    code: str
    label: str
    group: str
    count: int
    items: list[Item] = field(default_factory=list)
    more_url: str = ""


SOURCES: dict[str, Source] = {}

# What several sources of one computation share (e.g. the appraisal admin's overview, read once for
# its five sources): set by inbox_sections for the length of one call, never across calls.
_SHARED: ContextVar[dict | None] = ContextVar("inbox_shared", default=None)


def source(code: str, label, *, group: str, more_url: str = ""):
    """Register a source function under `code` (unique), shown in `group` (a key of GROUPS);
    `more_url`, a URL name, links the section to the module's page of all of them."""
    if group not in GROUPS:
        raise ValueError(f"Unknown inbox group {group!r}")

    def register(compute):
        SOURCES[code] = Source(code, label, group, compute, more_url)
        return compute

    return register


def shared(key, compute):
    """compute() once per inbox computation for all the sources asking for `key`."""
    found = _SHARED.get()
    if found is None:
        return compute()
    if key not in found:
        found[key] = compute()
    return found[key]


def inbox_sections(viewer, *, today: date, limit: int = 5, codes=None) -> list[Section]:
    """Every source's count (and first `limit` items) for the viewer, sources with nothing left out."""
    from django.urls import reverse

    sections = []
    token = _SHARED.set({})
    try:
        for code, src in SOURCES.items():
            if codes is not None and code not in codes:
                continue
            count, items = src.compute(viewer, today, limit)
            if count:
                more = reverse(src.more_url) if src.more_url else ""
                sections.append(Section(code, str(src.label), src.group, count, items[:limit], more))
    finally:
        _SHARED.reset(token)
    return sections


def inbox_counts(viewer, *, today: date) -> dict[str, int]:
    """Counts only (no items), per source code, zeros left out: what the navigation shows."""
    return {s.code: s.count for s in inbox_sections(viewer, today=today, limit=0)}


def grouped(sections: list[Section]) -> list[dict]:
    """Sections under their groups, in GROUPS order, each group with its total."""
    result = []
    for code, label in GROUPS.items():
        members = [s for s in sections if s.group == code]
        if members:
            result.append(
                {
                    "code": code,
                    "label": str(label),
                    "sections": members,
                    "count": sum(s.count for s in members),
                }
            )
    return result
