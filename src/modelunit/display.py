"""Results as HTML for notebooks, in English or Vietnamese.

Jupyter shows an object through its ``_repr_html_``; the result types of modelunit
(assessments, batches, criteria sets, plans, diagnoses, simulations, comparisons and
sweeps) delegate it to :func:`html`, which renders a compact table: outcomes coloured
(and named, so nothing is told by colour alone), gaps and reasons, milestones met or
missed. Every text from the data is escaped, so a title such as ``<script>`` is shown,
never run. Long tables are cut at :data:`MAX_ROWS` rows (``to_pandas()`` has them all).

For Vietnamese, ask for it: ``html(result, lang="vi")`` returns an :class:`Html`, a
``str`` that notebooks render.

>>> import modelunit
>>> result = modelunit.assess(modelunit.load_catalog("tutorial"),
...                           modelunit.load_evidence("tutorial"),
...                           unit="phuong-an-hoa", period="2023")
>>> page = html(result, lang="vi")
>>> "chưa đủ căn cứ" in page, page.startswith('<div class="modelunit">')
(True, True)
"""

from __future__ import annotations

import html as _html
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

from modelunit._i18n import LANGUAGES, Lang
from modelunit.errors import InvalidArgumentError
from modelunit.outcomes import Outcome

if TYPE_CHECKING:
    from modelunit.assessment import BatchAssessment
    from modelunit.comparison import Comparison
    from modelunit.criteria import CriteriaSet
    from modelunit.results import Assessment, Counts
    from modelunit.rollout.feasibility import Diagnosis
    from modelunit.rollout.plan import RolloutPlan
    from modelunit.rollout.simulation import SimulationResult
    from modelunit.sweep import SweepResult

__all__ = ["LABELS", "MAX_ROWS", "Html", "html"]


def __dir__() -> list[str]:
    return __all__


#: Tables longer than this show their first rows and say how many are left out.
MAX_ROWS: Final = 60


