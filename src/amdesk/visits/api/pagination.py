"""Keyset pages for the visit lists, the same idea as the client list's (clients/api/pagination.py).

Each list has one fixed order, all keys in one direction and ending in the id, so the cursor holds
the whole key of the last row shown and the next page is `WHERE (key, id) < (v, i)`: no COUNT(*),
no OFFSET, and a visit recorded while the AM pages through the list never shifts a row into the
next page twice.
"""

import base64
import binascii
import json

from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleLessThan
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param


class KeysetPagination(CursorPagination):
    keys: tuple[str, ...] = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_description = _("The page to show: the `next` or `previous` link of the page before.")

    @property
    def ordering(self):  # what CursorPagination's own helpers would read
        return self.keys

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.model = queryset.model
        self.cursor = self.decode_cursor(request)
        backwards = bool(self.cursor and self.cursor["reverse"])

        names = [key.lstrip("-") for key in self.keys]
        descending = self.keys[0].startswith("-")
        # Going back reads the rows before the cursor in the opposite order, then turns them round.
        order = [name if descending == backwards else f"-{name}" for name in names]
        if self.cursor:
            after = TupleLessThan if descending != backwards else TupleGreaterThan
            queryset = queryset.filter(after(tuple(F(name) for name in names), self.cursor["position"]))
            # Redundant bound on the first key, so SQLite (which gets the tuple as an OR) can seek.
            bound = "lte" if after is TupleLessThan else "gte"
            queryset = queryset.filter(**{f"{names[0]}__{bound}": self.cursor["position"][0]})
        rows = list(queryset.order_by(*order)[: self.page_size + 1])
        has_more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if backwards:
            self.page.reverse()
            self.has_previous, self.has_next = has_more, True
        else:
            self.has_previous, self.has_next = self.cursor is not None, has_more
        return self.page

    def _position(self, row) -> list:
        return [getattr(row, key.lstrip("-")) for key in self.keys]

    def get_next_link(self):
        if not self.has_next or not self.page:
            return None
        return self.encode_cursor({"position": self._position(self.page[-1]), "reverse": False})

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:  # an empty page after the last row: back to the start
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self.encode_cursor({"position": self._position(self.page[0]), "reverse": True})

    def encode_cursor(self, cursor):
        values = [
            value.isoformat() if hasattr(value, "isoformat") else str(value) for value in cursor["position"]
        ]
        raw = json.dumps({"p": values, "r": cursor["reverse"]}, separators=(",", ":")).encode()
        return replace_query_param(
            self.base_url, self.cursor_query_param, base64.urlsafe_b64encode(raw).decode()
        )

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None
        try:
            token = json.loads(base64.urlsafe_b64decode(encoded.encode()))
            if len(token["p"]) != len(self.keys):
                raise ValueError
            position = tuple(
                self.model._meta.get_field(key.lstrip("-")).to_python(value)
                for key, value in zip(self.keys, token["p"], strict=True)
            )
            if any(value is None for value in position):
                raise ValueError
            return {"position": position, "reverse": bool(token["r"])}
        except (binascii.Error, UnicodeError, KeyError, TypeError, ValueError, ValidationError) as exc:
            raise NotFound(self.invalid_cursor_message) from exc


class VisitPagination(KeysetPagination):
    keys = ("-started_at", "-id")  # the newest visit first, as Visit.Meta.ordering


class SchedulePagination(KeysetPagination):
    keys = ("-week_start", "-id")


class FindingPagination(KeysetPagination):
    keys = ("-raised_at", "-id")


class InspectionPagination(KeysetPagination):
    keys = ("due_on", "id")  # the most urgent first
