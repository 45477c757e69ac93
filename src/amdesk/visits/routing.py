"""Visit routes (拜访线路) for the weekly visit schedule (客户访问日程表).

An account manager visits a handful of clients a day, so a day's route is small: up to
``EXACT_LIMIT`` located stops it is solved exactly with the Held–Karp dynamic programme
(O(2^n·n²), about 10^5 steps at n = 10), which is cheap and never leaves an obviously bad detour.
Longer lists (a whole portfolio, an import preview) use nearest neighbour followed by 2-opt (plus
Or-opt moves of 1-3 stops) until no move improves the path: not optimal, but it removes every
crossing, usually lands within a few per cent of the optimum and stays fast in pure Python.

Spreading a week uses a sweep: located clients sorted by polar angle around their centroid and cut
into consecutive chunks (as few as the daily limit and a fair share allow, cut at the widest gaps),
so each day covers one compact sector of the city instead of zig-zagging across it.
Clients without coordinates are kept together by their area text. Everything is deterministic
(ties broken by client key) so a regenerated schedule does not shuffle for no reason.

Stdlib only: no Django, no database; callers turn clients into ``Stop`` values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

EXACT_LIMIT = 10
EARTH_RADIUS_KM = 6371.0088
_EPS = 1e-9


@dataclass(frozen=True)
class Stop:
    key: int  # client id
    lat: float | None  # WGS84 degrees; None when the client has no coordinates
    lng: float | None
    area: str = ""  # district/street text used when there are no coordinates
    priority: int = 0  # higher = more urgent (overdue key client > due ordinary)
    fixed_day: int | None = None  # 0..days-1 when the client asked for a given day


def _located(stop: Stop | None) -> bool:
    return stop is not None and stop.lat is not None and stop.lng is not None


def distance_km(a: Stop, b: Stop) -> float:
    """Great-circle (haversine) distance; both stops must have coordinates."""
    if not (_located(a) and _located(b)):
        raise ValueError("distance_km needs two stops with coordinates")
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlng = lat2 - lat1, math.radians(b.lng - a.lng)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def route_length(stops: Sequence[Stop], start: Stop | None = None) -> float:
    """Length of the open path through the located stops, in order (stops without coordinates are skipped)."""
    path = [s for s in ([start] if start is not None else []) + list(stops) if _located(s)]
    return sum(distance_km(a, b) for a, b in zip(path, path[1:], strict=False))


def _by_area(stops: Sequence[Stop]) -> dict[str, list[Stop]]:
    groups: dict[str, list[Stop]] = {}
    for s in stops:
        groups.setdefault(s.area, []).append(s)
    return groups


def _held_karp(d: list[list[float]], s: list[float]) -> list[int]:
    """Exact shortest open path over all nodes; s[j] is the cost of starting at j."""
    n, full = len(d), (1 << len(d)) - 1
    cost = [[math.inf] * n for _ in range(full + 1)]
    parent = [[-1] * n for _ in range(full + 1)]
    for j in range(n):
        cost[1 << j][j] = s[j]
    for mask in range(1, full + 1):
        for j in range(n):
            c = cost[mask][j]
            if c == math.inf:
                continue
            for k in range(n):
                if not mask >> k & 1 and c + d[j][k] < cost[mask | 1 << k][k]:
                    cost[mask | 1 << k][k] = c + d[j][k]
                    parent[mask | 1 << k][k] = j
    end, mask, path = min(range(n), key=lambda j: cost[full][j]), full, []
    while end != -1:
        path.append(end)
        mask, end = mask ^ (1 << end), parent[mask][end]
    return path[::-1]


def _nearest_neighbour(d: list[list[float]], first: int) -> list[int]:
    path, todo = [first], set(range(len(d))) - {first}
    while todo:
        path.append(min(sorted(todo), key=lambda k, j=path[-1]: d[j][k]))
        todo.discard(path[-1])
    return path


def _two_opt(path: list[int], d: list[list[float]], s: list[float]) -> bool:
    """Reverse segments while that shortens the open path; the first edge costs s[node]."""
    n, changed, improved = len(path), False, True
    while improved:
        improved = False
        for i in range(n - 1):
            for k in range(i + 1, n):
                a, b, c = path[i - 1] if i else None, path[i], path[k]
                e = path[k + 1] if k + 1 < n else None
                if _edge(d, s, a, c) + _edge(d, s, b, e) < _edge(d, s, a, b) + _edge(d, s, c, e) - _EPS:
                    path[i : k + 1] = path[i : k + 1][::-1]
                    changed = improved = True
    return changed


def _or_opt(path: list[int], d: list[list[float]], s: list[float]) -> bool:
    """Move one run of 1-3 consecutive stops elsewhere (either way round) if that shortens the path."""
    n = len(path)
    for size in (1, 2, 3):
        for i in range(n - size + 1):
            seg, rest = path[i : i + size], path[:i] + path[i + size :]
            p, q = path[i - 1] if i else None, path[i + size] if i + size < n else None
            gain = _edge(d, s, p, seg[0]) + _edge(d, s, seg[-1], q) - _edge(d, s, p, q)
            for j in range(len(rest) + 1):
                a, b = rest[j - 1] if j else None, rest[j] if j < len(rest) else None
                for run in (seg, seg[::-1]):
                    if _edge(d, s, a, run[0]) + _edge(d, s, run[-1], b) - _edge(d, s, a, b) < gain - _EPS:
                        path[:] = rest[:j] + run + rest[j:]
                        return True
    return False


def _edge(d: list[list[float]], s: list[float], a: int | None, b: int | None) -> float:
    """Edge cost where a None tail is the start (cost s[b]) and a None head is the open end (free)."""
    if b is None:
        return 0.0
    return s[b] if a is None else d[a][b]


def order_route(stops: Sequence[Stop], start: Stop | None = None) -> list[Stop]:
    """Shortest open path through the located stops (from ``start`` if given), then the rest by area."""
    located = sorted((s for s in stops if _located(s)), key=lambda s: s.key)
    unlocated = [s for g in _by_area([s for s in stops if not _located(s)]).values() for s in g]
    if len(located) <= 1:
        return located + unlocated
    d = [[distance_km(a, b) for b in located] for a in located]
    has_start = _located(start)
    s = [distance_km(start, b) for b in located] if has_start else [0.0] * len(located)
    if len(located) <= EXACT_LIMIT:
        path = _held_karp(d, s)
    else:
        firsts = [min(range(len(s)), key=s.__getitem__)] if has_start else range(len(located))
        tours = [_nearest_neighbour(d, f) for f in firsts]
        path = min(tours, key=lambda p: s[p[0]] + sum(d[a][b] for a, b in zip(p, p[1:], strict=False)))
        _two_opt(path, d, s)
        while _or_opt(path, d, s):
            _two_opt(path, d, s)
    if not has_start and located[path[0]].key > located[path[-1]].key:
        path.reverse()  # same length either way; pick one orientation for stable output
    return [located[i] for i in path] + unlocated


def _sweep(stops: list[Stop]) -> list[Stop]:
    """Located stops by polar angle around their centroid, starting after the widest empty sector."""
    if len(stops) <= 1:
        return stops
    lat0 = sum(s.lat for s in stops) / len(stops)
    lng0 = sum(s.lng for s in stops) / len(stops)
    scale = math.cos(math.radians(lat0))

    def angle(s: Stop) -> float:
        return math.atan2(s.lat - lat0, (s.lng - lng0) * scale)

    ordered = sorted(stops, key=lambda s: (angle(s), s.key))
    angles = [angle(s) for s in ordered]
    gaps = [angles[i] - angles[i - 1] for i in range(1, len(angles))]
    gaps.insert(0, angles[0] + 2 * math.pi - angles[-1])  # gap wrapping round to the first stop
    cut = max(range(len(gaps)), key=lambda i: (gaps[i], -i))
    return ordered[cut:] + ordered[:cut]


def _cut(sweep: list[Stop], room: list[int]) -> list[list[Stop]]:
    """Consecutive chunks, chunk d holding at most room[d] and at most one above its fair share (so a
    light week is spread over the week rather than packed into Monday and Tuesday): fewest chunks,
    then cuts where consecutive stops are farthest apart."""
    gap = [0.0] + [distance_km(a, b) for a, b in zip(sweep, sweep[1:], strict=False)]
    fair = math.ceil(len(sweep) / max(1, sum(1 for r in room if r > 0))) + 1
    if sum(min(r, fair) for r in room) >= len(sweep):
        room = [min(r, fair) for r in room]
    best: dict[int, tuple[int, float, tuple[int, ...]]] = {0: (0, 0.0, ())}  # stops placed -> plan
    for r in room:
        nxt: dict[int, tuple[int, float, tuple[int, ...]]] = {}
        for i, (chunks, gaps, sizes) in best.items():
            for c in range(min(r, len(sweep) - i) + 1):
                plan = (chunks + (c > 0), gaps - (gap[i] if c and i else 0.0), (*sizes, c))
                if i + c not in nxt or plan[:2] < nxt[i + c][:2]:
                    nxt[i + c] = plan
        best = nxt
    starts = [sum(best[len(sweep)][2][:d]) for d in range(len(room) + 1)]
    return [sweep[a:b] for a, b in zip(starts, starts[1:], strict=False)]


def _can_match(sizes: list[int], rooms: list[int]) -> bool:
    """Whether every group fits a distinct day (sorted-domination test for 'size <= room')."""
    return all(a <= b for a, b in zip(sorted(sizes, reverse=True), sorted(rooms, reverse=True), strict=True))


def plan_days(
    stops: Sequence[Stop], *, days: int, per_day: int, start: Stop | None = None
) -> tuple[list[list[Stop]], list[Stop]]:
    """Spread stops over ``days`` routes of at most ``per_day`` stops; returns (routes, left over).

    The most urgent stops are kept (priority, then key); fixed-day stops go to their day or the
    nearest one with room (an out-of-range day counts as the nearest valid one); the rest are swept
    into as few compact chunks as fit (no day more than one above its fair share), cut where
    consecutive stops are farthest apart, and clients
    without coordinates are grouped by area text into the room left.
    Chunks are then reassigned so the most urgent chunk gets the earliest day that can hold it.
    """
    if days < 1 or per_day < 0:
        raise ValueError("plan_days needs days >= 1 and per_day >= 0")
    ranked = sorted(stops, key=lambda s: (-s.priority, s.key))
    chosen, left_over = ranked[: days * per_day], ranked[days * per_day :]

    fixed: list[list[Stop]] = [[] for _ in range(days)]
    for stop in (s for s in chosen if s.fixed_day is not None):
        want = min(max(stop.fixed_day, 0), days - 1)
        open_days = [d for d in range(days) if len(fixed[d]) < per_day]
        fixed[min(open_days, key=lambda d: (abs(d - want), d))].append(stop)
    room = [per_day - len(f) for f in fixed]

    rest = [s for s in chosen if s.fixed_day is None]
    free = _cut(_sweep([s for s in rest if _located(s)]), room)
    for area, members in _by_area([s for s in rest if not _located(s)]).items():
        while members:
            left = [room[d] - len(free[d]) for d in range(days)]
            fits = [d for d in range(days) if left[d] >= len(members)]
            if fits:
                day = next((d for d in fits if any(s.area == area for s in fixed[d] + free[d])), fits[0])
            else:
                day = max(range(days), key=lambda d: (left[d], -d))
            free[day] += members[: left[day]]
            members = members[left[day] :]

    # Whole chunks move between days, so geography is untouched; urgent chunks come first.
    urgency = sorted(range(days), key=lambda g: (-max((s.priority for s in free[g]), default=-math.inf), g))
    placed: list[list[Stop]] = [[] for _ in range(days)]
    open_days = list(range(days))
    for pos, g in enumerate(urgency):
        later = [len(free[h]) for h in urgency[pos + 1 :]]
        for d in open_days:
            others = [room[e] for e in open_days if e != d]
            if len(free[g]) <= room[d] and _can_match(later, others):
                placed[d] = free[g]
                open_days.remove(d)
                break
    routes = [order_route(fixed[d] + placed[d], start) for d in range(days)]
    return routes, left_over