class Html(str):
    """HTML text that a notebook renders (it has ``_repr_html_``); otherwise a ``str``."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


#: Every text of the tables, in English and Vietnamese (a test checks both are there).
LABELS: Final[Mapping[str, tuple[str, str]]] = {
    "assessment": ("Assessment", "Kết quả đánh giá"),
    "at_risk": ("At risk", "Có nguy cơ không đạt"),
    "comparison": ("Comparison", "So sánh"),
    "p_end": ("P(all meet the last floor)", "P(tất cả đạt mốc cuối)"),
    "regions_at_risk": ("regions at risk", "tỉnh có nguy cơ"),
    "baseline": ("baseline", "mốc so sánh"),
    "batch": ("Batch assessment", "Đánh giá hàng loạt"),
    "budget": ("budget", "ngân sách"),
    "buffer": ("buffer", "dự phòng"),
    "confidence": ("confidence", "độ tin cậy"),
    "cost": ("cost", "kinh phí"),
    "criteria": ("Criteria", "Bộ tiêu chí"),
    "criterion": ("criterion", "tiêu chí"),
    "diagnosis": ("Diagnosis", "Chẩn đoán"),
    "differences": ("Where it differs", "Chỗ khác nhau"),
    "earliest": ("earliest year", "năm sớm nhất"),
    "every_criterion": ("Every criterion", "Tất cả tiêu chí"),
    "evidence": ("evidence", "căn cứ"),
    "feasible": ("feasible", "khả thi"),
    "final": ("final", "cuối kỳ"),
    "fix": ("Smallest fix", "Bổ sung tối thiểu"),
    "gaps": ("Gaps to close", "Còn phải khắc phục"),
    "group": ("group", "nhóm"),
    "infeasible": ("infeasible", "không khả thi"),
    "kind": ("kind", "loại"),
    "level": ("level", "mức"),
    "levels": ("Levels", "Các mức công nhận"),
    "mandatory": ("mandatory", "bắt buộc"),
    "met": ("met", "đạt"),
    "milestones": ("Milestones", "Các mốc"),
    "missed": ("missed", "không đạt"),
    "missed_by": ("missed by", "thiếu"),
    "missing": ("missing evidence", "thiếu căn cứ"),
    "more": ("more rows: see to_pandas()", "dòng nữa: xem to_pandas()"),
    "name": ("name", "tên"),
    "national": ("national", "toàn quốc"),
    "needed": ("needed", "cần"),
    "new": ("new wards per year", "số phường mới mỗi năm"),
    "no_differences": ("The same plan as the baseline.", "Kế hoạch giống mốc so sánh."),
    "none_at_risk": ("No region at risk.", "Không có tỉnh nào có nguy cơ."),
    "not_reached": ("not reached", "chưa đạt"),
    "odds": ("Odds of meeting each milestone", "Xác suất đạt từng mốc"),
    "outcome": ("outcome", "kết quả"),
    "peak": ("national peak", "đỉnh toàn quốc"),
    "period": ("period", "kỳ"),
    "plan": ("Rollout plan", "Kế hoạch triển khai"),
    "probability": ("probability", "xác suất"),
    "reachable": ("reachable", "có thể đạt"),
    "reached": ("reached", "đạt"),
    "reason": ("reason", "lý do"),
    "recognised": ("recognised", "được công nhận"),
    "region": ("region", "tỉnh, thành phố"),
    "rule": ("rule", "quy tắc"),
    "runs": ("runs", "lần mô phỏng"),
    "scenario": ("scenario", "kịch bản"),
    "seed": ("seed", "hạt giống"),
    "share": ("share", "tỷ lệ"),
    "short": ("short by", "thiếu"),
    "shortfall": ("shortfall at confidence", "thiếu hụt ở độ tin cậy"),
    "strategy": ("strategy", "phương án"),
    "sweep": ("Sweep", "Quét tham số"),
    "target": ("target", "chỉ tiêu"),
    "title": ("title", "tên tiêu chí"),
    "total": ("total", "tổng"),
    "unit": ("unit", "đơn vị"),
    "units": ("units", "đơn vị"),
    "year": ("year", "năm"),
}

_COLOURS: Final[Mapping[str, tuple[str, str]]] = {  # background, text: readable contrast
    "good": ("#d4edda", "#155724"),
    "bad": ("#f8d7da", "#721c24"),
    "unknown": ("#fff3cd", "#6b5000"),
    "neutral": ("#e9ecef", "#343a40"),
}
_OUTCOME_TONE: Final[Mapping[Outcome, str]] = {
    Outcome.MET: "good",
    Outcome.NOT_MET: "bad",
    Outcome.INSUFFICIENT: "unknown",
    Outcome.NOT_APPLICABLE: "neutral",
}
_TABLE = 'style="border-collapse:collapse;font-size:90%"'
_CELL = "padding:2px 6px;border-bottom:1px solid #ddd;text-align:"


def _check_lang(lang: object) -> Lang:
    if lang not in LANGUAGES:
        raise InvalidArgumentError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    return lang


def _t(key: str, lang: Lang) -> str:
    en, vi = LABELS[key]
    return vi if lang == "vi" else en


def _heads(lang: Lang, *keys: str) -> list[str]:
    """The column headings of a table, in ``lang``."""
    return [_t(k, lang) for k in keys]


def _e(text: object) -> str:
    return _html.escape(str(text), quote=True)


def _badge(text: str, tone: str) -> str:
    bg, fg = _COLOURS[tone]
    return (
        f'<span style="background:{bg};color:{fg};padding:0 4px;border-radius:3px;'
        f'white-space:nowrap">{_e(text)}</span>'
    )


def _outcome(outcome: Outcome, lang: Lang) -> str:
    label = outcome.label_vi if lang == "vi" else outcome.label_en
    return _badge(label, _OUTCOME_TONE[outcome])


def _percent(share: Fraction, places: int = 0) -> str:
    """A share as a percentage, rounded half up with integers (no float formatting)."""
    scale = 10**places
    n = share.numerator * 100 * scale * 2 + share.denominator
    whole = n // (2 * share.denominator)
    text = str(whole // scale)
    if places:
        text += f".{whole % scale:0{places}d}"
    return f"{text}%"


class _Cell:
    """A cell of a table: HTML (already escaped), right-aligned when it is a number."""

    __slots__ = ("html", "numeric")

    def __init__(self, html: str, *, numeric: bool = False) -> None:
        self.html = html
        self.numeric = numeric


def _cell(value: object) -> _Cell:
    if isinstance(value, _Cell):
        return value
    if value is None:
        return _Cell("")
    numeric = isinstance(value, int | float | Fraction | Decimal) and not isinstance(value, bool)
    return _Cell(_e(value), numeric=numeric)


def _table(
    head: Sequence[str],
    rows: Iterable[Sequence[object]],
    lang: Lang,
    *,
    more: int = 0,
    footer: Sequence[Sequence[object]] = (),
) -> str:
    """A table of ``rows`` (the first :data:`MAX_ROWS` shown; ``more`` rows were left out
    by the caller already), then the ``footer`` rows (totals), always shown."""
    out = [f"<table {_TABLE}><thead><tr>"]
    out.extend(f'<th style="{_CELL}left">{_e(h)}</th>' for h in head)
    out.append("</tr></thead><tbody>")
    left = more
    for i, row in enumerate(rows):
        if i >= MAX_ROWS:
            left += 1
            continue
        out.append(_row(row))
    if left:
        out.append(
            f'<tr><td colspan="{len(head)}" style="{_CELL}left">… {left} {_t("more", lang)}'
            "</td></tr>"
        )
    out.extend(_row(row) for row in footer)
    out.append("</tbody></table>")
    return "".join(out)


def _row(values: Sequence[object]) -> str:
    cells = []
    for value in values:
        c = _cell(value)
        cells.append(f'<td style="{_CELL}{"right" if c.numeric else "left"}">{c.html}</td>')
    return f"<tr>{''.join(cells)}</tr>"


def _page(title: str, *parts: str) -> Html:
    body = "".join(p for p in parts if p)
    return Html(f'<div class="modelunit"><p><strong>{title}</strong></p>{body}</div>')


def _para(text: str) -> str:
    return f"<p>{text}</p>" if text else ""


def _heading(text: str) -> str:
    return f'<p style="margin-bottom:2px"><strong>{_e(text)}</strong></p>'


def _list(items: Iterable[str]) -> str:
    lines = [f"<li>{item}</li>" for item in items]
    return f"<ul>{''.join(lines)}</ul>" if lines else ""


# -- assessments -------------------------------------------------------------------------


def assessment_html(assessment: Assessment, lang: Lang = "en") -> Html:
    """One unit's assessment: level, level checks, every criterion, the gaps."""
    a = assessment
    level_title = (a.level_title_vi if lang == "vi" else a.level_title_en) or a.level
    head = (
        f"{_e(_t('assessment', lang))}: {_e(a.unit)} ({_e(a.unit_kind)}), {_e(a.period)}"
        f" · {_e(a.catalog)} {_e(a.version)}"
    )
    if a.as_of is not None:
        head += f" · as of {_e(a.as_of.isoformat(sep=' '))}"
    level = _badge(level_title, "good" if a.recognised else "unknown")
    summary = f"{_e(_counts(a.counts, lang))}: {level}"
    checks = _list(
        f"{_e(c.level)}: "
        + (
            _badge(_t("reached", lang), "good")
            if c.reached
            else _badge(_t("not_reached", lang), "neutral")
        )
        + f" ({_e(c.reason)})"
        for c in a.level_checks
    )
    rows = [
        (
            r.criterion + (" *" if r.mandatory else ""),
            _Cell(_outcome(r.outcome, lang)),
            r.explanation,
            _evidence(r.evidence),
        )
        for r in a.results
    ]
    table = _table(
        _heads(lang, "criterion", "outcome", "reason", "evidence"),
        rows,
        lang,
    )
    gaps = ""
    if a.gaps:
        gap_rows = [
            (
                g.criterion + (" *" if g.mandatory else ""),
                _Cell(_outcome(g.outcome, lang)),
                ", ".join(g.missing),
                g.reason,
            )
            for g in a.gaps
        ]
        gaps = _heading(_t("gaps", lang)) + _table(
            _heads(lang, "criterion", "outcome", "missing", "reason"),
            gap_rows,
            lang,
        )
    legend = _para(f"* {_e(_t('mandatory', lang))}") if any(r.mandatory for r in a.results) else ""
    every = _heading(_t("every_criterion", lang)) + table
    return _page(head, _para(summary), checks, gaps, every, legend)


