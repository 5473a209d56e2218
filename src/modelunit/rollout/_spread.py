"""Exact respreading: the second objective of ``"level"``.

Among allocations that meet the same floors under the same region and national
caps, find one with the least sum of squared yearly loads ``sum x[r][t]**2`` (each
region's work as even as possible). The allocations are changed by moves of units
from one year to another: a book keeps the cheapest move between every pair of years,
negative-cost cycles of moves are cancelled until none is left (exact for this
separable convex cost), and, from each region's own most even profile, the excess of
an overloaded year travels along shortest paths of moves to a year with room.

Moves are made ``step`` units at a time, ``step`` halving down to one unit (cost
scaling): with counts in the millions, moving one unit at a time would take millions
of rounds. The last phase moves single units until no improving cycle is left, which
is what makes the result exact; the larger steps only bring it close first, in a
number of rounds that does not grow with the counts. Problems whose region-year counts
are all below ``2 * _BATCH`` (every real one: a province has a few hundred wards)
start at one unit.

No move between two years is ``None`` in the matrices, and an unreachable year has
distance ``None``: there is no "infinite" number to exceed.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence

from modelunit.rollout._flow import leveled_profile

__all__ = ["respread", "spread_from_even"]


def __dir__() -> list[str]:
    return __all__


#: Moves start at ``step = 2**k``, the largest power of two with ``step * _BATCH`` at
#: most the largest count (or one unit when that is below ``2 * _BATCH``).
_BATCH = 1024

Move = tuple[int, int, int]  # (from year, to year, change of sum x**2)
Matrix = list[list[int | None]]


def _first_step(largest: int) -> int:
    """The first batch size for counts up to ``largest`` (a power of two; 1 when small)."""
    return 1 << max(0, (largest // _BATCH).bit_length() - 1)


def _region_moves(
    xr: Sequence[int], dr: Sequence[int], ur: Sequence[int], n: int, step: int = 1
) -> list[Move]:
    """Every move of ``step`` units ``(a, b, cost)`` a region can make, with the change
    of its ``sum x**2``: ``step * (2 * step - 2 * x[a] + 2 * x[b])``. Moving units
    earlier never breaks a deadline; moving them later needs ``step`` units of slack
    (coverage above the floor) in every year from ``a`` to ``b - 1``.
    """
    # The hot loop of the spread (every region, again after each change): the cost is
    # split as ``out[a] + into[b]`` and the years with room listed once, so the loops
    # below only append (same moves, same order as the plain double loop over years).
    slack = [0] * (n + 1)
    fits = [False] * (n + 1)
    into = [0] * (n + 1)
    run = 0
    for t in range(1, n + 1):
        xt = xr[t]
        run += xt
        slack[t] = run - dr[t]
        if xt + step <= ur[t]:
            fits[t] = True
            into[t] = 2 * step * xt
    moves: list[Move] = []
    append = moves.append
    earlier: list[tuple[int, int]] = []  # (year, into) of the years before ``a`` with room
    for a in range(1, n + 1):
        xa = xr[a]
        if xa >= step:
            out = step * (2 * step - 2 * xa)
            for b, gain in earlier:
                append((a, b, out + gain))
            # Later years need ``step`` units of slack in every year from ``a`` to ``b - 1``.
            room = slack[a]
            b = a + 1
            while b <= n and room >= step:
                if fits[b]:
                    append((a, b, out + into[b]))
                if slack[b] < room:  # noqa: PLR1730 - hot loop: faster than min()
                    room = slack[b]
                b += 1
        if fits[a]:
            earlier.append((a, into[a]))
    return moves


class _MoveBook:
    """The cheapest move of ``step`` units between each ordered pair of years over all
    regions, kept up to date as regions change: a heap per pair, with stale entries
    dropped lazily (and the heaps rebuilt when stale entries outnumber the live ones,
    so memory stays proportional to regions x years**2). Ties go to the region listed
    first (lowest id)."""

    def __init__(
        self, x: list[list[int]], d: list[list[int]], u: list[list[int]], n: int, step: int = 1
    ) -> None:
        self.x, self.d, self.u, self.n, self.step = x, d, u, n, step
        self.version = [0] * len(x)
        # Each region's current moves: a rebuild pushes them again without recomputing.
        self.moves = [_region_moves(x[r], d[r], u[r], n, step) for r in range(len(x))]
        self._build()

    def _build(self) -> None:
        n = self.n
        heaps: list[list[list[tuple[int, int, int]]]] = [
            [[] for _ in range(n + 1)] for _ in range(n + 1)
        ]
        self.heaps = heaps
        size = 0
        for r, moves in enumerate(self.moves):
            v = self.version[r]
            for a, b, cost in moves:
                heaps[a][b].append((cost, r, v))
            size += len(moves)
        self.size = size
        for row in heaps:
            for heap in row:
                heapq.heapify(heap)
        self.limit = 2 * self.size + 1024

    def changed(self, r: int) -> None:
        self.version[r] += 1
        v = self.version[r]
        moves = _region_moves(self.x[r], self.d[r], self.u[r], self.n, self.step)
        self.moves[r] = moves
        heaps = self.heaps
        push = heapq.heappush
        for a, b, cost in moves:
            push(heaps[a][b], (cost, r, v))
        self.size += len(moves)
        if self.size > self.limit:
            self._build()

    def matrix(self) -> tuple[Matrix, list[list[int]]]:
        n = self.n
        w: Matrix = [[None] * (n + 1) for _ in range(n + 1)]
        who = [[-1] * (n + 1) for _ in range(n + 1)]
        version = self.version
        pop = heapq.heappop
        stale = 0
        for a in range(1, n + 1):
            row, wa, who_a = self.heaps[a], w[a], who[a]
            for b in range(1, n + 1):
                heap = row[b]
                while heap:
                    cost, r, v = heap[0]
                    if v == version[r]:
                        wa[b], who_a[b] = cost, r
                        break
                    pop(heap)
                    stale += 1
        self.size -= stale
        return w, who


def _negative_cycle(w: Matrix, spare: list[bool], n: int) -> list[int] | None:
    """A cycle of negative total weight over years 1..n and the virtual node 0, or None.

    Node 0 stands for "outside": ``0 -> a`` (take units out of year ``a``, always
    allowed) and ``b -> 0`` (put them into year ``b``, allowed while ``b`` has spare
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
                    weight = w[a][b]
                    if weight is None:
                        continue
                    cost = weight
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


def _apply_move(
    xr: list[int], dr: list[int], ur: list[int], a: int, b: int, n: int, step: int = 1
) -> int | None:
    """Move ``step`` units of one region from year ``a`` to ``b`` if still allowed; the
    change in its sum of squares, or None (nothing changed)."""
    if xr[a] < step or xr[b] + step > ur[b]:
        return None
    if b > a:
        run = sum(xr[1:a])
        for t in range(a, b):
            run += xr[t]
            if run - step < dr[t]:
                return None
    delta = step * (2 * step - 2 * xr[a] + 2 * xr[b])
    xr[a] -= step
    xr[b] += step
    return delta


def _undo(x: list[list[int]], moves: list[tuple[int, int, int]], step: int) -> None:
    for r, a, b in reversed(moves):
        x[r][b] -= step
        x[r][a] += step


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
    negative-cost cycles of moves, with batches of units halving down to single units
    (exact for this separable convex cost: no negative cycle of single-unit moves is
    left). Regions and years are tried in index order, so the result is deterministic.
    """
    x = [list(row) for row in x]
    loads = [0] * (n + 1)
    for row in x:
        for t in range(1, n + 1):
            loads[t] += row[t]
    step = _first_step(max((v for row in x for v in row[1:]), default=0))
    if book is not None and book.step == step:
        book.x = x
    else:
        book = _MoveBook(x, d, u, n, step)
    while True:
        _cancel_cycles(x, d, u, c, n, loads, book)
        if step == 1:
            return x
        step //= 2
        book = _MoveBook(x, d, u, n, step)


def _cancel_cycles(
    x: list[list[int]],
    d: list[list[int]],
    u: list[list[int]],
    c: Sequence[int],
    n: int,
    loads: list[int],
    book: _MoveBook,
) -> None:
    """Apply improving cycles of moves of ``book.step`` units until there is none."""
    step = book.step
    while True:
        w, who = book.matrix()
        spare = [False] + [loads[t] + step <= c[t] for t in range(1, n + 1)]
        cycle = _negative_cycle(w, spare, n)
        if cycle is None:
            return
        undo: list[tuple[int, int, int]] = []
        total = 0
        steps = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
        for a, b in steps:
            if a == 0 or b == 0:
                continue
            r = who[a][b]
            delta = _apply_move(x[r], d[r], u[r], a, b, n, step)
            if delta is None:
                total = 0
                break
            undo.append((r, a, b))
            total += delta
        else:
            if total < 0:
                for a, b in steps:
                    if a == 0:
                        loads[b] -= step
                    elif b == 0:
                        loads[a] += step
                for r in sorted({r for r, _, _ in undo}):
                    book.changed(r)
                continue
        # The cycle's moves interfere within one region (or do not improve once
        # applied in turn): undo them and settle for the best single move instead.
        _undo(x, undo, step)
        moved = _best_single_move(x, d, u, loads, c, n, w, who, step)
        if not moved:
            return
        for r in moved:
            book.changed(r)


def _best_single_move(
    x: list[list[int]],
    d: list[list[int]],
    u: list[list[int]],
    loads: list[int],
    c: Sequence[int],
    n: int,
    w: Matrix,
    who: list[list[int]],
    step: int = 1,
) -> list[int]:
    """Apply the most improving move into a year with spare capacity, or the most
    improving exchange of units between two years; the regions changed (none if
    there is no such move)."""
    best: tuple[int, int, int, int] | None = None  # (gain, a, b, kind)
    for a in range(1, n + 1):
        for b in range(1, n + 1):
            forth = w[a][b]
            if a == b or forth is None:
                continue
            if loads[b] + step <= c[b] and forth < 0 and (best is None or forth < best[0]):
                best = (forth, a, b, 1)
            back = w[b][a]
            if b > a and back is not None:
                pair = forth + back
                if pair < 0 and who[a][b] != who[b][a] and (best is None or pair < best[0]):
                    best = (pair, a, b, 2)
    if best is None:
        return []
    _, a, b, kind = best
    r = who[a][b]
    if _apply_move(x[r], d[r], u[r], a, b, n, step) is None:  # pragma: no cover - w is current
        return []
    if kind == 1:
        loads[a] -= step
        loads[b] += step
        return [r]
    r2 = who[b][a]
    if _apply_move(x[r2], d[r2], u[r2], b, a, n, step) is None:  # pragma: no cover
        _undo(x, [(r, a, b)], step)
        return []
    return sorted({r, r2})


def _shortest_paths(w: Matrix, source: int, n: int) -> tuple[list[int | None], list[int]]:
    """Bellman-Ford over years 1..n from ``source`` (weights may be negative, with no
    negative cycle): distances (``None``: unreachable) and predecessors; ties keep the
    first path found."""
    dist: list[int | None] = [None] * (n + 1)
    pred = [-1] * (n + 1)
    dist[source] = 0
    for _ in range(n - 1):
        changed = False
        for a in range(1, n + 1):
            da = dist[a]
            if da is None:
                continue
            wa = w[a]
            for b in range(1, n + 1):
                cost = wa[b]
                if cost is None:
                    continue
                db = dist[b]
                if db is None or da + cost < db:
                    dist[b] = da + cost
                    pred[b] = a
                    changed = True
        if not changed:
            break
    return dist, pred


def _path(pred: list[int], source: int, target: int, n: int) -> list[int] | None:
    """The years from ``source`` to ``target`` along ``pred``; ``None`` if following it
    runs in a circle (a negative cycle of moves, which a batch step can create, or
    moves that interfere within a region): a path visits at most ``n`` years."""
    path = [target]
    while path[-1] != source:
        if len(path) > n:
            return None
        path.append(pred[path[-1]])
    path.reverse()
    return path


def _push_excess(
    x: list[list[int]],
    d: list[list[int]],
    u: list[list[int]],
    c: Sequence[int],
    n: int,
    loads: list[int],
    book: _MoveBook,
    over: int,
) -> bool:
    """Move ``book.step`` units of the load of year ``over`` along the cheapest chain of
    moves to a year with room; whether that was possible (if not, nothing changed:
    no year with room is reachable, the chain runs in a circle, or its moves
    interfere)."""
    step = book.step
    w, who = book.matrix()
    dist, pred = _shortest_paths(w, over, n)
    room: dict[int, int] = {}
    for b in range(1, n + 1):
        db = dist[b]
        if loads[b] + step <= c[b] and db is not None:
            room[b] = db
    if not room:
        return False
    target = min(room, key=lambda b: (room[b], b))
    path = _path(pred, over, target, n)
    if path is None:
        return False
    done: list[tuple[int, int, int]] = []
    for a, b in itertools.pairwise(path):
        r = who[a][b]
        if _apply_move(x[r], d[r], u[r], a, b, n, step) is None:
            _undo(x, done, step)
            return False
        done.append((r, a, b))
    loads[over] -= step
    loads[target] += step
    for r in sorted({r for r, _, _ in done}):
        book.changed(r)
    return True


def spread_from_even(
    d: list[list[int]], u: list[list[int]], c: Sequence[int], n: int
) -> list[list[int]] | None:
    """The least ``sum x[r][t]**2`` allocation under yearly national caps ``c``, by
    successive shortest paths: start from each region's own most even profile (optimal
    without the caps), then move the excess of each overloaded year, in batches halving
    down to one unit, along the cheapest chain of moves to a year with room. ``None``
    when that does not finish (the caller then falls back to the general method)."""
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
    excess = max(loads[t] - c[t] for t in range(1, n + 1)) if n else 0
    if excess <= 0:
        # Each region at its own optimum and no cap binding: optimal as it stands.
        return x
    step = _first_step(excess)
    book = _MoveBook(x, d, u, n, step)
    while True:
        over = next((t for t in range(1, n + 1) if loads[t] - c[t] >= step), 0)
        if over:
            if _push_excess(x, d, u, c, n, loads, book, over):
                continue
            if step == 1:
                return None
        elif step == 1:
            # Successive shortest paths keep the plan optimal; one last search for
            # an improving cycle confirms it (and repairs it if ever needed).
            return respread(x, d, u, c, n, book)
        step //= 2
        book = _MoveBook(x, d, u, n, step)
