"""Visit routing: exact small routes, 2-opt for long ones, and the weekly sweep over days."""

import itertools
import random
from collections import Counter

import pytest

from amdesk.visits.routing import EXACT_LIMIT, Stop, distance_km, order_route, plan_days, route_length

OFFICE = Stop(key=0, lat=30.2741, lng=120.1551)  # Hangzhou, Wulin


def scatter(rng, n, *, lat=30.25, lng=120.15, spread=0.12, first_key=1, **extra):
    return [
        Stop(
            key=first_key + i,
            lat=lat + rng.uniform(-spread, spread),
            lng=lng + rng.uniform(-spread, spread),
            **extra,
        )
        for i in range(n)
    ]


def matrix(stops, start):
    nodes = ([start] if start else []) + list(stops)
    return [[0.0 if a is b else distance_km(a, b) for b in nodes] for a in nodes]


def path_cost(path, d):
    return sum(d[a][b] for a, b in itertools.pairwise(path))


def brute_force(stops, start):
    d, off = matrix(stops, start), 1 if start else 0
    head = [0] if start else []
    return min(
        path_cost(head + [i + off for i in perm], d) for perm in itertools.permutations(range(len(stops)))
    )


def nearest_neighbour(d, first):
    path, todo = [first], set(range(len(d))) - {first}
    while todo:
        path.append(min(todo, key=lambda k: (d[path[-1]][k], k)))
        todo.discard(path[-1])
    return path


def two_opt(path, d, fixed_first):
    """Plain textbook 2-opt on an open path; node path[0] stays first when fixed_first."""
    n, improved = len(path), True
    while improved:
        improved = False
        for i in range(1 if fixed_first else 0, n - 1):
            for k in range(i + 1, n):
                old = (d[path[i - 1]][path[i]] if i else 0) + (d[path[k]][path[k + 1]] if k + 1 < n else 0)
                new = (d[path[i - 1]][path[k]] if i else 0) + (d[path[i]][path[k + 1]] if k + 1 < n else 0)
                if new < old - 1e-9:
                    path[i : k + 1] = path[i : k + 1][::-1]
                    improved = True
    return path


def crosses(p1, p2, q1, q2):
    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    return orient(p1, p2, q1) * orient(p1, p2, q2) < 0 and orient(q1, q2, p1) * orient(q1, q2, p2) < 0


# distance_km and route_length


def test_distance_west_lake_to_hangzhou_east_station():
    west_lake, east_station = Stop(1, 30.2431, 120.1500), Stop(2, 30.2906, 120.2126)
    assert distance_km(west_lake, east_station) == pytest.approx(7.9, abs=0.5)
    assert distance_km(east_station, west_lake) == pytest.approx(distance_km(west_lake, east_station))
    assert distance_km(west_lake, west_lake) == 0


def test_distance_needs_coordinates():
    with pytest.raises(ValueError):
        distance_km(Stop(1, None, None), Stop(2, 30.0, 120.0))


def test_route_length_counts_start_and_skips_unlocated():
    a, b, c = Stop(1, 30.0, 120.0), Stop(2, 30.1, 120.0), Stop(3, 30.1, 120.1)
    assert route_length([a, b, Stop(9, None, None, area="x"), c]) == pytest.approx(
        distance_km(a, b) + distance_km(b, c)
    )
    assert route_length([b, c], start=a) == pytest.approx(distance_km(a, b) + distance_km(b, c))
    assert route_length([]) == 0 and route_length([a]) == 0


# order_route: exact for small routes


@pytest.mark.parametrize("with_start", [False, True])
def test_order_route_matches_brute_force(with_start):
    rng = random.Random(20240611 + with_start)
    for case in range(70):
        n = 8 if case < 4 else rng.randint(2, 7)
        stops = scatter(rng, n)
        rng.shuffle(stops)
        start = OFFICE if with_start else None
        route = order_route(stops, start)
        assert sorted(s.key for s in route) == sorted(s.key for s in stops)
        assert route_length(route, start) == pytest.approx(brute_force(stops, start), rel=1e-9, abs=1e-9)


def test_order_route_is_exact_at_nine_stops():
    stops = scatter(random.Random(9), 9)
    assert EXACT_LIMIT >= 9
    assert route_length(order_route(stops, OFFICE), OFFICE) == pytest.approx(brute_force(stops, OFFICE))