def _counts(counts: Counts, lang: Lang) -> str:
    """``21/22 met, 1 pending`` (:meth:`Counts.summary`), or its Vietnamese."""
    if lang == "en":
        return counts.summary()
    parts = [f"{counts.met}/{counts.applicable} {Outcome.MET.label_vi}"]
    for outcome in (Outcome.NOT_MET, Outcome.INSUFFICIENT, Outcome.NOT_APPLICABLE):
        if counts.of(outcome):
            parts.append(f"{counts.of(outcome)} {outcome.label_vi}")
    return ", ".join(parts)


def _evidence(ids: Sequence[str], shown: int = 3) -> str:
    if len(ids) <= shown:
        return ", ".join(ids)
    return f"{', '.join(ids[:shown])} (+{len(ids) - shown})"


def batch_html(batch: BatchAssessment, lang: Lang = "en") -> Html:
    """A batch: each unit's counts and level per period (the first :data:`MAX_ROWS`),
    then each criterion's outcomes over all units."""
    catalog = batch.catalog
    head = (
        f"{_e(_t('batch', lang))}: {_e(catalog.id)} {_e(catalog.version)} · "
        f"{len(batch.units)} {_e(_t('units', lang))} × {len(batch.periods)} "
        f"{_e(_t('period', lang))}"
    )
    levels = {lv.id: lv for lv in (*catalog.policy.levels, catalog.policy.fallback)}
    pairs = [(p, u) for p in batch.periods for u in batch.units]
    unit_rows = []
    for period, unit in pairs[:MAX_ROWS]:
        s = batch.summary(unit.id, period)
        level = levels[s.level]
        title = (level.title_vi if lang == "vi" else level.title_en) or level.id
        unit_rows.append(
            (
                unit.id,
                unit.name,
                str(period),
                *(s.counts.of(o) for o in _ORDER),
                _Cell(_badge(title, "good" if s.recognised else "unknown")),
            )
        )
    outcome_head = [o.label_vi if lang == "vi" else o.label_en for o in _ORDER]
    units_table = _table(
        [_t("unit", lang), _t("name", lang), _t("period", lang), *outcome_head, _t("level", lang)],
        unit_rows,
        lang,
        more=len(pairs) - len(unit_rows),
    )
    # Outcome codes (0 not met, 1 insufficient, 2 met, 3 n/a): tallies over all units.
    position = {2: 0, 0: 1, 1: 2, 3: 3}
    crit_rows = []
    for c in catalog.criteria:
        tally = [0, 0, 0, 0]
        for period in batch.periods:
            for code in batch.outcome_codes(period, c.id):
                tally[position[code]] += 1
        crit_rows.append((c.id, c.title(lang), *tally))
    criteria_table = _heading(_t("criteria", lang)) + _table(
        [_t("criterion", lang), _t("title", lang), *outcome_head], crit_rows, lang
    )
    return _page(head, units_table, criteria_table)


