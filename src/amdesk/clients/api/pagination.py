"""Keyset pages of the client list, in the order the `sort` parameter names.

DRF's CursorPagination keys its cursor on the first ordering field only and skips ties with an
OFFSET capped at 1,000 rows; ordered by AUM or completeness, where thousands of clients share a
value (every new client has AUM 0), it would repeat or lose rows. Here the cursor holds the whole
sort key (value, id): the next page is `WHERE (aum, id) < (v, i) ORDER BY aum DESC, id DESC`,
a range scan on the (aum, id) index at any depth. The sort fields are never null.

The comparison is Django 5.2's tuple lookup (the machinery of composite primary keys): a row-value
comparison on PostgreSQL, which the planner turns into one index range; the equivalent OR form on
SQLite.
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

from amdesk.clients.models import Client
from amdesk.clients.selectors import SORTS


class ClientCursorPagination(CursorPagination):
    """Keyset pages on (sort field, id): no COUNT(*) over the archive, deep pages as fast as the first."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    sort_query_param = "sort"
    cursor_query_description = _("The page to show: the `next` or `previous` link of the page before.")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.sort = request.query_params.get(self.sort_query_param) or self.ordering
        self.keys = SORTS.get(self.sort, SORTS[self.ordering])
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
                # Redundant bound on the first field: SQLite gets the tuple comparison as an OR,
                # which it cannot seek on; with this bound it ranges over the (field, id) index.
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

    def _position(self, client: Client) -> list:
        return [getattr(client, key.lstrip("-")) for key in self.keys]

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
        token = {"s": self.sort, "p": [str(value) for value in cursor["position"]], "r": cursor["reverse"]}
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
            # A cursor belongs to one sort order; a tampered or mismatched one is simply invalid.
            if token["s"] != self.sort or len(token["p"]) != len(self.keys):
                raise ValueError
            position = tuple(
                Client._meta.get_field(key.lstrip("-")).to_python(value)
                for key, value in zip(self.keys, token["p"], strict=True)
            )
            if any(value is None for value in position):
                raise ValueError
            return {"position": position, "reverse": bool(token["r"])}
        except (binascii.Error, UnicodeError, KeyError, TypeError, ValueError, ValidationError) as exc:
            raise NotFound(self.invalid_cursor_message) from exc
