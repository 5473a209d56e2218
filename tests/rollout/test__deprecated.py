"""rollout/_deprecated.py: the renamed fields (``minimum`` -> ``quota``, ``national_cap``
-> ``national_capacity``) keep their old names for one release: keywords, attributes,
methods and file keys give the same problems and plans with a ``DeprecationWarning``
naming the new name; the old and the new name together are refused; files are written
with the new names only."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from modelunit.errors import InvalidArgumentError, InvalidProblemError
from modelunit.rollout import STRATEGIES, Milestone, Region, RolloutProblem, plan
from modelunit.rollout._deprecated import RENAMED
from modelunit.scenarios import Scenario, load_scenario
from modelunit.serialization import structure, to_json, unstructure
from modelunit.sweep import sweep
from modelunit.testing import rollout_problems


def _regions(**quota: object) -> list[Region]:
    return [
        Region("A", total=30, recognised=2, capacity=9, **quota),  # type: ignore[arg-type]
        Region("B", total=12, capacity=5),
    ]


def _new() -> RolloutProblem:
    return RolloutProblem(
        regions=_regions(quota=3, quota_by_year={2027: 5}),
        milestones=[Milestone(2027, "30%", stretch="60%"), Milestone(2029, 1)],
        start=2026,
        end=2029,
        national_capacity=11,
        national_capacity_by_year={2026: 6},
    )


def _old() -> RolloutProblem:
    with pytest.warns(DeprecationWarning, match="is deprecated; use") as caught:
        old = RolloutProblem(  # type: ignore[call-arg]
            regions=_regions(minimum=3, minimum_by_year={2027: 5}),
            milestones=[Milestone(2027, "30%", stretch="60%"), Milestone(2029, 1)],
            start=2026,
            end=2029,
            national_cap=11,
            national_cap_by_year={2026: 6},
        )
    assert sorted(str(w.message) for w in caught) == [
        "Region(minimum=...) is deprecated; use quota=",
        "Region(minimum_by_year=...) is deprecated; use quota_by_year=",
        "RolloutProblem(national_cap=...) is deprecated; use national_capacity=",
        "RolloutProblem(national_cap_by_year=...) is deprecated; use national_capacity_by_year=",
    ]
    # Reported at the caller's line, not inside modelunit.
    assert {Path(w.filename).name for w in caught} == {"test__deprecated.py"}
    return old


def test_old_keywords_give_the_same_problem_and_the_same_plans() -> None:
    new, old = _new(), _old()
    assert old == new
    assert new.target("A", 2028) == 2 + 3 + 5 + 3  # quotas count cumulatively
    for strategy in STRATEGIES:
        assert plan(old, strategy) == plan(new, strategy)


def test_old_attributes_and_methods_read_the_new_fields_with_a_warning() -> None:
    problem = _new()
    region = problem.regions[0]
    reads = [
        (lambda: region.minimum, 3, "Region.minimum is deprecated; use Region.quota"),
        (
            lambda: region.minimum_by_year,
            {2027: 5},
            "Region.minimum_by_year is deprecated; use Region.quota_by_year",
        ),
        (
            lambda: region.minimum_in(2027),
            5,
            "Region.minimum_in is deprecated; use Region.quota_in",
        ),
        (
            lambda: problem.national_cap,
            11,
            "RolloutProblem.national_cap is deprecated; use RolloutProblem.national_capacity",
        ),
        (
            lambda: problem.national_cap_by_year,
            {2026: 6},
            "RolloutProblem.national_cap_by_year is deprecated; "
            "use RolloutProblem.national_capacity_by_year",
        ),
        (
            lambda: problem.national_cap_in(2026),
            6,
            "RolloutProblem.national_cap_in is deprecated; use RolloutProblem.national_capacity_in",
        ),
    ]
    for read, value, message in reads:
        with pytest.warns(DeprecationWarning, match="is deprecated; use") as caught:
            assert read() == value
        assert [str(w.message) for w in caught] == [message]
        assert Path(caught[0].filename).name == "test__deprecated.py"


@pytest.mark.parametrize(
    ("cls", "old", "new"),
    [(cls, old, new) for cls, names in RENAMED.items() for old, new in names.items()],
)
def test_an_old_keyword_with_its_new_one_is_refused(cls: str, old: str, new: str) -> None:
    value: object = 1 if not old.endswith("_by_year") else {2026: 1}
    both = {old: value, new: value}
    if cls == "Region":
        build = lambda: Region("A", total=3, **both)  # type: ignore[arg-type]  # noqa: E731
    else:
        build = lambda: RolloutProblem(  # noqa: E731
            regions=[Region("A", total=3)], milestones=[], start=2026, end=2027, **both
        )
    with pytest.raises(InvalidArgumentError, match=f"both {old}= and {new}=; {old} is the"):
        build()


def test_evolve_with_the_new_names_needs_no_old_one() -> None:
    problem = attrs.evolve(_new(), national_capacity=None, national_capacity_by_year={})
    region = attrs.evolve(problem.regions[0], quota=0, quota_by_year={})
    assert (problem.national_capacity, region.quota) == (None, 0)


def _old_file_data() -> dict[str, object]:
    data = unstructure(_new())
    assert isinstance(data, dict)
    first = data["regions"][0]
    first["minimum"] = first.pop("quota")
    first["minimum_by_year"] = first.pop("quota_by_year")
    data["national_cap"] = data.pop("national_capacity")
    data["national_cap_by_year"] = data.pop("national_capacity_by_year")
    return data


def test_files_are_written_with_the_new_names_only() -> None:
    text = to_json(_new())
    for name in ("minimum", 'national_cap"', "national_cap_by_year"):
        assert name not in text
    data = json.loads(text)
    assert data["national_capacity"] == 11
    assert data["regions"][0]["quota_by_year"] == {"2027": 5}


def test_a_file_with_the_old_keys_loads_the_same_problem_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_old_file_data()), encoding="utf-8")
    with pytest.warns(DeprecationWarning, match="is deprecated; rename it") as caught:
        scenario = load_scenario(path)
    assert scenario.problem == _new()
    assert sorted(str(w.message) for w in caught) == [
        "national_cap: the key 'national_cap' is deprecated; rename it 'national_capacity'",
        "national_cap_by_year: the key 'national_cap_by_year' is deprecated; rename it "
        "'national_capacity_by_year'",
        "regions[0].minimum: the key 'minimum' is deprecated; rename it 'quota'",
        "regions[0].minimum_by_year: the key 'minimum_by_year' is deprecated; rename it "
        "'quota_by_year'",
    ]
    # Written back: the new names only.
    assert "minimum" not in to_json(scenario.problem)


def test_a_record_with_an_old_key_and_its_new_one_is_refused_naming_file_record_field(
    tmp_path: Path,
) -> None:
    data = unstructure(_new())
    assert isinstance(data, dict)
    data["regions"][1].update(minimum=2, quota=2)
    data["national_cap"] = 11
    path = tmp_path / "both.toml"
    path.write_text(
        "start = 2026\nend = 2027\nnational_capacity = 3\nnational_cap = 3\n"
        '[[regions]]\nid = "A"\ntotal = 5\n'
        '[[regions]]\nid = "B"\ntotal = 5\nquota = 1\nminimum = 1\n'
        "[[milestones]]\nyear = 2027\nshare = 1\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidProblemError) as info:
        load_scenario(path)
    assert [p.render() for p in info.value.problems] == [
        f"{path}: national_cap: both 'national_cap' and 'national_capacity' given: "
        "'national_cap' is the deprecated name of 'national_capacity'; keep only "
        "'national_capacity'",
        f"{path}: regions[1].minimum (record 'B'): both 'minimum' and 'quota' given: "
        "'minimum' is the deprecated name of 'quota'; keep only 'quota'",
    ]
    with pytest.raises(InvalidProblemError, match="both 'minimum' and 'quota' given"):
        structure(data, RolloutProblem)


def _scenario() -> Scenario:
    return Scenario(id="s", problem=_new())


def test_what_if_national_cap_is_national_capacity_with_a_warning() -> None:
    new = _scenario().what_if(national_capacity=8)
    with pytest.warns(DeprecationWarning, match=r"what_if\(national_cap=...\) is deprecated"):
        old = _scenario().what_if(national_cap=8)
    assert old == new
    assert new.problem.national_capacity == 8
    with pytest.raises(InvalidArgumentError, match="both national_cap= and national_capacity="):
        _scenario().what_if(national_cap=8, national_capacity=8)


def test_sweep_national_cap_is_national_capacity_with_a_warning() -> None:
    new = sweep(_scenario(), national_capacity=[8, 11], progress=False)
    with pytest.warns(DeprecationWarning, match=r"sweep\(national_cap=...\) is deprecated"):
        old = sweep(_scenario(), national_cap=[8, 11], progress=False)
    assert [p.plan for p in old.points] == [p.plan for p in new.points]
    assert [p.parameters for p in new.points] == [
        (("national_capacity", 8),),
        (("national_capacity", 11),),
    ]
    with pytest.raises(InvalidArgumentError, match="both national_cap and national_capacity"):
        sweep(_scenario(), national_cap=[8], national_capacity=[8], progress=False)


def test_rollout_problems_national_cap_is_national_capacity_with_a_warning() -> None:
    with pytest.warns(DeprecationWarning, match=r"rollout_problems\(national_cap=...\)"):
        rollout_problems(national_cap=True)
    with pytest.raises(Exception, match="both national_cap= and national_capacity="):
        rollout_problems(national_cap=True, national_capacity=True)