_ORDER: Final = (Outcome.MET, Outcome.NOT_MET, Outcome.INSUFFICIENT, Outcome.NOT_APPLICABLE)


def criteria_html(catalog: CriteriaSet, lang: Lang = "en") -> Html:
    """A criteria set: its criteria by group (mandatory ones marked) and its levels."""
    head = f"{_e(_t('criteria', lang))}: {_e(catalog.id)} {_e(catalog.version)}"
    title = catalog.title(lang)
    if title and title != catalog.id:
        head += f" · {_e(title)}"
    groups = {g.id: g.title(lang) for g in catalog.groups}
    rows = [
        (
            groups.get(c.group, c.group),
            c.id,
            c.title(lang),
            _Cell(_badge(_t("mandatory", lang), "bad")) if c.mandatory else "",
            c.rule.describe(),
        )
        for c in catalog.criteria
    ]
    table = _table(
        _heads(lang, "group", "criterion", "title", "mandatory", "rule"),
        rows,
        lang,
    )
    levels = _heading(_t("levels", lang)) + _list(
        f"{_e(lv.id)}: {_e((lv.title_vi if lang == 'vi' else lv.title_en) or lv.id)}"
        for lv in (*catalog.policy.levels, catalog.policy.fallback)
    )
    return _page(head, table, levels)


