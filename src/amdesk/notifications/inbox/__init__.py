"""The inbox: everything waiting for the user's action across modules (registry.py), one module
per area registering its sources."""

from . import appraisal, planning, service, surveys, visits  # noqa: F401  (they register sources)
from .registry import GROUPS, SOURCES, Item, Section, grouped, inbox_counts, inbox_sections, source

__all__ = ["GROUPS", "SOURCES", "Item", "Section", "grouped", "inbox_counts", "inbox_sections", "source"]
