"""Keyset pages for the visit lists (core.pagination.KeysetPagination), one fixed order each."""

from amdesk.core.pagination import KeysetPagination


class VisitPagination(KeysetPagination):
    keys = ("-started_at", "-id")  # the newest visit first, as Visit.Meta.ordering


class SchedulePagination(KeysetPagination):
    keys = ("-week_start", "-id")


class FindingPagination(KeysetPagination):
    keys = ("-raised_at", "-id")


class InspectionPagination(KeysetPagination):
    keys = ("due_on", "id")  # the most urgent first