# -- plans -------------------------------------------------------------------------------


def _feasible(ok: bool, lang: Lang) -> str:
    return _badge(_t("feasible", lang), "good") if ok else _badge(_t("infeasible", lang), "bad")


def plan_html(plan: RolloutPlan, lang: Lang = "en") -> Html:
    """A plan: new wards per region and year, final coverage and share, every milestone
    met or missed, national totals (and costs), regions at risk and the diagnosis."""
    years = plan.years
    head = (
        f"{_e(_t('plan', lang))}: {_e(_t('strategy', lang))} {_e(plan.strategy)} · "
        f"{years[0]}–{years[-1]} · {_feasible(plan.feasible, lang)} · "
        f"{_e(_t('peak', lang))} {plan.peak}"
    )
    milestone_years = sorted({c.year for c in plan.checks})
    checks: dict[tuple[str, int], list[Any]] = {}
    for c in plan.checks:
        checks.setdefault((c.region, c.year), []).append(c)
    rows: list[list[object]] = []
    for r in plan.regions:
        final = r.cumulative[-1] if r.cumulative else r.recognised
        share = Fraction(final, r.total) if r.total else Fraction(1)
        row: list[object] = [r.region, r.name, *r.new, final, _percent(share)]
        for year in milestone_years:
            row.append(_Cell(_milestone(checks.get((r.region, year), []), lang)))
        rows.append(row)
    blank = [""] * (2 + len(milestone_years))
    footer: list[list[object]] = [
        [_Cell(f"<strong>{_e(_t('total', lang))}</strong>"), "", *plan.national, *blank]
    ]
    cost = plan.cost
    if cost is not None:
        footer.append([_t("cost", lang), "", *cost, *blank])
    table = _table(
        [
            _t("region", lang),
            _t("name", lang),
            *map(str, years),
            _t("final", lang),
            _t("share", lang),
            *(f"{_t('target', lang)} {y}" for y in milestone_years),
        ],
        rows,
        lang,
        footer=footer,
    )
    risk = plan.at_risk()
    names = {r.region: r.name for r in plan.regions}
    at_risk = _heading(_t("at_risk", lang)) + (
        _list(
            f"{_e(rid)}{' ' + _e(names[rid]) if names.get(rid) else ''}: "
            + "; ".join(_e(_without(reason, rid)) for reason in reasons)
            for rid, reasons in risk.items()
        )
        if risk
        else _para(_e(_t("none_at_risk", lang)))
    )
    fix = _fix(plan.diagnosis, lang)
    return _page(head, table, at_risk, fix)


def _without(reason: str, rid: str) -> str:
    """A reason without the region id it starts with (the row names the region)."""
    for prefix in (f"{rid}: ", f"{rid} "):
        if reason.startswith(prefix):
            return reason[len(prefix) :]
    return reason


def _milestone(checks: Sequence[Any], lang: Lang) -> str:
    if not checks:
        return ""
    # The highest target of the year decides; its stretch goal is shown when there is one.
    c = max(checks, key=lambda k: k.target)
    text = f"{c.coverage}/{c.target}"
    if c.met:
        tone, word = "good", _t("met", lang)
        if c.stretch_met:
            word += " ★"
    else:
        tone, word = "bad", f"{_t('missed_by', lang)} {c.target - c.coverage}"
    return _badge(f"{text} {word}", tone)


