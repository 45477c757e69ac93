"""Pagination of the lists: page numbers where a count is cheap, keyset pages for the big lists.

KeysetPagination: each list has one fixed order (or one the caller picks from a fixed set), all
keys in one direction and ending in the id, so the cursor holds the whole key of the last row shown
and the next page is `WHERE (key, id) < (v, i)`: no COUNT(*), no OFFSET, deep pages as fast as the
first, and a row added while someone pages never shows twice. DRF's CursorPagination keys its
cursor on the first field only and skips ties with an OFFSET capped at 1,000 rows, which repeats or
loses rows where thousands share a value (every new client has AUM 0). The comparison is Django
5.2's tuple lookup: a row-value comparison on PostgreSQL, the equivalent OR form on SQLite.
"""

import base64
import binascii
import json

from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleLessThan
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param


class StandardPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysetPagination(CursorPagination):
    keys: tuple[str, ...] = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_description = _("The page to show: the `next` or `previous` link of the page before.")

    @property
    def ordering(self):  # what CursorPagination's own helpers would read
        return self.keys

    def keys_for(self, request) -> tuple[str, ...]:
        """The order of this request's list; a subclass may let the caller choose (clients' `sort`)."""
        return self.keys

    def cursor_tag(self) -> str:
        """Written into the cursor and checked on the way back: a cursor of another order is invalid."""
        return ""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.model = queryset.model
        self.keys = self.keys_for(request)
        self.cursor = self.decode_cursor(request)
        backwards = bool(self.cursor and self.cursor["reverse"])

        names = [key.lstrip("-") for key in self.keys]
        descending = self.keys[0].startswith("-")
        # Going back reads the rows before the cursor in the opposite order, then turns them round.
        order = [name if descending == backwards else f"-{name}" for name in names]
        if self.cursor:
            after = TupleLessThan if descending != backwards else TupleGreaterThan
            queryset = queryset.filter(after(tuple(F(name) for name in names), self.cursor["position"]))
            if len(names) > 1:
                # Redundant bound on the first key: SQLite gets the tuple comparison as an OR, which
                # it cannot seek on; with this bound it ranges over the (key, id) index.
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
        token = {"s": self.cursor_tag(), "p": values, "r": cursor["reverse"]}
        raw = json.dumps(token, separators=(",", ":"), ensure_ascii=False).encode()
        return replace_query_param(
            self.base_url, self.cursor_query_param, base64.urlsafe_b64encode(raw).decode()
        )

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None
        try:
            token = json.loads(base64.urlsafe_b64decode(encoded.encode()))
            if token.get("s", "") != self.cursor_tag() or len(token["p"]) != len(self.keys):
                raise ValueError
            position = tuple(
                self.model._meta.get_field(key.lstrip("-")).to_python(value)
                for key, value in zip(self.keys, token["p"], strict=True)
            )
            if any(value is None for value in position):
                raise ValueError
            return {"position": position, "reverse": bool(token["r"])}
        except (
            binascii.Error,
            UnicodeError,
            AttributeError,
            KeyError,
            TypeError,
            ValueError,
            ValidationError,
        ) as exc:
            raise NotFound(self.invalid_cursor_message) from exc