def test_order_route_on_a_line_visits_in_order_from_the_start():
    line = [Stop(k, 30.0, 120.0 + 0.01 * k) for k in (5, 2, 8, 1, 3)]
    assert [s.key for s in order_route(line, start=Stop(0, 30.0, 120.0))] == [1, 2, 3, 5, 8]
    assert [s.key for s in order_route(line)] == [1, 2, 3, 5, 8]  # reversed path is pinned


def test_order_route_trivial_inputs():
    assert order_route([]) == []
    one = Stop(1, 30.0, 120.0)
    assert order_route([one], start=OFFICE) == [one]


# order_route: heuristic for long lists


@pytest.mark.parametrize(("n", "seed", "with_start"), [(25, 1, True), (40, 2, False), (60, 3, True)])
def test_two_opt_beats_nearest_neighbour_and_has_no_crossings(n, seed, with_start):
    rng = random.Random(seed)
    # Near the equator and within 0.2°, (lng, lat) is an almost exact planar picture of the distances.
    stops = scatter(rng, n, lat=0.1, lng=0.1, spread=0.1)
    start = Stop(0, 0.0, 0.0) if with_start else None
    route = order_route(stops, start)
    assert sorted(s.key for s in route) == sorted(s.key for s in stops)
    length = route_length(route, start)

    d = matrix(stops, start)
    firsts = [0] if with_start else range(n)
    nn = min(path_cost(nearest_neighbour(d, f), d) for f in firsts)
    assert length <= nn + 1e-9

    pts = [(s.lng, s.lat) for s in ([start] if start else []) + route]
    segments = list(itertools.pairwise(pts))
    for i, j in itertools.combinations(range(len(segments)), 2):
        if j > i + 1:
            assert not crosses(*segments[i], *segments[j]), (i, j)

    restarts = []
    for _ in range(6):
        perm = list(range(1, len(d))) if with_start else list(range(len(d)))
        rng.shuffle(perm)
        path = two_opt(([0] if with_start else []) + perm, d, with_start)
        restarts.append(path_cost(path, d))
    assert length <= 1.10 * min(restarts)


def test_order_route_is_deterministic_whatever_the_input_order():
    stops = scatter(random.Random(5), 30)
    expected = [s.key for s in order_route(stops, OFFICE)]
    for seed in range(3):
        shuffled = stops[:]
        random.Random(seed).shuffle(shuffled)
        assert [s.key for s in order_route(shuffled, OFFICE)] == expected


def test_stops_without_coordinates_come_last_grouped_by_area():
    rng = random.Random(7)
    located = scatter(rng, 5)
    blind = [
        Stop(101, None, None, area="西湖区"),
        Stop(102, None, None, area="上城区"),
        Stop(103, None, None, area="西湖区"),
        Stop(104, 30.2, None, area=""),  # half a coordinate is no coordinate
        Stop(105, None, None, area="上城区"),
        Stop(106, None, None, area="西湖区"),
    ]
    mixed = [blind[0], located[0], blind[1], located[1], blind[2], located[2]]
    mixed += [blind[3], located[3], blind[4], located[4], blind[5]]
    route = order_route(mixed, OFFICE)
    assert {s.key for s in route[:5]} == {s.key for s in located}
    assert [s.key for s in route[5:]] == [101, 103, 106, 102, 105, 104]
    assert route_length(route, OFFICE) == pytest.approx(brute_force(located, OFFICE))


# plan_days


def week(seed=11, n=30):
    rng = random.Random(seed)
    return [
        Stop(
            key=k,
            lat=30.25 + rng.uniform(-0.15, 0.15),
            lng=120.15 + rng.uniform(-0.15, 0.15),
            priority=rng.randint(0, 5),
            fixed_day=rng.choice([None] * 8 + [0, 2, 4]),
        )
        for k in range(1, n + 1)
    ] + [Stop(key=900 + k, lat=None, lng=None, area=f"街道{k % 3}", priority=k % 4) for k in range(6)]


def test_plan_days_capacity_left_over_and_each_stop_once():
    stops = week()
    routes, left = plan_days(stops, days=5, per_day=4, start=OFFICE)
    assert len(routes) == 5 and all(len(r) <= 4 for r in routes)
    placed = [s for r in routes for s in r]
    assert len(placed) == 20 and len(left) == len(stops) - 20
    assert Counter(s.key for s in placed + left) == Counter(s.key for s in stops)
    rank = sorted(stops, key=lambda s: (-s.priority, s.key))
    assert left == rank[20:]
    assert max(s.priority for s in left) <= min(s.priority for s in placed)