def _fix(diagnosis: Diagnosis, lang: Lang) -> str:
    if not diagnosis.extra_capacity and not diagnosis.extra_budget:
        return ""
    items = [
        f"{_e(c.region if c.region is not None else _t('national', lang))}: +{c.units} ({c.year})"
        for c in diagnosis.extra_capacity
    ]
    items += [
        f"{_e(b.region if b.region is not None else _t('national', lang))}: "
        f"+{_e(str(b.amount))} {_e(_t('budget', lang))} ({b.year})"
        for b in diagnosis.extra_budget
    ]
    return _heading(_t("fix", lang)) + _list(items)


def diagnosis_html(diagnosis: Diagnosis, lang: Lang = "en") -> Html:
    """A diagnosis: every shortfall and the smallest capacity fix."""
    head = f"{_e(_t('diagnosis', lang))}: {_feasible(diagnosis.feasible, lang)}"
    rows = [
        (
            s.region if s.region is not None else _t("national", lang),
            s.year,
            s.kind,
            s.needed,
            s.reachable,
            _Cell(_badge(str(s.short), "bad"), numeric=True),
            s.earliest_year,
        )
        for s in diagnosis.shortfalls
    ]
    table = (
        _table(
            _heads(lang, "region", "year", "kind", "needed", "reachable", "short", "earliest"),
            rows,
            lang,
        )
        if rows
        else ""
    )
    return _page(head, table, _fix(diagnosis, lang))


def simulation_html(result: SimulationResult, lang: Lang = "en") -> Html:
    """Odds per region and milestone, those below the confidence marked."""
    head = (
        f"{_e(_t('odds', lang))} · p = {_percent(result.p_recognised, 1)} · "
        f"{result.runs} {_e(_t('runs', lang))}, {_e(_t('seed', lang))} {result.seed} · "
        f"{_e(_t('confidence', lang))} {_percent(result.confidence)}"
    )
    rows = [
        (
            o.region,
            o.year,
            o.target,
            _Cell(
                _badge(
                    _percent(o.probability, 1),
                    "good" if o.probability >= result.confidence else "bad",
                ),
                numeric=True,
            ),
            o.shortfall_at_confidence,
            o.buffer,
        )
        for o in result.odds
    ]
    table = _table(
        _heads(lang, "region", "year", "target", "probability", "shortfall", "buffer"),
        rows,
        lang,
    )
    return _page(head, table)


# -- comparisons and sweeps --------------------------------------------------------------


def _chance(p: Fraction) -> str:
    """A probability as a percentage; below 0.1% (but not 0) as "< 0.1%"."""
    if 0 < p < Fraction(1, 1000):
        return "< 0.1%"
    return _percent(p, 1)


def _ids(ids: Sequence[str], shown: int = 8) -> str:
    if len(ids) <= shown:
        return ", ".join(ids)
    return f"{', '.join(ids[:shown])} (+{len(ids) - shown})"


def _summary_table(rows: Sequence[Mapping[str, Any]], first: Sequence[str], lang: Lang) -> str:
    """Scenarios' or sweep points' summary rows: the ``first`` columns, then feasible,
    peak, floors missed, regions at risk and, when any row has them, odds and cost."""
    odds = any(r.get("p_end") is not None for r in rows)
    cost = any(r.get("cost") is not None for r in rows)
    head = [
        *first,
        _t("feasible", lang),
        _t("peak", lang),
        _t("missed", lang),
        _t("regions_at_risk", lang),
    ]
    if odds:
        head.append(_t("p_end", lang))
    if cost:
        head.append(_t("cost", lang))
    body = []
    for r in rows:
        cells: list[object] = [
            *(_param(r[k]) for k in first),
            _Cell(_feasible(bool(r["feasible"]), lang)),
            r["peak"],
            r["missed"],
            _ids(r["at_risk"]),
        ]
        if odds:
            cells.append(
                _Cell(_e(_chance(r["p_end"])), numeric=True) if r["p_end"] is not None else ""
            )
        if cost:
            cells.append(r["cost"])
        body.append(cells)
    return _table(head, body, lang)


