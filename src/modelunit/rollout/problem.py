"""The rollout problem: regions, milestones, horizon and caps, validated at once.

A share becomes a whole number of units by rounding **up**, exactly:

>>> from fractions import Fraction
>>> exact_target(Fraction(3, 10), 249), exact_target("30%", 249)
(75, 75)

Past milestones (years before the first planned year) are allowed: they are checked
against the recognised counts at the baseline (the year before ``start``), never
silently skipped, and a past milestone the baseline misses is reported as missed
(late). By default (``past_milestones="catch_up"``) it is also a floor from the first
planned year: the plan catches up at once, and ``target()``, the checks, ``feasible``
and the diagnosis all say so; ``past_milestones="report"`` only reports it.
Milestones after ``end`` are an error.

>>> p = RolloutProblem(
...     regions=[Region("HCM", "Hồ Chí Minh", total=249, recognised=20, capacity=70)],
...     milestones=[Milestone(2025, "30%"), Milestone(2030, 1)],
...     start=2025, end=2030,
... )
>>> p.target("HCM", 2025), p.target("HCM", 2029), p.target("HCM", 2030)
(75, 75, 249)
>>> p.baseline_year
2024
>>> late = RolloutProblem(
...     regions=[Region("A", total=10, recognised=2)],
...     milestones=[Milestone(2024, "50%")], start=2025, end=2026,
... )
>>> late.target("A", 2024), late.target("A", 2025)
(5, 5)
>>> attrs.evolve(late, past_milestones="report").target("A", 2025)
2
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, Literal, get_args

import attrs

from modelunit._numbers import ceil_share, exact_arithmetic, exact_decimal, exact_fraction
from modelunit.errors import InvalidProblemError, Problem, UnknownRegionError
from modelunit.limits import MAX_TEXT
from modelunit.rollout._deprecated import renamed_keywords, renamed_read

__all__ = [
    "MAX_COST",
    "MAX_COST_DECIMALS",
    "MAX_HORIZON_YEARS",
    "MAX_MILESTONE_CHECKS",
    "MAX_ORACLE_SIZE",
    "MAX_REGIONS",
    "MAX_TOTAL_UNITS",
    "MAX_UNITS",
    "MAX_YEAR",
    "MIN_YEAR",
    "PAST_MILESTONE_RULES",
    "Milestone",
    "PastMilestoneRule",
    "Region",
    "RolloutProblem",
    "exact_target",
]


def __dir__() -> list[str]:
    return __all__


# --- limits -----------------------------------------------------------------------------
# Checked by RolloutProblem's validation before any planning work is done; each one
# refused is an InvalidProblemError naming the field and the limit. docs/rollout.md
# lists them in a table.

#: Most units (wards) in one region, and the most any one region-year count may say
#: (``total``, ``recognised``, ``capacity``, ``quota`` and their per-year values).
#: A province has at most a few hundred wards and the whole country had 10,035
#: communes before 2025 (3,321 on the 2025 map): a billion is generous for any real
#: use, yet every count and every sum of them stays a small exact integer (the
#: planner's arithmetic is exact), far below where a sentinel or an overflow could lurk.
MAX_UNITS = 10**9

#: Most units in all regions together, and the largest national capacity. The planner's
#: work never depends on this number of units (its steps are logarithmic in counts),
#: only on regions and years.
MAX_TOTAL_UNITS = 10**12

#: Most regions in one problem: ten times the communes of the pre-2025 map (a problem
#: normally has one region per province, 34 or 63).
MAX_REGIONS = 100_000

#: Longest planning horizon accepted. Why there is one: with a national capacity the
#: exact feasibility oracle (max-flow/min-cut over the years) keeps one value per
#: subset of the planned years, 2**years of them for every region, and each check
#: costs that many steps: 12 years is 4,096 per region, 20 would be a million. 12
#: covers every real roadmap (2024-2030 is 7; a five-year plan plus its review is 6)
#: while keeping a 63-province check under a millisecond; longer plans are planned
#: in stages (the last year's coverage is the next stage's ``recognised``).
MAX_HORIZON_YEARS = 12

#: Most ``regions x 2**years`` in one problem. The exact feasibility oracle keeps, for
#: every region, one value per subset of the planned years, and the cell-by-cell
#: strategies query it region by region: time and memory grow with this product. Its
#: 4,194,304 cover 1,024 regions over the 12-year maximum, 32,768 over 7 years and the
#: 100,000-region maximum over 5 years (705 districts over 12 years take 2,887,680).
MAX_ORACLE_SIZE = 2**22

#: Most milestone checks a plan carries: every region against every milestone that
#: applies to it (the national ones and its own). A million is 300 times the 3,321
#: communes of the 2025 map against every national milestone of a 2024-2030 roadmap.
MAX_MILESTONE_CHECKS = 10**6

#: Calendar years accepted for ``start``, ``end`` and milestone years (those of
#: Python's :mod:`datetime`, like every date in modelunit).
MIN_YEAR = 1
MAX_YEAR = 9999

#: Largest cost of one unit, and the most decimal places it may have: every cost
#: the plan reports (a unit cost times a count, summed over regions) then stays an
#: exact decimal of at most about 50 digits. 10**18 is a quintillion of any currency
#: per ward (a ward's upgrade costs billions of dong).
MAX_COST = 10**18
MAX_COST_DECIMALS = 18


#: What a past milestone the baseline misses becomes: ``"catch_up"`` (the default) a
#: floor from the first planned year, ``"report"`` only a reported miss.
PastMilestoneRule = Literal["catch_up", "report"]
PAST_MILESTONE_RULES: Final[tuple[PastMilestoneRule, ...]] = get_args(PastMilestoneRule)


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


def valid_unicode(text: str) -> bool:
    """Whether ``text`` can be written out (no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unreadable_text(text: str) -> str | None:
    """Why ``text`` could not be read back from a file (too long, a lone surrogate), so
    that a problem or plan built in Python round-trips through its JSON; ``None`` if it can."""
    if len(text) > MAX_TEXT:
        return f"text of {len(text):,} characters; at most {MAX_TEXT:,}"
    if not valid_unicode(text):
        return f"text {shown(text)} is not valid Unicode (a lone surrogate)"
    return None


def nfc(value: Any) -> Any:
    """Converter for id fields: text in Unicode NFC (so the composed and decomposed
    spellings of "Điện Biên" are one id); anything else unchanged, for the
    validation to report."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def shown(value: object) -> str:
    """``repr(value)`` for a message, safe and short: a huge integer is described
    (Python refuses to print integers of more than 4,300 digits), a long text cut, a
    fraction written ``3/2``."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"{'-' if value < 0 else ''}an integer of {value.bit_length()} bits"
    if isinstance(value, Fraction):  # as written in messages: 3/2
        if max(value.numerator.bit_length(), value.denominator.bit_length()) > 128:
            return f"a fraction of {value.denominator.bit_length()}-bit denominator"
        return str(value)
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # a huge integer or a deep structure inside
        return f"a {type(value).__name__}"
    return text if len(text) <= 80 else text[:77] + "..."


def soft_fraction(value: Any) -> Any:
    """Converter for share fields that are validated afterwards: the exact share when
    ``value`` reads as one, else ``value`` unchanged, for the validation to report
    (so that every problem is listed at once instead of the first one raising)."""
    if value is None or isinstance(value, Fraction):
        return value
    try:
        return exact_fraction(value)
    except (ValueError, TypeError, ArithmeticError):  # ArithmeticError: Decimal infinity
        return value


def _soft_decimal(value: Any) -> Any:
    # As soft_fraction, for decimal fields (ArithmeticError: an exponent out of range).
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return exact_decimal(value)
    except (ValueError, TypeError, ArithmeticError):
        return value


def units_within(budget: Decimal | None, cost: Decimal | None) -> int | None:
    """Whole units of ``cost`` within ``budget``, exactly (``None``: no limit)."""
    if budget is None or cost is None or cost == 0:
        return None
    with exact_arithmetic():
        return int(budget // cost)


def _decimal_year_dict(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _soft_decimal(v) for k, v in value.items()}
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
    milestone tightens the national ones for that region (the higher floor wins).
    Every stretch target is its own goal: a province's own stretch goal counts even
    when a national one for the same year is higher. A province may state only a
    stretch goal (``share`` defaults to 0: no floor of its own).
    Shares accept ``"30%"``, ``"3/10"``, ``0.3`` or a ``Fraction``.

    >>> Milestone(2025, "30%", stretch="50%")
    Milestone(year=2025, share=Fraction(3, 10), stretch=Fraction(1, 2), region=None)
    >>> Milestone(2025, stretch="40%", region="HCM").share
    Fraction(0, 1)
    """

    year: int
    share: Fraction = attrs.field(default=Fraction(0), converter=soft_fraction)
    stretch: Fraction | None = attrs.field(default=None, converter=soft_fraction)
    region: str | None = attrs.field(default=None, converter=nfc)


@renamed_keywords
@attrs.frozen
class Region:
    """A region (province) and its units (wards).

    ``capacity`` is the most new recognitions per year (``None``: no limit),
    overridden per year by ``capacity_by_year``. ``quota`` is a yearly quota,
    counted cumulatively: by the end of each planned year the region has taken on
    at least the sum of its quotas so far (working ahead counts; never more than
    its units), with per-year overrides in ``quota_by_year``. (Not a per-year
    minimum: 2 a year over three years asks for 6 by the third year, however
    they are spread; :meth:`RolloutProblem.target` includes it.) ``cost`` is the
    cost of bringing one unit up to standard; ``budget`` (overridden per year by
    ``budget_by_year``) is the most the region may spend in a year, in the units of
    ``cost``: it limits the year's new units to ``budget // cost``, next to the
    capacity.

    The ``id`` is kept in Unicode NFC, so both spellings of a Vietnamese name are one
    id; ``name`` is display text, also kept in NFC (so a plan read back from its JSON is
    the same plan).

    Renamed: ``quota`` and ``quota_by_year`` were ``minimum`` and ``minimum_by_year``
    (and :meth:`quota_in` was ``minimum_in``); the old names still work, with a
    ``DeprecationWarning``, until the next release.

    >>> Region("HY", total=12, quota=2).quota_in(2026)
    2
    """

    id: str = attrs.field(converter=nfc)
    name: str = attrs.field(default="", converter=nfc)
    total: int = attrs.field(kw_only=True)
    recognised: int = attrs.field(default=0, kw_only=True)
    capacity: int | None = attrs.field(default=None, kw_only=True)
    capacity_by_year: dict[int, int] = attrs.field(factory=dict, kw_only=True, converter=_year_dict)
    quota: int = attrs.field(default=0, kw_only=True)
    quota_by_year: dict[int, int] = attrs.field(factory=dict, kw_only=True, converter=_year_dict)
    cost: Decimal | None = attrs.field(default=None, kw_only=True, converter=_soft_decimal)
    budget: Decimal | None = attrs.field(default=None, kw_only=True, converter=_soft_decimal)
    budget_by_year: dict[int, Decimal] = attrs.field(
        factory=dict, kw_only=True, converter=_decimal_year_dict
    )

    def capacity_in(self, year: int) -> int | None:
        """New recognitions allowed in ``year`` (``None``: unlimited)."""
        return self.capacity_by_year.get(year, self.capacity)

    def quota_in(self, year: int) -> int:
        """The quota for ``year`` (counted cumulatively, see the class)."""
        return self.quota_by_year.get(year, self.quota)

    @property
    def minimum(self) -> int:
        """Deprecated name of :attr:`quota`."""
        renamed_read("Region", "minimum", "quota")
        return self.quota

    @property
    def minimum_by_year(self) -> dict[int, int]:
        """Deprecated name of :attr:`quota_by_year`."""
        renamed_read("Region", "minimum_by_year", "quota_by_year")
        return self.quota_by_year

    def minimum_in(self, year: int) -> int:
        """Deprecated name of :meth:`quota_in`."""
        renamed_read("Region", "minimum_in", "quota_in")
        return self.quota_in(year)

    def budget_in(self, year: int) -> Decimal | None:
        """The most the region may spend in ``year`` (``None``: no budget)."""
        return self.budget_by_year.get(year, self.budget)

    def budget_limit_in(self, year: int) -> int | None:
        """New units the budget allows in ``year``: ``budget // cost`` (``None``: no
        limit, also when a unit costs nothing)."""
        budget = self.budget_in(year)
        return units_within(budget, self.cost)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@renamed_keywords
@attrs.frozen
class RolloutProblem:
    """Regions, milestones and the planning horizon ``start..end`` (inclusive).

    ``recognised`` counts are as of the end of the baseline year ``start - 1``.
    ``national_capacity`` (per year, overridden by ``national_capacity_by_year``) limits
    the total new recognitions in a year across all regions and couples them (as a
    region's ``capacity`` limits its own);
    ``national_budget`` (per year, overridden by ``national_budget_by_year``) limits
    what all regions together spend in a year, in the units of the regions' ``cost``
    (every region then needs the same unit cost: the budget is a cap of
    ``budget // cost`` units). ``past_milestones`` says what a past milestone the
    baseline misses becomes (see :data:`PastMilestoneRule`).
    Construction validates everything and raises
    :class:`~modelunit.errors.InvalidProblemError` listing every problem found.

    Renamed: ``national_capacity`` and ``national_capacity_by_year`` were
    ``national_cap`` and ``national_cap_by_year`` (and :meth:`national_capacity_in` was
    ``national_cap_in``); the old names still work, with a ``DeprecationWarning``,
    until the next release.

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
    national_capacity: int | None = None
    national_capacity_by_year: dict[int, int] = attrs.field(factory=dict, converter=_year_dict)
    national_budget: Decimal | None = attrs.field(default=None, converter=_soft_decimal)
    national_budget_by_year: dict[int, Decimal] = attrs.field(
        factory=dict, converter=_decimal_year_dict
    )
    past_milestones: PastMilestoneRule = "catch_up"

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
        wanted = nfc(region_id)
        for r in self.regions:
            if r.id == wanted:
                return r
        raise UnknownRegionError(wanted, (r.id for r in self.regions))

    def national_capacity_in(self, year: int) -> int | None:
        """The national capacity for ``year``: the most new recognitions in all regions
        together (``None``: no limit)."""
        return self.national_capacity_by_year.get(year, self.national_capacity)

    @property
    def national_cap(self) -> int | None:
        """Deprecated name of :attr:`national_capacity`."""
        renamed_read("RolloutProblem", "national_cap", "national_capacity")
        return self.national_capacity

    @property
    def national_cap_by_year(self) -> dict[int, int]:
        """Deprecated name of :attr:`national_capacity_by_year`."""
        renamed_read("RolloutProblem", "national_cap_by_year", "national_capacity_by_year")
        return self.national_capacity_by_year

    def national_cap_in(self, year: int) -> int | None:
        """Deprecated name of :meth:`national_capacity_in`."""
        renamed_read("RolloutProblem", "national_cap_in", "national_capacity_in")
        return self.national_capacity_in(year)

    def national_budget_in(self, year: int) -> Decimal | None:
        """The national budget for ``year`` (``None``: no budget)."""
        return self.national_budget_by_year.get(year, self.national_budget)

    @property
    def unit_cost(self) -> Decimal | None:
        """The one unit cost of every region, when they all have the same (else ``None``)."""
        costs = {r.cost for r in self.regions}
        return costs.pop() if len(costs) == 1 else None

    def national_limit_in(self, year: int) -> int | None:
        """New units allowed nationally in ``year``: the national capacity and the
        national budget's ``budget // unit cost``, whichever is lower (``None``: no limit)."""
        cap = self.national_capacity_in(year)
        by_budget = units_within(self.national_budget_in(year), self.unit_cost)
        if cap is None:
            return by_budget
        return cap if by_budget is None else min(cap, by_budget)

    def milestones_for(self, region_id: str) -> tuple[Milestone, ...]:
        """National milestones and this region's own, sorted by year."""
        index = self._milestone_index
        own = [*index.get(None, ()), *index.get(nfc(region_id), ())]
        return tuple(sorted(own, key=lambda m: (m.year, m.share, m.region is not None)))

    @functools.cached_property
    def _milestone_index(self) -> dict[str | None, list[Milestone]]:
        # Milestones by region (None: national), in the order given; built once, so
        # that checking every region costs the checks, not regions x milestones.
        index: dict[str | None, list[Milestone]] = {}
        for m in self.milestones:
            index.setdefault(m.region, []).append(m)
        return index

    def target(self, region_id: str, year: int, *, stretch: bool = False) -> int:
        """Units that must be recognised by the end of ``year``: the highest applicable
        floor, the cumulative quota (``quota``) included.

        For a planned year, a past milestone the baseline misses counts when
        ``past_milestones`` is ``"catch_up"`` (the default) and not when it is
        ``"report"``; a past year's target is that of its milestones. With
        ``stretch=True``, stretch goals count too (a milestone without a stretch
        contributes its floor). This is the floor the plan meets when ``feasible``.
        """
        region = self.region(region_id)
        best = 0
        if year >= self.start:
            quota = region.recognised
            for y in range(self.start, year + 1):
                quota += region.quota_in(y)
            best = min(quota, region.total)
        for m in self.milestones_for(region_id):
            if m.year > year:
                continue
            share = m.stretch if stretch and m.stretch is not None else m.share
            if m.year < self.start <= year:
                # A past milestone in a planned year: its floor when catching up (its
                # stretch is not planned for), nothing when only reported.
                if self.past_milestones == "report":
                    continue
                share = m.share
            best = max(best, ceil_share(share, region.total))
        return best


def _check_count(
    problems: list[Problem],
    path: str,
    value: object,
    record: str | None,
    *,
    limit: int,
    limit_name: str,
    optional: bool = False,
) -> bool:
    """A whole number (an ``int``, not a ``bool``) in ``0..limit``; report it if not."""
    if value is None and optional:
        return True
    if not _is_count(value):
        problems.append(Problem(path, f"expected a whole number, got {shown(value)}", record))
        return False
    assert isinstance(value, int)
    if value < 0:
        problems.append(Problem(path, f"{shown(value)} is negative", record))
        return False
    if value > limit:
        problems.append(Problem(path, f"{shown(value)} is more than {limit_name}", record))
        return False
    return True


_PER_REGION = f"the limit of {MAX_UNITS:,} units per region (MAX_UNITS)"
_IN_ALL = f"the limit of {MAX_TOTAL_UNITS:,} units in all (MAX_TOTAL_UNITS)"


def _sorted_keys(value: dict[Any, Any]) -> list[Any]:
    # Years first, in order; then whatever else was given, for the messages.
    years = sorted(k for k in value if _is_count(k))
    others = sorted((k for k in value if not _is_count(k)), key=shown)
    return [*years, *others]


def _check_year_map(
    problems: list[Problem],
    path: str,
    value: object,
    record: str | None,
    *,
    horizon: tuple[int, int] | None,
    limit: int,
    limit_name: str,
) -> None:
    if not isinstance(value, dict):
        problems.append(
            Problem(path, f"expected a mapping year -> count, got {shown(value)}", record)
        )
        return
    for year in _sorted_keys(value):
        where = _check_year_key(problems, path, year, record, horizon)
        _check_count(problems, where, value[year], record, limit=limit, limit_name=limit_name)


def _check_year_key(
    problems: list[Problem],
    path: str,
    year: object,
    record: str | None,
    horizon: tuple[int, int] | None,
) -> str:
    """Report a key of a year table that is not a year of the horizon; its path."""
    where = f"{path}[{shown(year)}]"
    if not _is_count(year):
        problems.append(Problem(where, f"expected a year, got {shown(year)}", record))
    elif horizon is not None and not horizon[0] <= year <= horizon[1]:  # type: ignore[operator]
        start, end = horizon
        problems.append(
            Problem(where, f"year {shown(year)} is outside the horizon {start}-{end}", record)
        )
    return where


def _check_share(problems: list[Problem], path: str, value: object) -> bool:
    if not isinstance(value, Fraction):
        problems.append(
            Problem(path, f"expected a share such as '30%' or '3/10', got {shown(value)}")
        )
        return False
    if not 0 <= value <= 1:
        problems.append(Problem(path, f"{shown(value)} is outside 0..1"))
        return False
    return True


def _check_year(problems: list[Problem], path: str, value: object, what: str) -> bool:
    if not _is_count(value):
        problems.append(Problem(path, f"expected {what} (a whole number), got {shown(value)}"))
        return False
    assert isinstance(value, int)
    if not MIN_YEAR <= value <= MAX_YEAR:
        problems.append(
            Problem(path, f"year {shown(value)} is outside {MIN_YEAR}..{MAX_YEAR} (MAX_YEAR)")
        )
        return False
    return True


def _check_horizon(problems: list[Problem], p: RolloutProblem) -> tuple[int, int] | None:
    """The horizon ``(start, end)`` if it is valid, else ``None`` (problems reported)."""
    start_ok = _check_year(problems, "start", p.start, "the first planned year")
    end_ok = _check_year(problems, "end", p.end, "the last planned year")
    if not (start_ok and end_ok):
        return None
    if p.start > p.end:
        problems.append(Problem("end", f"end {p.end} is before start {p.start}"))
        return None
    years = p.end - p.start + 1
    if years > MAX_HORIZON_YEARS:
        problems.append(
            Problem(
                "end",
                f"{years} years planned; at most {MAX_HORIZON_YEARS} (MAX_HORIZON_YEARS: the "
                f"exact coupled oracle enumerates the 2**years subsets of the planned years)",
            )
        )
        return None
    return (p.start, p.end)


def _duplicate(rid: str, first: int) -> str:
    text = f"duplicate region id {rid!r} (also regions[{first}]"
    if unicodedata.normalize("NFD", rid) != rid:
        text += "; the same after Unicode NFC normalisation"
    return text + ")"


def _check_region(
    problems: list[Problem],
    i: int,
    r: Region,
    seen: dict[str, int],
    horizon: tuple[int, int] | None,
) -> None:
    """Report every problem of one region (ids seen so far in ``seen``)."""
    path = f"regions[{i}]"
    id_raw: object = r.id
    rid = id_raw if isinstance(id_raw, str) and id_raw else None
    if rid is None:
        problems.append(Problem(f"{path}.id", f"expected a non-empty text id, got {shown(id_raw)}"))
    elif (bad := _unreadable_text(rid)) is not None:
        problems.append(Problem(f"{path}.id", bad))
        rid = None
    elif rid in seen:
        problems.append(Problem(f"{path}.id", _duplicate(rid, seen[rid]), rid))
    else:
        seen[rid] = i
    name_raw: object = r.name
    if not isinstance(name_raw, str):
        problems.append(Problem(f"{path}.name", f"expected text, got {shown(name_raw)}", rid))
    elif (bad := _unreadable_text(name_raw)) is not None:
        problems.append(Problem(f"{path}.name", bad, rid))

    def count(field: str, value: object, *, optional: bool = False) -> bool:
        where = f"{path}.{field}"
        return _check_count(
            problems, where, value, rid, limit=MAX_UNITS, limit_name=_PER_REGION, optional=optional
        )

    total_ok = count("total", r.total)
    rec_ok = count("recognised", r.recognised)
    if total_ok and rec_ok and r.recognised > r.total:
        problems.append(
            Problem(
                f"{path}.recognised",
                f"{r.recognised} recognised is more than the {r.total} units in total",
                rid,
            )
        )
    count("capacity", r.capacity, optional=True)
    count("quota", r.quota)
    for field, by_year in (
        ("capacity_by_year", r.capacity_by_year),
        ("quota_by_year", r.quota_by_year),
    ):
        where = f"{path}.{field}"
        _check_year_map(
            problems, where, by_year, rid, horizon=horizon, limit=MAX_UNITS, limit_name=_PER_REGION
        )
    cost: object = r.cost
    if cost is not None:
        message = _cost_problem(cost)
        if message:
            problems.append(Problem(f"{path}.cost", message, rid))
    _check_budgets(
        problems,
        f"{path}.budget",
        r.budget,
        f"{path}.budget_by_year",
        r.budget_by_year,
        rid,
        horizon,
    )
    money_by_year: object = r.budget_by_year
    has_budget = r.budget is not None or (isinstance(money_by_year, dict) and bool(money_by_year))
    if has_budget and cost is None:
        problems.append(
            Problem(
                f"{path}.budget",
                "a budget needs a unit cost (cost) to say how many units it pays for",
                rid,
            )
        )


def _check_budgets(  # noqa: PLR0917 - two (path, value) pairs, then where they belong
    problems: list[Problem],
    path: str,
    budget: object,
    where: str,
    by_year: object,
    record: str | None,
    horizon: tuple[int, int] | None,
) -> None:
    """A yearly budget (at ``path``) and its per-year overrides (at ``where``):
    non-negative exact decimals, years within the horizon."""
    if budget is not None:
        message = _cost_problem(budget, what="budget", limit=MAX_TOTAL_UNITS * MAX_COST)
        if message:
            problems.append(Problem(path, message, record))
    if not isinstance(by_year, dict):
        problems.append(
            Problem(where, f"expected a mapping year -> budget, got {shown(by_year)}", record)
        )
        return
    for year in _sorted_keys(by_year):
        at = _check_year_key(problems, where, year, record, horizon)
        message = _cost_problem(by_year[year], what="budget", limit=MAX_TOTAL_UNITS * MAX_COST)
        if message:
            problems.append(Problem(at, message, record))


def _cost_problem(cost: object, *, what: str = "cost", limit: int = MAX_COST) -> str | None:
    """What is wrong with a unit cost (or a budget), if anything."""
    if not isinstance(cost, Decimal) or not cost.is_finite():
        return f"expected a non-negative decimal {what}, got {shown(cost)}"
    if cost < 0:
        return f"{cost} is negative"
    if cost > limit:
        if limit == MAX_COST:
            return f"{shown(cost)} is more than the limit of 10**18 per unit (MAX_COST)"
        return f"{shown(cost)} is more than the limit of 10**30 (MAX_TOTAL_UNITS x MAX_COST)"
    exponent = cost.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if exponent < -MAX_COST_DECIMALS:
        return f"{shown(cost)} has more than {MAX_COST_DECIMALS} decimal places (MAX_COST_DECIMALS)"
    return None


def _check_milestones(
    problems: list[Problem],
    milestones: tuple[object, ...],
    region_ids: dict[str, int],
    end: int | None,
) -> int:
    """Report every problem of the milestones; the number of national ones."""
    scopes: dict[tuple[str | None, int], tuple[int, Fraction]] = {}
    national = 0
    for i, m_raw in enumerate(milestones):
        path = f"milestones[{i}]"
        if not isinstance(m_raw, Milestone):
            problems.append(Problem(path, f"expected a Milestone, got {shown(m_raw)}"))
            continue
        m = m_raw
        year_ok = _check_year(problems, f"{path}.year", m.year, "a year")
        if year_ok and end is not None and m.year > end:
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
        region_raw: object = m.region
        region_ok = region_raw is None or isinstance(region_raw, str)
        if region_raw is None:
            national += 1
        elif not isinstance(region_raw, str):
            problems.append(
                Problem(
                    f"{path}.region",
                    f"expected a region id (text) or none (national), got {shown(region_raw)}",
                )
            )
        elif region_raw not in region_ids:
            problems.append(Problem(f"{path}.region", f"unknown region id {region_raw!r}"))
        stretch_only = share_ok and m.share == 0 and m.stretch is not None
        if share_ok and year_ok and region_ok and not stretch_only:
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
    return national


def _validate(p: RolloutProblem) -> list[Problem]:
    problems: list[Problem] = []
    horizon = _check_horizon(problems, p)

    # Fields are typed, but inputs come from users and files: check them as ``object``.
    regions_raw: object = p.regions
    milestones_raw: object = p.milestones
    if not isinstance(regions_raw, tuple):
        problems.append(Problem("regions", f"expected a list of regions, got {shown(regions_raw)}"))
    if not isinstance(milestones_raw, tuple):
        problems.append(
            Problem("milestones", f"expected a list of milestones, got {shown(milestones_raw)}")
        )
    if not isinstance(regions_raw, tuple) or not isinstance(milestones_raw, tuple):
        return problems

    seen: dict[str, int] = {}
    units = 0
    for i, r_raw in enumerate(regions_raw):
        if not isinstance(r_raw, Region):
            problems.append(Problem(f"regions[{i}]", f"expected a Region, got {shown(r_raw)}"))
            continue
        _check_region(problems, i, r_raw, seen, horizon)
        total: object = r_raw.total
        if _is_count(total):
            assert isinstance(total, int)
            units += max(0, min(total, MAX_UNITS + 1))
    national = _check_milestones(problems, milestones_raw, seen, horizon and horizon[1])
    _check_count(
        problems,
        "national_capacity",
        p.national_capacity,
        None,
        optional=True,
        limit=MAX_TOTAL_UNITS,
        limit_name=_IN_ALL,
    )
    _check_year_map(
        problems,
        "national_capacity_by_year",
        p.national_capacity_by_year,
        None,
        horizon=horizon,
        limit=MAX_TOTAL_UNITS,
        limit_name=_IN_ALL,
    )
    _check_budgets(
        problems,
        "national_budget",
        p.national_budget,
        "national_budget_by_year",
        p.national_budget_by_year,
        None,
        horizon,
    )
    by_year: object = p.national_budget_by_year
    has_budget = p.national_budget is not None or (isinstance(by_year, dict) and bool(by_year))
    if has_budget:
        costs = {getattr(r, "cost", None) for r in regions_raw}
        if len(costs) != 1 or None in costs:
            problems.append(
                Problem(
                    "national_budget",
                    "a national budget needs every region to have the same unit cost "
                    f"(found {len(costs - {None})} different costs"
                    f"{' and regions without one' if None in costs else ''}): the exact "
                    "planner turns it into a national capacity of budget // cost units a year",
                )
            )
    rule: object = p.past_milestones
    if rule not in PAST_MILESTONE_RULES:
        message = f"expected one of {', '.join(map(repr, PAST_MILESTONE_RULES))}, got {shown(rule)}"
        problems.append(Problem("past_milestones", message))
    problems.extend(_size_problems(len(regions_raw), units, horizon, national, milestones_raw))
    return problems


def _size_problems(
    regions: int,
    units: int,
    horizon: tuple[int, int] | None,
    national: int,
    milestones: tuple[object, ...],
) -> list[Problem]:
    """The limits on the size of the whole problem (see the module's limits)."""
    out: list[Problem] = []
    if regions > MAX_REGIONS:
        out.append(
            Problem("regions", f"{regions:,} regions; at most {MAX_REGIONS:,} (MAX_REGIONS)")
        )
    if units > MAX_TOTAL_UNITS:
        out.append(
            Problem(
                "regions",
                f"{units:,} units in all regions; at most {MAX_TOTAL_UNITS:,} (MAX_TOTAL_UNITS)",
            )
        )
    if horizon is not None and regions <= MAX_REGIONS:
        years = horizon[1] - horizon[0] + 1
        if regions << years > MAX_ORACLE_SIZE:
            out.append(
                Problem(
                    "regions",
                    f"{regions:,} regions over {years} years are too many for the exact "
                    f"oracle: regions x 2**years = {regions << years:,}, at most "
                    f"{MAX_ORACLE_SIZE:,} (MAX_ORACLE_SIZE); plan fewer regions or years",
                )
            )
    checks = regions * national + (len(milestones) - national)
    if checks > MAX_MILESTONE_CHECKS:
        out.append(
            Problem(
                "milestones",
                f"{checks:,} milestone checks (each region against every milestone that "
                f"applies to it); at most {MAX_MILESTONE_CHECKS:,} (MAX_MILESTONE_CHECKS)",
            )
        )
    return out
