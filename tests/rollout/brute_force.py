"""Tiny integer instances and every plan of them: the reference for the private modules.

The planner's integer core works on floors ``d[1..n]`` (cumulative) and yearly caps
``u[1..n]`` per region, and national caps ``c[1..n]``: :func:`regions` draws one
region, :func:`feasible_instances` several with national caps that can all be met,
and :func:`every_plan` enumerates every allocation of a small region.
"""

from __future__ import annotations

import itertools

from hypothesis import strategies as st


@st.composite
def regions(draw, max_years=4, max_cap=4):
    n = draw(st.integers(1, max_years))
    u = [0] + [draw(st.integers(0, max_cap)) for _ in range(n)]
    d = [0]
    for _ in range(n):
        d.append(d[-1] + draw(st.integers(0, 3)))
    return d, u


def every_plan(d, u):
    n = len(u) - 1
    for xs in itertools.product(*[range(u[t] + 1) for t in range(1, n + 1)]):
        run, ok = 0, True
        for t in range(n):
            run += xs[t]
            ok = ok and run >= d[t + 1]
        if ok and run == d[n]:
            yield xs


@st.composite
def feasible_instances(draw, max_regions=3, max_years=3):
    """Floors, region caps and national caps built around a plan, so that they can all be
    met: each region must take on exactly its last floor."""
    n = draw(st.integers(1, max_years))
    d, u, loads = [], [], [0] * (n + 1)
    for _ in range(draw(st.integers(1, max_regions))):
        ur = [0] + [draw(st.integers(0, 3)) for _ in range(n)]
        xr = [0] + [draw(st.integers(0, ur[t])) for t in range(1, n + 1)]
        cum = list(itertools.accumulate(xr))
        dr = [0] * (n + 1)
        for t in range(1, n):
            dr[t] = draw(st.integers(dr[t - 1], cum[t]))
        dr[n] = cum[n]
        d.append(dr)
        u.append(ur)
        loads = [a + b for a, b in zip(loads, xr, strict=True)]
    c = [0] + [loads[t] + draw(st.integers(0, 2)) for t in range(1, n + 1)]
    return d, u, c, n