def test_plan_days_nothing_left_over_when_it_fits():
    stops = week(n=10)
    routes, left = plan_days(stops, days=5, per_day=4)
    assert left == [] and sorted(s.key for r in routes for s in r) == sorted(s.key for s in stops)


def test_plan_days_honours_fixed_days_and_overflows_to_the_nearest_day():
    rng = random.Random(3)
    loose = scatter(rng, 4, first_key=10)
    fixed = [Stop(k, 30.3, 120.1, fixed_day=2, priority=1) for k in (1, 2, 3)] + [
        Stop(4, 30.2, 120.2, fixed_day=0)
    ]
    routes, left = plan_days(loose + fixed, days=4, per_day=2)
    assert left == []
    day_of = {s.key: d for d, r in enumerate(routes) for s in r}
    assert day_of[4] == 0
    assert [day_of[k] for k in (1, 2, 3)].count(2) == 2
    assert {day_of[k] for k in (1, 2, 3)} - {2} <= {1, 3}  # the overflow goes next door


def test_plan_days_keeps_two_distant_clusters_on_different_days():
    rng = random.Random(21)
    west = scatter(rng, 5, lat=30.25, lng=120.00, spread=0.02, first_key=1)  # 余杭/西湖 side
    east = scatter(rng, 5, lat=30.20, lng=120.40, spread=0.02, first_key=50)  # 萧山 side
    stops = west + east
    rng.shuffle(stops)
    for per_day in (5, 6, 8):
        routes, left = plan_days(stops, days=5, per_day=per_day, start=OFFICE)
        assert left == []
        used = [{s.key for s in r} for r in routes if r]
        west_keys, east_keys = {s.key for s in west}, {s.key for s in east}
        # No day mixes the two sides; a light week is spread (at most one above the fair share of 2)
        assert all(day <= west_keys or day <= east_keys for day in used), per_day
        assert set().union(*used) == west_keys | east_keys
        assert max(len(day) for day in used) <= 3 and len(used) >= 4


def test_plan_days_spreads_a_light_week_instead_of_packing_the_first_days():
    rng = random.Random(23)
    stops = scatter(rng, 10, lat=30.25, lng=120.15, spread=0.05, first_key=1)
    routes, left = plan_days(stops, days=5, per_day=8)
    assert left == [] and [len(route) for route in routes].count(0) <= 1  # not 8 + 2 on Mon and Tue
    assert max(len(route) for route in routes) <= 3


def test_plan_days_puts_the_most_urgent_cluster_first():
    rng = random.Random(22)
    west = scatter(rng, 4, lat=30.25, lng=120.00, spread=0.02, first_key=1)
    east = scatter(rng, 3, lat=30.20, lng=120.40, spread=0.02, first_key=50, priority=3)
    routes, _ = plan_days(west + east, days=3, per_day=4)
    assert {s.key for s in routes[0]} == {s.key for s in east}
    assert {s.key for s in routes[1]} == {s.key for s in west}
    assert routes[2] == []


def test_plan_days_keeps_an_area_together_and_orders_each_day():
    blind = [Stop(k, None, None, area="西湖区" if k % 2 else "拱墅区") for k in range(1, 7)]
    routes, _ = plan_days(blind + scatter(random.Random(4), 4, first_key=20), days=3, per_day=4, start=OFFICE)
    for area in ("西湖区", "拱墅区"):
        assert len({d for d, r in enumerate(routes) for s in r if s.area == area}) == 1
    for r in routes:
        assert r == order_route(r, OFFICE)


def test_plan_days_is_deterministic():
    stops = week(seed=12)
    expected = plan_days(stops, days=5, per_day=5, start=OFFICE)
    for seed in range(3):
        shuffled = stops[:]
        random.Random(seed).shuffle(shuffled)
        assert plan_days(shuffled, days=5, per_day=5, start=OFFICE) == expected


def test_plan_days_edge_cases():
    assert plan_days([], days=5, per_day=4) == ([[], [], [], [], []], [])
    stops = week(n=3)
    routes, left = plan_days(stops, days=2, per_day=0)
    assert routes == [[], []] and len(left) == len(stops)
    with pytest.raises(ValueError):
        plan_days(stops, days=0, per_day=3)