def comparison_html(comparison: Comparison, lang: Lang = "en") -> Html:
    """Scenarios side by side: feasible, peak, floors missed, regions at risk, odds and
    cost; what each changes; per region, the new wards of each year where a scenario
    differs from the first (the baseline); the milestones missed."""
    scenarios = comparison.scenarios
    head = f"{_e(_t('comparison', lang))}: {_e(scenarios[0].id)} ({_e(_t('baseline', lang))})"
    summary = _summary_table(
        [{**r, "scenario": r["scenario"]} for r in comparison.summary()], ["scenario"], lang
    )
    assumptions = _list(
        f"<strong>{_e(s.id)}</strong>: {_e(a)}"
        for s in scenarios[1:]
        for a in s.assumptions
        if a not in scenarios[0].assumptions
    )
    base = comparison.plans[0]
    years = base.years
    base_ids = {r.region for r in base.regions}
    parts = []
    for scenario, plan in zip(scenarios[1:], comparison.plans[1:], strict=True):
        rows = []
        for r in plan.regions:
            ref = (
                dict(zip(years, base.region(r.region).new, strict=True))
                if r.region in base_ids
                else {}
            )
            if all(ref.get(y) == v for y, v in zip(plan.years, r.new, strict=True)):
                continue
            cells: list[object] = [r.region, r.name]
            for year, now in zip(plan.years, r.new, strict=True):
                was = ref.get(year)
                if was == now:
                    cells.append(now)
                else:
                    shown = f"{'–' if was is None else was} → {now}"
                    cells.append(_Cell(_badge(shown, "unknown"), numeric=True))
            rows.append(cells)
        title = f"{_t('differences', lang)}: {scenario.id} ({_t('new', lang)})"
        parts.append(
            _heading(title)
            + (
                _table([_t("region", lang), _t("name", lang), *map(str, plan.years)], rows, lang)
                if rows
                else _para(_e(_t("no_differences", lang)))
            )
        )
    missed = [m for m in comparison.milestones() if not m["met"]]
    milestones = ""
    if missed:
        milestones = _heading(f"{_t('milestones', lang)}: {_t('missed', lang)}") + _table(
            _heads(lang, "scenario", "region", "name", "year", "target", "recognised"),
            (
                (m["scenario"], m["region"], m["name"], m["year"], m["target"], m["coverage"])
                for m in missed
            ),
            lang,
        )
    return _page(head, summary, assumptions, *parts, milestones)


def sweep_html(result: SweepResult, lang: Lang = "en") -> Html:
    """A sweep: one row per point of the grid, its parameters and outcomes."""
    head = f"{_e(_t('sweep', lang))}: {_e(result.scenario)} · {len(result.points)} points"
    return _page(head, _summary_table(result.summary(), list(result.parameters), lang))


def _param(value: object) -> object:
    if isinstance(value, Fraction) and value.denominator != 1:
        return _percent(value, 1)
    return value


# -- any result --------------------------------------------------------------------------

_RENDERERS: Final[Mapping[str, Callable[[Any, Lang], Html]]] = {
    "modelunit.results.Assessment": assessment_html,
    "modelunit.assessment.BatchAssessment": batch_html,
    "modelunit.criteria.CriteriaSet": criteria_html,
    "modelunit.rollout.plan.RolloutPlan": plan_html,
    "modelunit.rollout.feasibility.Diagnosis": diagnosis_html,
    "modelunit.rollout.simulation.SimulationResult": simulation_html,
    "modelunit.comparison.Comparison": comparison_html,
    "modelunit.sweep.SweepResult": sweep_html,
}


def html(obj: object, lang: Lang = "en") -> Html:
    """``obj`` as HTML in ``lang`` (``"en"`` or ``"vi"``): an assessment, a batch, a
    criteria set, a plan, a diagnosis, a simulation, a comparison or a sweep.

    Anything else (or another language) is an
    :class:`~modelunit.errors.InvalidArgumentError`.
    """
    language = _check_lang(lang)
    for cls in type(obj).__mro__:
        render = _RENDERERS.get(f"{cls.__module__}.{cls.__qualname__}")
        if render is not None:
            return render(obj, language)
    raise InvalidArgumentError(f"no HTML view of a {type(obj).__name__}")
