"""Every text modelunit writes for people, in English and Vietnamese: one table.

Reasons, summaries, level checks, plan messages and the command line's words are
looked up here by key, with the values they show as named fields:

>>> from modelunit._texts import text
>>> text("summary.met", "en", met=21, applicable=22)
'21/22 met'
>>> text("summary.met", "vi", met=21, applicable=22)
'21/22 đạt'

Keys are ``area.name``; each maps every language of :data:`~modelunit._i18n.LANGUAGES`
to a :meth:`str.format` template, and both templates use the same fields (a test
checks this, that every key is used somewhere, and that every key used exists). The
values put into a template (ids, numbers, periods, data titles) are never translated.
English is the default everywhere, so output that did not ask for a language stays as
it was. To add a text, see "Adding a text" in ``docs/contributing.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from modelunit._i18n import Lang

__all__ = ["TEXTS", "text"]


def __dir__() -> list[str]:
    return __all__


# Key -> language -> template. Grouped by where the text is shown; keep groups sorted.
TEXTS: Final[Mapping[str, Mapping[Lang, str]]] = {
    # -- outcomes (modelunit.outcomes) --------------------------------------------------
    "outcome.met": {"en": "met", "vi": "đạt"},
    "outcome.not_met": {"en": "not met", "vi": "chưa đạt"},
    "outcome.insufficient": {"en": "insufficient evidence", "vi": "chưa đủ căn cứ"},
    "outcome.not_applicable": {"en": "not applicable", "vi": "không áp dụng"},
    # -- values shown in reasons ----------------------------------------------------------
    "value.true": {"en": "true", "vi": "đúng"},
    "value.false": {"en": "false", "vi": "sai"},
    "word.and": {"en": "and", "vi": "và"},
    "word.or": {"en": "or", "vi": "hoặc"},
    # -- rule traces (modelunit._explain) -------------------------------------------------
    "reason.value": {
        "en": "{indicator} in {period} is {value}, needs {need}{how}",
        "vi": "{indicator} trong {period} là {value}, cần {need}{how}",
    },
    "reason.at_least": {"en": "at least {what}", "vi": "ít nhất {what}"},
    "reason.negation": {"en": "negation of: {reason}", "vi": "phủ định của: {reason}"},
    "reason.reference": {
        "en": "criterion {criterion} is {outcome}: {reason}",
        "vi": "tiêu chí {criterion} {outcome}: {reason}",
    },
    "reason.reference_not_applicable": {
        "en": "criterion {criterion} does not apply to {unit}",
        "vi": "tiêu chí {criterion} không áp dụng cho {unit}",
    },
    "reason.change": {
        "en": "{indicator}: {current} in {period} vs {baseline} in {baseline_period}, "
        "change {change}, needs {op} {threshold}",
        "vi": "{indicator}: {current} trong {period} so với {baseline} trong {baseline_period}, "
        "thay đổi {change}, cần {op} {threshold}",
    },
    "reason.increase_from_zero": {"en": "an increase from 0", "vi": "tăng từ 0"},
    "reason.same_period": {"en": "the same period of {year}", "vi": "cùng kỳ năm {year}"},
    "reason.ratio": {
        "en": "{numerator}/{denominator} = {a}/{b} = {ratio}, needs {op} {threshold}",
        "vi": "{numerator}/{denominator} = {a}/{b} = {ratio}, cần {op} {threshold}",
    },
    "reason.ratio_undefined": {
        "en": "{denominator} is 0 in {period}: the ratio is undefined",
        "vi": "{denominator} bằng 0 trong {period}: tỉ lệ không xác định",
    },
    "reason.more_not_needed": {
        "en": "{reason} ({count} more not needed)",
        "vi": "{reason} (không cần xét thêm {count})",
    },
    "reason.undecided": {"en": "undecided: {reasons}", "vi": "chưa xác định: {reasons}"},
    "reason.none_met": {"en": "none met: {reasons}", "vi": "không điều kiện nào đạt: {reasons}"},
    "reason.k_of": {
        "en": "{met} of {total} met, {failed} not met, needs {needed}",
        "vi": "{met}/{total} đạt, {failed} chưa đạt, cần {needed}",
    },
    "reason.not_needed": {
        "en": "{reason} ({count} not needed)",
        "vi": "{reason} (không cần xét {count})",
    },
    "reason.sub_units": {"en": "sub-units", "vi": "đơn vị con"},
    "reason.sub_units_of_kind": {"en": "{kind} sub-units", "vi": "đơn vị con loại {kind}"},
    "reason.no_sub_units": {
        "en": "no {sub_units} of {unit} are registered",
        "vi": "chưa đăng ký {sub_units} nào của {unit}",
    },
    "reason.sub_units_counted": {
        "en": "{met} of {total} sub-units met, {failed} not met, needs {needed}",
        "vi": "{met}/{total} đơn vị con đạt, {failed} chưa đạt, cần {needed}",
    },
    "reason.sub_units_counted_unknown": {
        "en": "{met} of {total} sub-units met, {failed} not met, {unknown} unknown, needs {needed}",
        "vi": "{met}/{total} đơn vị con đạt, {failed} chưa đạt, {unknown} chưa rõ, cần {needed}",
    },
    "reason.applies_to": {
        "en": "applies to {kinds}, not {kind}",
        "vi": "áp dụng cho {kinds}, không cho {kind}",
    },
    # -- evidence lookups (modelunit.lookup) ----------------------------------------------
    "missing.none": {
        "en": "no evidence for {indicator} in {period}",
        "vi": "không có căn cứ về {indicator} trong {period}",
    },
    "missing.straddling": {
        "en": " (records for {periods} cross its bounds; a record is never split)",
        "vi": " (bản ghi của {periods} vượt ra ngoài kỳ này; một bản ghi không bao giờ bị chia)",
    },
    "missing.conflict": {
        "en": "conflicting records for {indicator} in {period} ({ids}); "
        "record a correction that supersedes one of them",
        "vi": "các bản ghi mâu thuẫn về {indicator} trong {period} ({ids}); "
        "hãy ghi một bản đính chính thay thế một trong số đó",
    },
    "missing.no_end": {
        "en": "no evidence for {indicator} at the end of {period} (latest sub-period ends {last})",
        "vi": "không có căn cứ về {indicator} vào cuối {period} (kỳ con gần nhất kết thúc {last})",
    },
    "missing.tiling": {
        "en": "{indicator} in {period}: {problem}",
        "vi": "{indicator} trong {period}: {problem}",
    },
    "tiling.gap": {
        "en": "sub-period records do not cover {day} onwards",
        "vi": "các bản ghi kỳ con không phủ từ {day} trở đi",
    },
    "tiling.stops": {
        "en": "sub-period records do not continue after {day}",
        "vi": "các bản ghi kỳ con không tiếp tục sau {day}",
    },
    "tiling.conflict": {
        "en": "conflicting records for {period} ({ids})",
        "vi": "các bản ghi mâu thuẫn cho {period} ({ids})",
    },
    "how.last": {"en": "last value, {period}", "vi": "giá trị cuối, {period}"},
    "how.sum": {"en": "sum of {count} sub-periods", "vi": "tổng của {count} kỳ con"},
    "how.max": {"en": "max of {count} sub-periods", "vi": "lớn nhất trong {count} kỳ con"},
    "how.min": {"en": "min of {count} sub-periods", "vi": "nhỏ nhất trong {count} kỳ con"},
    "how.any": {"en": "any of {count} sub-periods", "vi": "ít nhất một trong {count} kỳ con"},
    "how.all": {"en": "all of {count} sub-periods", "vi": "cả {count} kỳ con"},
    # -- recognition levels (modelunit.policy) --------------------------------------------
    "condition.tally": {
        "en": "criteria {outcome}{scope}: {bounds}",
        "vi": "tiêu chí {outcome}{scope}: {bounds}",
    },
    "condition.among": {"en": " among {ids}", "vi": " trong số {ids}"},
    "condition.any_number": {"en": "any number", "vi": "số lượng bất kỳ"},
    "condition.criteria": {
        "en": "{quantifier} of {criteria} {outcome}",
        "vi": "{quantifier} {criteria} {outcome}",
    },
    "condition.quantifier_all": {"en": "all", "vi": "tất cả"},
    "condition.quantifier_any": {"en": "any", "vi": "một trong"},
    "condition.points": {"en": "points >= {points}", "vi": "điểm >= {points}"},
    "condition.not": {"en": "not ({condition})", "vi": "không ({condition})"},
    "level.tally": {
        "en": "{count}/{total} {outcome}; needs {bounds}",
        "vi": "{count}/{total} {outcome}; cần {bounds}",
    },
    "level.all_are": {"en": "all are", "vi": "tất cả đều thỏa"},
    "level.not_all": {"en": "not {outcome}: {criteria}", "vi": "không {outcome}: {criteria}"},
    "level.none": {"en": "none {outcome}", "vi": "không tiêu chí nào {outcome}"},
    "level.points": {
        "en": "{points} points; needs >= {needed}",
        "vi": "{points} điểm; cần >= {needed}",
    },
    "level.always": {"en": "always", "vi": "luôn thỏa"},
    "level.no_condition": {"en": "no condition", "vi": "không có điều kiện nào"},
    "level.vetoed": {
        "en": "vetoed: mandatory {criteria} not met",
        "vi": "bị phủ quyết: tiêu chí bắt buộc {criteria} chưa đạt",
    },
    "level.fallback": {"en": "no higher level reached", "vi": "không đạt mức nào cao hơn"},
    "level.reached": {"en": "reached", "vi": "đạt"},
    "level.not_reached": {"en": "not reached", "vi": "chưa đạt"},
    # -- summaries and explanations (modelunit.results) -----------------------------------
    "summary.met": {"en": "{met}/{applicable} met", "vi": "{met}/{applicable} đạt"},
    "summary.not_met": {"en": "{count} not met", "vi": "{count} chưa đạt"},
    "summary.pending": {"en": "{count} pending", "vi": "{count} chưa đủ căn cứ"},
    "summary.not_applicable": {"en": "{count} not applicable", "vi": "{count} không áp dụng"},
    "explain.as_of": {"en": "as of {moment}", "vi": "tính đến {moment}"},
    "explain.in_force": {"en": "in force on {date}", "vi": "có hiệu lực ngày {date}"},
    "explain.not_settled": {"en": "not settled", "vi": "chưa chắc chắn"},
    "explain.would_be_met": {"en": "would be met with", "vi": "sẽ đạt nếu có"},
    "explain.or_with": {"en": "or with", "vi": "hoặc nếu có"},
    "explain.result": {"en": "Result: {summary}", "vi": "Kết quả: {summary}"},
    "explain.mandatory": {"en": "mandatory", "vi": "bắt buộc"},
    "explain.evidence": {"en": "evidence: {ids}", "vi": "căn cứ: {ids}"},
    "explain.more": {"en": "{ids} and {count} more", "vi": "{ids} và {count} bản ghi khác"},
    # -- rollout plans (modelunit.rollout) ------------------------------------------------
    "check.needs": {
        "en": "{year} ({scope}): {coverage}/{total} (needs {target}{stretch}): {status}",
        "vi": "{year} ({scope}): {coverage}/{total} (cần {target}{stretch}): {status}",
    },
    "check.national": {"en": "national", "vi": "toàn quốc"},
    "check.own": {"en": "own", "vi": "riêng"},
    "check.stretch_only": {
        "en": "{year} ({scope}): {coverage}/{total} (stretch {target}): {status}",
        "vi": "{year} ({scope}): {coverage}/{total} (phấn đấu {target}): {status}",
    },
    "check.stretch_only_met": {"en": "stretch met", "vi": "đạt mục tiêu phấn đấu"},
    "check.stretch_only_not_met": {"en": "stretch not met", "vi": "chưa đạt mục tiêu phấn đấu"},
    "check.caught_up": {"en": "; caught up in {year}", "vi": "; đạt lại vào {year}"},
    "check.not_caught_up": {
        "en": "; not caught up within the horizon",
        "vi": "; chưa đạt lại trong kỳ kế hoạch",
    },
    "check.stretch_target": {"en": ", stretch {target}", "vi": ", phấn đấu {target}"},
    "check.met": {"en": "met", "vi": "đạt"},
    "check.missed": {"en": "MISSED by {count}", "vi": "THIẾU {count}"},
    "check.stretch_met": {"en": ", stretch met", "vi": ", đạt mục tiêu phấn đấu"},
    "check.stretch_not_met": {"en": ", stretch not met", "vi": ", chưa đạt mục tiêu phấn đấu"},
    "check.past": {
        "en": " (before the horizon, at the baseline)",
        "vi": " (trước kỳ kế hoạch, tính tại năm gốc)",
    },
    "check.spare": {
        "en": "{year}: needs {target}, capacity reaches {reach}: {spare} to spare",
        "vi": "{year}: cần {target}, năng lực đạt tới {reach}: dư {spare}",
    },
    "shortfall.national": {"en": "national", "vi": "toàn quốc"},
    "shortfall.past": {
        "en": "needed {needed} by {year} (before the horizon), {reachable} recognised at "
        "the baseline: short by {short}",
        "vi": "cần {needed} vào {year} (trước kỳ kế hoạch), {reachable} được công nhận tại "
        "năm gốc: thiếu {short}",
    },
    "shortfall.needs": {
        "en": "needs {needed} by {year}{quota}, at most {reachable} reachable: short by {short}",
        "vi": "cần {needed} vào {year}{quota}, tối đa đạt được {reachable}: thiếu {short}",
    },
    "shortfall.quota": {"en": " (quota)", "vi": " (chỉ tiêu)"},
    "shortfall.catch_up": {
        "en": " (catching up a milestone missed before the horizon)",
        "vi": " (bù mốc đã lỡ trước kỳ kế hoạch)",
    },
    "shortfall.not_by": {"en": "; not reachable by {year}", "vi": "; không thể đạt vào {year}"},
    "shortfall.not_within": {
        "en": "; not reachable within the horizon",
        "vi": "; không thể đạt trong kỳ kế hoạch",
    },
    "shortfall.reachable_in": {"en": "; reachable in {year}", "vi": "; có thể đạt vào {year}"},
    "diagnosis.feasible": {"en": "feasible", "vi": "khả thi"},
    "diagnosis.infeasible": {"en": "infeasible:", "vi": "không khả thi:"},
    "diagnosis.past_only": {
        "en": "feasible for the planned years; missed before the horizon:",
        "vi": "khả thi cho các năm kế hoạch; chưa đạt trước kỳ kế hoạch:",
    },
    "diagnosis.add_capacity": {"en": "add capacity: {fixes}", "vi": "tăng năng lực: {fixes}"},
    "diagnosis.fix": {"en": "{who} +{units} in {year}", "vi": "{who} +{units} năm {year}"},
    "diagnosis.national_capacity": {"en": "national capacity", "vi": "năng lực toàn quốc"},
    "diagnosis.national_budget": {"en": "national budget", "vi": "ngân sách toàn quốc"},
    "diagnosis.add_budget": {"en": "add budget: {fixes}", "vi": "tăng ngân sách: {fixes}"},
    "table.region": {"en": "region", "vi": "vùng"},
    "table.final": {"en": "final", "vi": "cuối"},
    "table.share": {"en": "share", "vi": "tỉ lệ"},
    "table.total": {"en": "total", "vi": "tổng"},
    # -- the command line (modelunit.cli) -------------------------------------------------
    "cli.assess_head": {
        "en": "{unit} ({kind}) {period}{as_of}: {title} [{catalog} {version}]",
        "vi": "{unit} ({kind}) {period}{as_of}: {title} [{catalog} {version}]",
    },
    "cli.evidence": {"en": "evidence: {ids}", "vi": "căn cứ: {ids}"},
    "cli.legend": {
        "en": "* mandatory (a veto)",
        "vi": "* bắt buộc (chưa đạt thì không được công nhận)",
    },
    "cli.col_unit": {"en": "unit", "vi": "đơn vị"},
    "cli.col_met": {"en": "met", "vi": "đạt"},
    "cli.col_not_met": {"en": "not", "vi": "chưa"},
    "cli.col_insufficient": {"en": "?", "vi": "?"},
    "cli.col_not_applicable": {"en": "n/a", "vi": "k/a"},
    "cli.col_level": {"en": "level", "vi": "mức"},
    "cli.catalog_line": {"en": "{count} criteria", "vi": "{count} tiêu chí"},
    "cli.examples": {"en": "examples: {names}", "vi": "ví dụ: {names}"},
    "cli.scenarios": {"en": "scenarios: {names}", "vi": "kịch bản: {names}"},
    "cli.targets": {"en": "targets: {names}", "vi": "mục tiêu: {names}"},
    "cli.geography": {"en": "geography: {names}", "vi": "địa giới: {names}"},
    "cli.plan_head": {
        "en": "strategy: {strategy}; {feasibility}; national peak {peak} per year",
        "vi": "chiến lược: {strategy}; {feasibility}; cao điểm toàn quốc {peak} đơn vị/năm",
    },
    "cli.plan_feasible": {"en": "feasible", "vi": "khả thi"},
    "cli.plan_infeasible": {"en": "INFEASIBLE", "vi": "KHÔNG KHẢ THI"},
    "cli.milestones": {
        "en": "milestones: {met}/{total} floors met; stretch goals met: "
        "{stretch}/{with_stretch}{proof}",
        "vi": "mốc: {met}/{total} mức sàn đạt; mục tiêu phấn đấu đạt: "
        "{stretch}/{with_stretch}{proof}",
    },
    "cli.not_proven": {
        "en": " (not proven the most)",
        "vi": " (chưa chứng minh là nhiều nhất)",
    },
    "cli.stretch_met_list": {
        "en": "stretch goals met: {which}",
        "vi": "đạt mục tiêu phấn đấu: {which}",
    },
    "cli.at_risk": {"en": "at risk:", "vi": "có nguy cơ:"},
    "cli.to_meet": {"en": "to meet every floor:", "vi": "để đạt mọi mức sàn:"},
    "cli.assumptions": {"en": "assumptions:", "vi": "giả định:"},
    "cli.warning": {"en": "warning", "vi": "cảnh báo"},
    "cli.no_examples": {
        "en": "the catalog has no [[examples]] to run",
        "vi": "bộ tiêu chí không có [[examples]] nào để chạy",
    },
    "cli.ok_catalog": {
        "en": "OK: catalog {id} {version}, {criteria} criteria, {indicators} indicators",
        "vi": "OK: bộ tiêu chí {id} {version}, {criteria} tiêu chí, {indicators} chỉ số",
    },
    "cli.ok_evidence": {
        "en": "OK: evidence, {records} records, {units} units",
        "vi": "OK: căn cứ, {records} bản ghi, {units} đơn vị",
    },
    "cli.ok_problem": {
        "en": "OK: planning problem {id}, {regions} regions, {start}-{end}",
        "vi": "OK: bài toán kế hoạch {id}, {regions} vùng, {start}-{end}",
    },
    "cli.ok_targets": {
        "en": "OK: programme targets, {targets} targets",
        "vi": "OK: mục tiêu chương trình, {targets} mục tiêu",
    },
    "cli.ok_geography": {
        "en": "OK: geography {edition}, {provinces} provinces, {units} units",
        "vi": "OK: địa giới {edition}, {provinces} tỉnh, {units} đơn vị",
    },
    "cli.ok_mapping": {
        "en": "OK: mapping, {provinces} provinces, {units} old units",
        "vi": "OK: bảng chuyển đổi, {provinces} tỉnh, {units} đơn vị cũ",
    },
    "cli.ok_mapping_rows": {
        "en": "OK: mapping file, {rows} rows: {old_units} old units to {new_units} new units",
        "vi": "OK: tệp chuyển đổi, {rows} dòng: {old_units} đơn vị cũ thành {new_units} đơn vị mới",
    },
    "cli.diff_none": {
        "en": "{old} -> {new}: no changes",
        "vi": "{old} -> {new}: không có thay đổi",
    },
    "cli.diff_added": {"en": "added criteria: {ids}", "vi": "thêm tiêu chí: {ids}"},
    "cli.diff_removed": {"en": "removed criteria: {ids}", "vi": "bỏ tiêu chí: {ids}"},
    "cli.diff_changed": {"en": "changed {id}:", "vi": "thay đổi {id}:"},
    "cli.diff_indicators_added": {"en": "added indicators: {ids}", "vi": "thêm chỉ số: {ids}"},
    "cli.diff_indicators_removed": {"en": "removed indicators: {ids}", "vi": "bỏ chỉ số: {ids}"},
    "cli.diff_indicator_changed": {"en": "changed indicator {id}:", "vi": "thay đổi chỉ số {id}:"},
    "cli.diff_policy": {
        "en": "recognition policy changed:",
        "vi": "chính sách công nhận thay đổi:",
    },
    "cli.diff_set": {"en": "set fields changed:", "vi": "thông tin bộ tiêu chí thay đổi:"},
    "cli.diff_value": {"en": "{field}: {old} -> {new}", "vi": "{field}: {old} -> {new}"},
    "cli.no_unit": {
        "en": "no unit {unit!r} in the evidence; units: {units}",
        "vi": "không có đơn vị {unit!r} trong căn cứ; các đơn vị: {units}",
    },
    "cli.no_units": {"en": "the evidence names no unit", "vi": "căn cứ không nêu đơn vị nào"},
    "cli.none": {"en": "none", "vi": "không có"},
    "cli.unknown_kind": {
        "en": "cannot tell what kind of file this is; expected a catalog (criteria), evidence "
        "(evidence/units), a planning problem or scenario (regions/problem), programme "
        "targets (targets), a geography (provinces), the 2025 mapping (provinces/units) or "
        "a mapping file (rows); or name the kind with --kind",
        "vi": "không nhận ra loại tệp; cần một bộ tiêu chí (criteria), căn cứ (evidence/units), "
        "bài toán kế hoạch hoặc kịch bản (regions/problem), mục tiêu chương trình (targets), "
        "địa giới (provinces), bảng chuyển đổi 2025 (provinces/units) hoặc tệp chuyển đổi "
        "đơn vị (rows); hoặc nêu loại bằng --kind",
    },
    "cli.unknown_indicator": {
        "en": "unknown indicator {indicator!r} (not in {catalog})",
        "vi": "chỉ số {indicator!r} không có trong {catalog}",
    },
    "cli.no_bundled": {
        "en": "no file at {name!r} and no bundled file of that name; bundled: {names}",
        "vi": "không có tệp {name!r} và không có tệp kèm theo nào tên như vậy; "
        "tệp kèm theo: {names}",
    },
    "cli.bad_as_of": {
        "en": "expected a date (2024-01-31) or a date and time (2024-01-31T17:00, "
        "2024-01-31T17:00+07:00), got {value!r}",
        "vi": "cần một ngày (2024-01-31) hoặc ngày giờ (2024-01-31T17:00, "
        "2024-01-31T17:00+07:00), nhận được {value!r}",
    },
    "cli.bad_period": {
        "en": "expected a year (2023), half (2023-H1), quarter (2023-Q4), month (2023-06) "
        "or date range (2023-01-01/2023-06-30), got {value!r}",
        "vi": "cần một năm (2023), nửa năm (2023-H1), quý (2023-Q4), tháng (2023-06) "
        "hoặc khoảng ngày (2023-01-01/2023-06-30), nhận được {value!r}",
    },
    "cli.only_with": {
        "en": "argument {option}: applies only with {needed}",
        "vi": "tham số {option}: chỉ dùng được với {needed}",
    },
    "cli.internal": {
        "en": "internal error (please report it, with the command): {error}",
        "vi": "lỗi nội bộ (xin báo lại, kèm câu lệnh): {error}",
    },
}


def text(key: str, lang: Lang = "en", /, **fields: object) -> str:
    """The text ``key`` in ``lang``, with ``fields`` filled in.

    An unknown key is a bug in modelunit, not bad input: it fails loudly (``KeyError``).
    """
    return TEXTS[key][lang].format(**fields)
