"""The rollout problem: regions, milestones, horizon and caps, validated at once.

A share becomes a whole number of units by rounding **up**, exactly:

>>> from fractions import Fraction
>>> exact_target(Fraction(3, 10), 249), exact_target("30%", 249)
(75, 75)

Past milestones (years before the first planned year) are allowed: they are checked
against the recognised counts at the baseline (the year before ``start``), never
silently skipped. Milestones after ``end`` are an error.

>>> p = RolloutProblem(
...     regions=[Region("HCM", "Hồ Chí Minh", total=249, recognised=20, capacity=70)],
...     milestones=[Milestone(2025, "30%"), Milestone(2030, 1)],
...     start=2025, end=2030,
... )
>>> p.target("HCM", 2025), p.target("HCM", 2029), p.target("HCM", 2030)
(75, 75, 249)
>>> p.baseline_year
2024
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from modelunit._numbers import ceil_share, exact_decimal, exact_fraction
from modelunit.errors import InvalidProblemError, Problem, UnknownRegionError

__all__ = [
    "MAX_HORIZON_YEARS",
    "Milestone",
    "Region",
    "RolloutProblem",
    "exact_target",
]


def __dir__() -> list[str]:
    return __all__


#: Longest planning horizon accepted. The exact coupled algorithms enumerate subsets
#: of years (2**years); 12 years covers every real roadmap (2024-2030 is 7).
MAX_HORIZON_YEARS = 12


def exact_target(share: Fraction | Decimal | float | str, total: int) -> int:
    """``ceil(share * total)`` with integers only (no float rounding).

    ``share`` is written as for a :class:`Milestone`: ``"30%"``, ``"3/10"``, ``0.3``
    or a ``Fraction``.

    >>> exact_target(Fraction(1, 2), 21), exact_target(Fraction(7, 100), 100)
    (11, 7)
    >>> exact_target("50%", 21), exact_target(0.07, 100), exact_target("1/3", 4)
    (11, 7, 2)
    """
    return ceil_share(exact_fraction(share), total)


def soft_fraction(value: Any) -> Any:
    """Converter for share fields that are validated afterwards: the exact share when
    ``value`` reads as one, else ``value`` unchanged, for the validation to report
    (so that every problem is listed at once instead of the first one raising)."""
    if value is None or isinstance(value, Fraction):
        return value
    try:
        return exact_fraction(value)
    except (ValueError, TypeError):
        return value


def _soft_decimal(value: Any) -> Any:
    # As soft_fraction, for decimal fields.
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return exact_decimal(value)
    except (ValueError, TypeError):
        return value


def _year_dict(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _as_tuple(value: Any) -> Any:
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return tuple(value)
    return value


@attrs.frozen
class Milestone:
    """A floor (and optional stretch goal) on the recognised share by the end of ``year``.

    ``region=None`` makes it national (it applies to every region); a regional
    milestone tightens the national ones for that region (the higher target wins).
    Shares accept ``"30%"``, ``"3/10"``, ``0.3`` or a ``Fraction``.

    >>> Milestone(2025, "30%", stretch="50%")
    Milestone(year=2025, share=Fraction(3, 10), stretch=Fraction(1, 2), region=None)
    """

    year: int
    share: Fraction = attrs.field(converter=soft_fraction)
    stretch: Fraction | None = attrs.field(default=None, converter=soft_fraction)
    region: str | None = None


@attrs.frozen
class Region:
    """A region (province) and its units (wards).

    ``capacity`` is the most new recognitions per year (``None``: no limit),
    overridden per year by ``capacity_by_year``. ``minimum`` is a yearly quota,
    counted cumulatively: by the end of each planned year the region has taken on
    at least the sum of its quotas so far (working ahead counts; never more than
    its units), with per-year overrides in ``minimum_by_year``. ``cost`` is the
    cost of bringing one unit up to standard.
    """

    id: str
    name: str = ""
    total: int = attrs.field(kw_only=True)
    recognised: int = attrs.field(default=0, kw_only=True)
    capacity: int | None = attrs.field(default=None, kw_only=True)
    capacity_by_year: dict[int, int] = attrs.field(factory=dict, kw_only=True, converter=_year_dict)
    minimum: int = attrs.field(default=0, kw_only=True)
    minimum_by_year: dict[int, int] = attrs.field(factory=dict, kw_only=True, converter=_year_dict)
    cost: Decimal | None = attrs.field(default=None, kw_only=True, converter=_soft_decimal)

    def capacity_in(self, year: int) -> int | None:
        """New recognitions allowed in ``year`` (``None``: unlimited)."""
        return self.capacity_by_year.get(year, self.capacity)

    def minimum_in(self, year: int) -> int:
        """The quota for ``year``."""
        return self.minimum_by_year.get(year, self.minimum)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@attrs.frozen
class RolloutProblem:
    """Regions, milestones and the planning horizon ``start..end`` (inclusive).

    ``recognised`` counts are as of the end of the baseline year ``start - 1``.
    ``national_cap`` (per year, overridden by ``national_cap_by_year``) limits the
    total new recognitions in a year across all regions and couples them.
    Construction validates everything and raises
    :class:`~modelunit.errors.InvalidProblemError` listing every problem found.

    >>> RolloutProblem(regions=[Region("A", total=3, recognised=5)],
    ...                milestones=[Milestone(2031, "120%")], start=2027, end=2030)
    Traceback (most recent call last):
    ...
    modelunit.errors.InvalidProblemError: 3 problems in planning problem:
      - regions[0].recognised (record 'A'): 5 recognised is more than the 3 units in total
      - milestones[0].year: 2031 is after the end of the horizon (2030)
      - milestones[0].share: 6/5 is outside 0..1
    """

    regions: tuple[Region, ...] = attrs.field(converter=_as_tuple)
    milestones: tuple[Milestone, ...] = attrs.field(converter=_as_tuple)
    start: int
    end: int
    national_cap: int | None = None
    national_cap_by_year: dict[int, int] = attrs.field(factory=dict, converter=_year_dict)

    def __attrs_post_init__(self) -> None:
        problems = _validate(self)
        if problems:
            raise InvalidProblemError(problems)

    @property
    def baseline_year(self) -> int:
        """The year whose end the ``recognised`` counts describe."""
        return self.start - 1

    @property
    def years(self) -> tuple[int, ...]:
        """The planned years, in order."""
        return tuple(range(self.start, self.end + 1))

    def region(self, region_id: str) -> Region:
        """The region with this id.

        Raises :class:`~modelunit.errors.UnknownRegionError` (a ``KeyError``) naming
        the closest ids if there is none.
        """
        for r in self.regions:
            if r.id == region_id:
                return r
        raise UnknownRegionError(region_id, (r.id for r in self.regions))

    def national_cap_in(self, year: int) -> int | None:
        """The national cap for ``year`` (``None``: no cap)."""
        return self.national_cap_by_year.get(year, self.national_cap)

    def milestones_for(self, region_id: str) -> tuple[Milestone, ...]:
        """National milestones and this region's own, sorted by year."""
        own = [m for m in self.milestones if m.region is None or m.region == region_id]
        return tuple(sorted(own, key=lambda m: (m.year, m.share, m.region is not None)))

    def target(self, region_id: str, year: int, *, stretch: bool = False) -> int:
        """Units that must be recognised by the end of ``year`` (the highest applicable floor).

        With ``stretch=True``, stretch goals count too (a milestone without a stretch
        contributes its floor).
        """
        region = self.region(region_id)
        best = 0
        for m in self.milestones_for(region_id):
            if m.year <= year:
                share = m.stretch if stretch and m.stretch is not None else m.share
                best = max(best, ceil_share(share, region.total))
        return best


