"""Exact respreading: the second objective of ``"level"``.

Among allocations that meet the same floors under the same region and national
caps, find one with the least sum of squared yearly loads ``sum x[r][t]**2`` (each
region's work as even as possible). The allocations are changed one unit move at a
time: a book keeps the cheapest move between every pair of years, negative-cost
cycles of moves are cancelled until none is left (exact for this separable convex
cost), and, from each region's own most even profile, the excess of an overloaded
year travels along shortest paths of moves to a year with room.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence

from modelunit.rollout._compile import INF
from modelunit.rollout._flow import leveled_profile

__all__ = ["respread", "spread_from_even"]


def __dir__() -> list[str]:
    return __all__


def _region_moves(
    xr: Sequence[int], dr: Sequence[int], ur: Sequence[int], n: int
) -> list[tuple[int, int, int]]:
    """Every one-unit move ``(a, b, cost)`` a region can make, with the change of its
    ``sum x**2``. Moving a unit earlier never breaks a deadline; moving it later
    needs a unit of slack (coverage above the floor) in every year from ``a`` to ``b - 1``.
    """
    slack = [0] * (n + 1)
    run = 0
    for t in range(1, n + 1):
        run += xr[t]
        slack[t] = run - dr[t]
    moves = []
    for a in range(1, n + 1):
        xa = xr[a]
        if not xa:
            continue
        base = 2 - 2 * xa
        for b in range(1, a):
            if xr[b] < ur[b]:
                moves.append((a, b, base + 2 * xr[b]))
        room = INF
        for b in range(a + 1, n + 1):
            room = min(room, slack[b - 1])
            if room < 1:
                break
            if xr[b] < ur[b]:
                moves.append((a, b, base + 2 * xr[b]))
    return moves


class _MoveBook:
    """The cheapest move between each ordered pair of years over all regions, kept up to
    date as regions change: a heap per pair, with stale entries dropped lazily. Ties go
    to the region listed first (lowest id)."""

    def __init__(self, x: list[list[int]], d: list[list[int]], u: list[list[int]], n: int) -> None:
        self.x, self.d, self.u, self.n = x, d, u, n
        self.version = [0] * len(x)
        self.heaps: list[list[list[tuple[int, int, int]]]] = [
            [[] for _ in range(n + 1)] for _ in range(n + 1)
        ]
        for r in range(len(x)):
            self._push(r)
        for row in self.heaps:
            for heap in row:
                heapq.heapify(heap)

    def _push(self, r: int) -> None:
        v = self.version[r]
        for a, b, cost in _region_moves(self.x[r], self.d[r], self.u[r], self.n):
            self.heaps[a][b].append((cost, r, v))

    def changed(self, r: int) -> None:
        self.version[r] += 1
        v = self.version[r]
        for a, b, cost in _region_moves(self.x[r], self.d[r], self.u[r], self.n):
            heapq.heappush(self.heaps[a][b], (cost, r, v))

    def matrix(self) -> tuple[list[list[int]], list[list[int]]]:
        n = self.n
        w = [[INF] * (n + 1) for _ in range(n + 1)]
        who = [[-1] * (n + 1) for _ in range(n + 1)]
        version = self.version
        for a in range(1, n + 1):
            for b in range(1, n + 1):
                heap = self.heaps[a][b]
                while heap and heap[0][2] != version[heap[0][1]]:
                    heapq.heappop(heap)
                if heap:
                    w[a][b], who[a][b] = heap[0][0], heap[0][1]
        return w, who


def _negative_cycle(w: list[list[int]], spare: list[bool], n: int) -> list[int] | None:
    """A cycle of negative total weight over years 1..n and the virtual node 0, or None.

    Node 0 stands for "outside": ``0 -> a`` (take a unit out of year ``a``, always
    allowed) and ``b -> 0`` (put it into year ``b``, allowed while ``b`` has spare
    national capacity), both free. Bellman-Ford from all nodes at distance 0.
    """
    nodes = n + 1
    dist = [0] * nodes
    pred = [-1] * nodes
    last = -1
    for _ in range(nodes):
        last = -1
        for a in range(nodes):
            da = dist[a]
            for b in range(nodes):
                if a == b:
                    continue
                if a == 0:
                    cost = 0
                elif b == 0:
                    if not spare[a]:
                        continue
                    cost = 0
                else:
                    cost = w[a][b]
                    if cost >= INF:
                        continue
                if da + cost < dist[b]:
                    dist[b] = da + cost
                    pred[b] = a
                    last = b
        if last == -1:
            return None
    node = last
    for _ in range(nodes):
        node = pred[node]
    cycle = [node]
    cur = pred[node]
    while cur != node:
        cycle.append(cur)
        cur = pred[cur]
    cycle.reverse()
    return cycle


def _apply_move(xr: list[int], dr: list[int], ur: list[int], a: int, b: int, n: int) -> int | None:
    """Move one unit of one region from year ``a`` to ``b`` if still allowed; the change
    in its sum of squares, or None (nothing changed)."""
    if xr[a] < 1 or xr[b] >= ur[b]:
        return None
    if b > a:
        run = sum(xr[1:a])
        for t in range(a, b):
            run += xr[t]
            if run - 1 < dr[t]:
                return None
    delta = 2 - 2 * xr[a] + 2 * xr[b]
    xr[a] -= 1
    xr[b] += 1
    return delta


def respread(
    x: list[list[int]],
    d: list[list[int]],
    u: list[list[int]],
    c: Sequence[int],
    n: int,
    book: _MoveBook | None = None,
) -> list[list[int]]:
    """Among allocations meeting the same floors, capacities and yearly national caps
    ``c``, one with the least sum of squared yearly loads ``sum x[r][t]**2`` (each
    region's work as even as possible), reached from ``x`` by cancelling
    negative-cost cycles of unit moves (exact for this separable convex cost: no
    negative cycle is left). Regions and years are tried in index order, so the
    result is deterministic.
    """
    x = [list(row) for row in x]
    loads = [0] * (n + 1)
    for row in x:
        for t in range(1, n + 1):
            loads[t] += row[t]
    if book is None:
        book = _MoveBook(x, d, u, n)
    else:
        book.x = x
    while True:
        w, who = book.matrix()
        spare = [False] + [loads[t] < c[t] for t in range(1, n + 1)]
        cycle = _negative_cycle(w, spare, n)
        if cycle is None:
            return x
        undo: list[tuple[int, int, int]] = []
        total = 0
        steps = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
        for a, b in steps:
            if a == 0 or b == 0:
                continue
            r = who[a][b]
            delta = _apply_move(x[r], d[r], u[r], a, b, n)
            if delta is None:
                total = 0
                break
            undo.append((r, a, b))
            total += delta
        else:
            if total < 0:
                for a, b in steps:
                    if a == 0:
                        loads[b] -= 1
                    elif b == 0:
                        loads[a] += 1
                for r in sorted({r for r, _, _ in undo}):
                    book.changed(r)
                continue
        # The cycle's moves interfere within one region (or do not improve once
        # applied in turn): undo them and settle for the best single move instead.
        for r, a, b in reversed(undo):
            x[r][b] -= 1
            x[r][a] += 1
        moved = _best_single_move(x, d, u, loads, c, n, w, who)
        if not moved:
            return x
        for r in moved:
            book.changed(r)


def _best_single_move(
    x: list[list[int]],
    d: list[list[int]],
    u: list[list[int]],
    loads: list[int],
    c: Sequence[int],
    n: int,
    w: list[list[int]],
    who: list[list[int]],
) -> list[int]:
    """Apply the most improving move into a year with spare capacity, or the most
    improving exchange of two units between two years; the regions changed (none if
    there is no such move)."""
    best: tuple[int, int, int, int] | None = None  # (gain, a, b, kind)
    for a in range(1, n + 1):
        for b in range(1, n + 1):
            if a == b or w[a][b] >= INF:
                continue
            if loads[b] < c[b] and w[a][b] < 0 and (best is None or w[a][b] < best[0]):
                best = (w[a][b], a, b, 1)
            if b > a and w[b][a] < INF:
                pair = w[a][b] + w[b][a]
                if pair < 0 and who[a][b] != who[b][a] and (best is None or pair < best[0]):
                    best = (pair, a, b, 2)
    if best is None:
        return []
    _, a, b, kind = best
    r = who[a][b]
    if _apply_move(x[r], d[r], u[r], a, b, n) is None:  # pragma: no cover - w is current
        return []
    if kind == 1:
        loads[a] -= 1
        loads[b] += 1
        return [r]
    r2 = who[b][a]
    if _apply_move(x[r2], d[r2], u[r2], b, a, n) is None:  # pragma: no cover
        x[r][b] -= 1
        x[r][a] += 1
        return []
    return sorted({r, r2})


def _shortest_paths(w: list[list[int]], source: int, n: int) -> tuple[list[int], list[int]]:
    """Bellman-Ford over years 1..n from ``source`` (weights may be negative, with no
    negative cycle): distances and predecessors; ties keep the first path found."""
    dist = [INF] * (n + 1)
    pred = [-1] * (n + 1)
    dist[source] = 0
    for _ in range(n - 1):
        changed = False
        for a in range(1, n + 1):
            da = dist[a]
            if da >= INF:
                continue
            wa = w[a]
            for b in range(1, n + 1):
                cost = wa[b]
                if cost < INF and da + cost < dist[b]:
                    dist[b] = da + cost
                    pred[b] = a
                    changed = True
        if not changed:
            break
    return dist, pred


def spread_from_even(
    d: list[list[int]], u: list[list[int]], c: Sequence[int], n: int
) -> list[list[int]] | None:
    """The least ``sum x[r][t]**2`` allocation under yearly national caps ``c``, by
    successive shortest paths: start from each region's own most even profile (optimal
    without the caps), then move the excess of each overloaded year, one unit at a
    time, along the cheapest chain of moves to a year with room. ``None`` when that
    does not finish (the caller then falls back to the general method)."""
    x: list[list[int]] = []
    for dr, ur in zip(d, u, strict=True):
        row = leveled_profile(dr, ur)
        if row is None:
            return None
        x.append(row)
    loads = [0] * (n + 1)
    for row in x:
        for t in range(1, n + 1):
            loads[t] += row[t]
    if all(loads[t] <= c[t] for t in range(1, n + 1)):
        # Each region at its own optimum and no cap binding: optimal as it stands.
        return x
    book = _MoveBook(x, d, u, n)
    while True:
        over = next((t for t in range(1, n + 1) if loads[t] > c[t]), 0)
        if not over:
            # Successive shortest paths keep the plan optimal; one last search for
            # an improving cycle confirms it (and repairs it if ever needed).
            return respread(x, d, u, c, n, book)
        w, who = book.matrix()
        dist, pred = _shortest_paths(w, over, n)
        room = [b for b in range(1, n + 1) if loads[b] < c[b] and dist[b] < INF]
        if not room:
            return None
        target = min(room, key=lambda b: (dist[b], b))
        path = [target]
        while path[-1] != over:
            path.append(pred[path[-1]])
        path.reverse()
        done: list[tuple[int, int, int]] = []
        for a, b in itertools.pairwise(path):
            r = who[a][b]
            if _apply_move(x[r], d[r], u[r], a, b, n) is None:
                for r2, a2, b2 in reversed(done):
                    x[r2][b2] -= 1
                    x[r2][a2] += 1
                return None
            done.append((r, a, b))
        loads[over] -= 1
        loads[target] += 1
        for r in sorted({r for r, _, _ in done}):
            book.changed(r)
