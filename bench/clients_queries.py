"""The client list and search queries the pages and the API run, for bench/clients_scale.py.

A page (clients/views.py) reads one page plus one row through the scoped selector, prefetches
the tags and counts at most COUNT_CAP + 1 rows; the API reads keyset pages through
ClientCursorPagination. Both are reproduced here with the real selector and paginator.
"""

import re
import unicodedata

from django.db import connection
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from amdesk.clients.api import ClientCursorPagination
from amdesk.clients.models import Client
from amdesk.clients.selectors import client_list
from amdesk.clients.views import COUNT_CAP, PAGE_SIZE
from amdesk.orgs.models import Staff

SCANNED_TABLES = ("clients_client", "clients_clientsearchkey")


class Workload:
    def __init__(self):
        self.am = Staff.objects.get(username="am01")
        self.supervisor = Staff.objects.get(username="sup1")
        self.admin = Staff.objects.get(username="admin")
        low, high = (
            Client.objects.order_by("pk").values_list("pk", flat=True)[0],
            Client.objects.latest("pk").pk,
        )
        self.middle = (low + high) // 2
        sample = (
            Client.objects.filter(pk__gte=self.middle, kind="individual", owner=self.am)
            .exclude(mobile="")
            .order_by("pk")
            .first()
        )
        self.terms = {
            "1-char name 王": "王",
            "2-char name 张伟": "张伟",
            "pinyin prefix zhang": "zhang",
            "initials zs": "zs",
            "mobile last 4": sample.mobile[-4:],
            "full ID number": sample.id_number,
        }
        self.factory = APIRequestFactory(SERVER_NAME="localhost")
        self.deep_cursor = self._deep_cursor()

    # -- the baseline and the contrast

    def baseline(self) -> int:
        """50 clients by primary key: the cheapest way to read a page of rows."""
        return len(list(Client.objects.filter(pk__gte=self.middle, pk__lt=self.middle + 50)))

    def naive_search(self) -> int:
        """The search box without search keys: `name LIKE '%张伟%'`, newest first."""
        return self.page(self.admin, {}, extra={"name__contains": "张伟"})

    # -- what the pages and the API run

    def page(self, viewer, filters: dict, extra: dict | None = None) -> int:
        queryset = client_list(viewer=viewer, filters=filters).prefetch_related("tags")
        if extra:
            queryset = queryset.filter(**extra)
        rows = list(queryset[: PAGE_SIZE + 1])
        queryset.order_by()[: COUNT_CAP + 1].count()
        return len(rows[:PAGE_SIZE])

    def api(self, viewer, params: dict) -> int:
        request = Request(self.factory.get("/api/v1/clients/", params))
        paginator = ClientCursorPagination()
        queryset = client_list(viewer=viewer, filters=request.query_params).prefetch_related("tags")
        return len(paginator.paginate_queryset(queryset, request))

    def _deep_cursor(self) -> str:
        """A `next` cursor from the middle of the archive sorted by AUM (from the public flow only)."""
        median = Client.objects.order_by("-aum", "-id").values_list("aum", flat=True)[
            Client.objects.count() // 2
        ]
        request = Request(self.factory.get("/api/v1/clients/", {"sort": "-aum"}))
        paginator = ClientCursorPagination()
        queryset = client_list(viewer=self.admin, filters={"sort": "-aum"}).filter(aum__lte=median)
        paginator.paginate_queryset(queryset, request)
        return re.search(r"cursor=([^&]+)", paginator.get_next_link()).group(1)

    def queries(self):
        admin, am = self.admin, self.am
        yield "page: AM, first page", lambda: self.page(am, {})
        yield "page: supervisor, first page", lambda: self.page(self.supervisor, {})
        yield "page: admin, first page", lambda: self.page(admin, {})
        yield "api: admin, first page", lambda: self.api(admin, {})
        yield (
            "api: admin, deep keyset page (id < middle)",
            lambda: len(list(client_list(viewer=admin, filters={}).filter(pk__lt=self.middle)[:PAGE_SIZE])),
        )
        yield "api: admin, by AUM, first page", lambda: self.api(admin, {"sort": "-aum"})
        from urllib.parse import unquote

        cursor = unquote(self.deep_cursor)
        yield (
            "api: admin, by AUM, deep page (cursor)",
            lambda: self.api(admin, {"sort": "-aum", "cursor": cursor}),
        )
        for label, term in self.terms.items():
            yield f"search (admin page): {label}", lambda term=term: self.page(admin, {"q": term})
        yield "search (AM page): 1-char name 王", lambda: self.page(am, {"q": "王"})
        yield "search (AM page): mobile last 4", lambda: self.page(am, {"q": self.terms["mobile last 4"]})
        yield "filter (admin page): tag 高净值", lambda: self.page(admin, {"tag": "高净值"})
        yield "filter (admin page): completeness <= 60", lambda: self.page(admin, {"completeness_max": 60})
        yield (
            "filter (admin page): AUM 100k-500k",
            lambda: self.page(admin, {"aum_min": 100_000, "aum_max": 500_000}),
        )
        yield (
            "filter (admin page): AUM 100k-500k, by AUM",
            lambda: self.page(admin, {"aum_min": 100_000, "aum_max": 500_000, "sort": "-aum"}),
        )
        yield "sort (admin page): by AUM, highest first", lambda: self.page(admin, {"sort": "-aum"})
        yield "contrast: naive name LIKE '%张伟%' page", self.naive_search

    def search_querysets(self):
        for label, term in self.terms.items():
            for who, viewer in (("admin", self.admin), ("AM", self.am)):
                yield f"{label} ({who})", client_list(viewer=viewer, filters={"q": term})[: PAGE_SIZE + 1]


def plan_summary(queryset) -> tuple[list[str], list[str]]:
    """The plan's steps (costs left out), and the tables of SCANNED_TABLES it reads in full."""
    steps, scans = [], []
    for line in queryset.explain().splitlines():
        if connection.vendor == "postgresql":
            if "->" not in line and not line.lstrip().startswith(("Limit", "Sort", "Nested", "Hash")):
                continue  # conditions, filters and JIT notes
            step = re.sub(r"\s*\(cost=[^)]*\)", "", line).replace("->  ", "")
            found = re.search(r"Seq Scan on (\w+)", step)
        else:  # "id parent notused detail"; "SCAN t" reads the whole table, "SCAN t USING INDEX" an index
            step = "  " * line.count("  ") + re.sub(r"^\s*\d+ \d+ \d+ ", "", line.strip())
            found = re.search(r"\bSCAN (\w+)\b(?! USING)", step)
        if step.strip():
            steps.append(step.rstrip())
        if found and found.group(1) in SCANNED_TABLES:
            scans.append(found.group(1))
    return steps, scans


def padded(text: str, width: int) -> str:
    """Left-aligned in `width` terminal columns (a Chinese character takes two)."""
    shown = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - shown, 0)