def _check_count(
    problems: list[Problem], path: str, value: object, record: str | None, *, optional: bool = False
) -> bool:
    if value is None and optional:
        return True
    if not _is_count(value):
        problems.append(Problem(path, f"expected a whole number, got {value!r}", record=record))
        return False
    assert isinstance(value, int)
    if value < 0:
        problems.append(Problem(path, f"{value} is negative", record=record))
        return False
    return True


def _check_year_map(
    problems: list[Problem],
    path: str,
    value: object,
    record: str | None,
    *,
    horizon: tuple[int, int],
) -> None:
    start, end = horizon
    if not isinstance(value, dict):
        problems.append(Problem(path, f"expected a mapping year -> count, got {value!r}", record))
        return
    for year in sorted(value, key=repr):
        if not _is_count(year):
            problems.append(Problem(f"{path}[{year!r}]", f"expected a year, got {year!r}", record))
        elif not start <= year <= end:
            problems.append(
                Problem(
                    f"{path}[{year}]", f"year {year} is outside the horizon {start}-{end}", record
                ),
            )
        _check_count(problems, f"{path}[{year!r}]", value[year], record)


def _check_share(problems: list[Problem], path: str, value: object) -> bool:
    if not isinstance(value, Fraction):
        problems.append(Problem(path, f"expected a share such as '30%' or '3/10', got {value!r}"))
        return False
    if not 0 <= value <= 1:
        problems.append(Problem(path, f"{value} is outside 0..1"))
        return False
    return True


