"""Keyset pages of the client list, in the order the `sort` parameter names (see core.pagination).

Ordered by AUM, completeness or name the cursor holds the whole sort key (value, id): the next page
is `WHERE (aum, id) < (v, i) ORDER BY aum DESC, id DESC`, a range scan on the (aum, id) index at
any depth. The sort fields are never null.
"""

from amdesk.clients.selectors import SORTS
from amdesk.core.pagination import KeysetPagination


class ClientCursorPagination(KeysetPagination):
    """Keyset pages on (sort field, id): no COUNT(*) over the archive, deep pages as fast as the first."""

    ordering = "-id"
    sort_query_param = "sort"

    def keys_for(self, request) -> tuple[str, ...]:
        self.sort = request.query_params.get(self.sort_query_param) or self.ordering
        return SORTS.get(self.sort, SORTS[self.ordering])

    def cursor_tag(self) -> str:
        return self.sort