def _validate(p: RolloutProblem) -> list[Problem]:
    problems: list[Problem] = []
    horizon_ok = _is_count(p.start) and _is_count(p.end)
    if not horizon_ok:
        problems.append(Problem("start", f"expected whole years, got {p.start!r}..{p.end!r}"))
    elif p.start > p.end:
        problems.append(Problem("end", f"end {p.end} is before start {p.start}"))
        horizon_ok = False
    elif p.end - p.start + 1 > MAX_HORIZON_YEARS:
        problems.append(
            Problem("end", f"{p.end - p.start + 1} years planned; at most {MAX_HORIZON_YEARS}")
        )
    start, end = (p.start, p.end) if horizon_ok else (-(10**9), 10**9)

    # Fields are typed, but inputs come from users and files: check them as ``object``.
    regions_raw: object = p.regions
    milestones_raw: object = p.milestones
    if not isinstance(regions_raw, tuple):
        problems.append(Problem("regions", f"expected a list of regions, got {regions_raw!r}"))
    if not isinstance(milestones_raw, tuple):
        problems.append(
            Problem("milestones", f"expected a list of milestones, got {milestones_raw!r}")
        )
    if not isinstance(regions_raw, tuple) or not isinstance(milestones_raw, tuple):
        return problems

    seen: dict[str, int] = {}
    for i, r_raw in enumerate(regions_raw):
        path = f"regions[{i}]"
        if not isinstance(r_raw, Region):
            problems.append(Problem(path, f"expected a Region, got {r_raw!r}"))
            continue
        r = r_raw
        id_raw: object = r.id
        rid = id_raw if isinstance(id_raw, str) else None
        if rid is None or not rid:
            problems.append(Problem(f"{path}.id", f"expected a non-empty text id, got {id_raw!r}"))
        elif rid in seen:
            where = f"also regions[{seen[rid]}]"
            problems.append(Problem(f"{path}.id", f"duplicate region id {rid!r} ({where})", rid))
        else:
            seen[rid] = i
        total_ok = _check_count(problems, f"{path}.total", r.total, rid)
        rec_ok = _check_count(problems, f"{path}.recognised", r.recognised, rid)
        if total_ok and rec_ok and r.recognised > r.total:
            problems.append(
                Problem(
                    f"{path}.recognised",
                    f"{r.recognised} recognised is more than the {r.total} units in total",
                    rid,
                )
            )
        _check_count(problems, f"{path}.capacity", r.capacity, rid, optional=True)
        _check_count(problems, f"{path}.minimum", r.minimum, rid)
        horizon = (start, end)
        _check_year_map(
            problems, f"{path}.capacity_by_year", r.capacity_by_year, rid, horizon=horizon
        )
        _check_year_map(
            problems, f"{path}.minimum_by_year", r.minimum_by_year, rid, horizon=horizon
        )
        cost_raw: object = r.cost
        if cost_raw is not None and (not isinstance(cost_raw, Decimal) or cost_raw < 0):
            problems.append(
                Problem(f"{path}.cost", f"expected a non-negative cost, got {cost_raw!r}", rid)
            )

    scopes: dict[tuple[str | None, int], tuple[int, Fraction]] = {}
    for i, m_raw in enumerate(milestones_raw):
        path = f"milestones[{i}]"
        if not isinstance(m_raw, Milestone):
            problems.append(Problem(path, f"expected a Milestone, got {m_raw!r}"))
            continue
        m = m_raw
        if not _is_count(m.year):
            problems.append(Problem(f"{path}.year", f"expected a year, got {m.year!r}"))
        elif m.year > end:
            problems.append(
                Problem(f"{path}.year", f"{m.year} is after the end of the horizon ({end})")
            )
        share_ok = _check_share(problems, f"{path}.share", m.share)
        stretch_ok = m.stretch is not None and _check_share(problems, f"{path}.stretch", m.stretch)
        if stretch_ok and share_ok and m.stretch is not None and m.stretch < m.share:
            problems.append(
                Problem(
                    f"{path}.stretch",
                    f"stretch {m.stretch} is below the floor {m.share}: contradictory",
                )
            )
        if m.region is not None and m.region not in seen:
            problems.append(Problem(f"{path}.region", f"unknown region id {m.region!r}"))
        if share_ok and _is_count(m.year):
            key = (m.region, m.year)
            if key in scopes and scopes[key][1] != m.share:
                j, other = scopes[key]
                problems.append(
                    Problem(
                        f"{path}.share",
                        f"{m.share} contradicts milestones[{j}] ({other}) for the same "
                        f"{'region ' + repr(m.region) if m.region else 'national scope'} "
                        f"and year {m.year}",
                    )
                )
            else:
                scopes.setdefault(key, (i, m.share))

    _check_count(problems, "national_cap", p.national_cap, None, optional=True)
    _check_year_map(
        problems, "national_cap_by_year", p.national_cap_by_year, None, horizon=(start, end)
    )
    return problems
