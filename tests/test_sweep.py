"""Sweeps: the grid, what each point holds, and the same result whatever the executor,
the number of workers and the chunk size."""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelunit.comparison import p_end
from modelunit.errors import InvalidArgumentError, MissingExtraError, UnknownRegionError
from modelunit.rollout import Milestone, Region, RolloutProblem, exact_odds
from modelunit.scenarios import Scenario, load_scenario
from modelunit.sweep import PARAMETERS, sweep


@pytest.fixture(scope="module")
def national() -> Scenario:
    return load_scenario("national-2027-2030")


def _toy(p: object = None) -> Scenario:
    return Scenario(
        id="toy",
        problem=RolloutProblem(
            regions=[
                Region("A", "An Giang", total=12, recognised=2, capacity=4),
                Region("B", "Bắc Ninh", total=6, capacity=3),
            ],
            milestones=[Milestone(2027, "50%"), Milestone(2029, 1)],
            start=2027,
            end=2029,
        ),
        p_recognised=p,
    )


def test_the_grid_in_order_last_axis_fastest() -> None:
    result = sweep(_toy(), capacity_scale=["50%", 1], strategy=["level", "earliest"])
    assert result.parameters == ("capacity_scale", "strategy")
    assert [p.parameters for p in result.points] == [
        (("capacity_scale", Fraction(1, 2)), ("strategy", "level")),
        (("capacity_scale", Fraction(1, 2)), ("strategy", "earliest")),
        (("capacity_scale", Fraction(1)), ("strategy", "level")),
        (("capacity_scale", Fraction(1)), ("strategy", "earliest")),
    ]
    assert [p.index for p in result.points] == [0, 1, 2, 3]
    # Each point is the what-if's plan, exactly.
    expected = _toy().what_if(capacity_scale="50%", strategy="earliest").plan()
    assert result.points[1].plan == expected
    assert result.points[1].scenario == "toy | capacity_scale=1/2, strategy=earliest"
    rows = result.summary()
    assert [(r["capacity_scale"], r["strategy"], r["feasible"], r["missed"]) for r in rows] == [
        (Fraction(1, 2), "level", False, 4),
        (Fraction(1, 2), "earliest", False, 4),
        (Fraction(1), "level", True, 0),
        (Fraction(1), "earliest", True, 0),
    ]
    assert repr(result) == "<SweepResult of toy: 4 points over capacity_scale, strategy>"


def test_per_region_axes_and_fixed_values() -> None:
    result = sweep(_toy(), capacity={"A": [2, 4]}, target_year=2029, baseline={"B": 1})
    assert result.parameters == ("capacity[A]", "target_year", "baseline[B]")
    assert [dict(p.parameters)["capacity[A]"] for p in result.points] == [2, 4]
    first = result.points[0].plan.problem
    assert first.region("A").capacity == 2
    assert first.region("B").recognised == 1
    checks = result.to_records()
    assert set(checks[0]) == {
        "point", "capacity[A]", "target_year", "baseline[B]",
        "region", "year", "target", "coverage", "met", "probability",
    }  # fmt: skip
    assert len(checks) == 2 * len(result.points[0].plan.checks)


def test_exact_odds_per_point_and_the_chance_that_all_meet_the_last_floor() -> None:
    result = sweep(_toy(), p_recognised=["80%", "95%"])
    for point, p in zip(result.points, (Fraction(4, 5), Fraction(19, 20)), strict=True):
        assert point.odds == exact_odds(point.plan, p)
        last = [prob for _, year, _, prob in point.odds if year == 2029]
        assert p_end(point.plan, point.odds) == last[0] * last[1]
    low, high = (row["p_end"] for row in result.summary())
    assert low < high


def test_simulated_odds_are_seeded_per_point() -> None:
    a = sweep(_toy("90%"), capacity_scale=["75%", 1], runs=300, seed=11)
    b = sweep(_toy("90%"), capacity_scale=["75%", 1], runs=300, seed=11, chunk_size=1)
    c = sweep(_toy("90%"), capacity_scale=["75%", 1], runs=300, seed=12)
    assert a == b
    assert a != c
    # Drawn, not computed: counts of runs (hits / 300).
    assert a.points[1].odds is not None
    assert all((prob * 300).denominator == 1 for *_, prob in a.points[1].odds)
    assert a.points[1].odds != exact_odds(a.points[1].plan, "90%")


def test_a_process_pool_gives_the_same_result(national: Scenario) -> None:
    grid = {"capacity_scale": ["60%", "80%", "90%", 1], "p_recognised": "90%"}
    serial = sweep(national, **grid, chunk_size=3)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = sweep(national, **grid, executor=pool, chunk_size=1)
    with ThreadPoolExecutor(max_workers=3) as pool:
        threads = sweep(national, **grid, executor=pool, chunk_size=2)
    assert parallel == serial
    assert threads == serial
    assert [r["missed"] for r in serial.summary()] == [34, 7, 7, 0]


def test_simulated_sweeps_are_the_same_on_a_process_pool() -> None:
    grid = {"capacity_scale": ["75%", 1], "p_recognised": ["80%", "90%"]}
    serial = sweep(_toy(), **grid, runs=200, seed=3)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = sweep(_toy(), **grid, runs=200, seed=3, executor=pool, chunk_size=3)
    assert parallel == serial


def test_a_local_dask_cluster_gives_the_same_result() -> None:
    distributed = pytest.importorskip("distributed")
    grid = {"capacity_scale": ["75%", 1], "p_recognised": ["80%", "90%"]}
    serial = sweep(_toy(), **grid, runs=100, seed=1)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",  # loopback only
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = sweep(_toy(), **grid, runs=100, seed=1, executor=client.get_executor())
    assert on_dask == serial


@given(
    chunk=st.integers(1, 6),
    scales=st.lists(st.sampled_from(["25%", "50%", "75%", "1"]), min_size=1, max_size=5),
)
def test_the_chunk_size_never_changes_the_result(chunk: int, scales: list[str]) -> None:
    grid = {"capacity_scale": scales, "p_recognised": "90%"}
    assert sweep(_toy(), **grid, runs=50, chunk_size=chunk) == sweep(_toy(), **grid, runs=50)


def test_progress_is_reported_after_each_chunk() -> None:
    calls: list[tuple[int, int]] = []
    sweep(
        _toy(),
        capacity={"A": [1, 2, 3, 4, 5]},
        chunk_size=2,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(2, 5), (4, 5), (5, 5)]


def test_a_progress_bar_needs_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    with pytest.raises(MissingExtraError, match="tqdm"):
        sweep(_toy(), capacity=[1, 2], progress=True)
    # Automatic: no tqdm, no bar, no error.
    assert len(sweep(_toy(), capacity=[1, 2]).points) == 2


def test_the_progress_bar_counts_points(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    sweep(_toy(), capacity=[1, 2, 3], chunk_size=1, progress=True)
    assert "3/3" in capsys.readouterr().err


def test_bad_grids_are_refused_before_any_work() -> None:
    with pytest.raises(InvalidArgumentError, match="cannot vary 'capacty'"):
        sweep(_toy(), capacty=[1, 2])
    with pytest.raises(InvalidArgumentError, match="target_year is national"):
        sweep(_toy(), target_year={"A": [2028]})
    with pytest.raises(InvalidArgumentError, match="capacity_scale: no values"):
        sweep(_toy(), capacity_scale=[])
    with pytest.raises(UnknownRegionError, match="unknown region 'AA'; known: A, B"):
        sweep(_toy(), capacity={"AA": [1]})
    with pytest.raises(InvalidArgumentError, match="chunk_size must be a positive"):
        sweep(_toy(), capacity=[1], chunk_size=0)
    with pytest.raises(InvalidArgumentError, match="runs must be a positive"):
        sweep(_toy(), capacity=[1], runs=True)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="progress: expected"):
        sweep(_toy(), capacity=[1], progress="yes")  # type: ignore[arg-type]
    assert set(PARAMETERS) <= set(Scenario.what_if.__code__.co_varnames)


def test_no_axis_is_one_point_of_the_scenario_itself() -> None:
    result = sweep(_toy())
    assert result.parameters == ()
    (point,) = result.points
    assert point.plan == _toy().plan()


def test_tables_as_frames(national: Scenario) -> None:
    pytest.importorskip("pandas")
    result = sweep(national, capacity_scale=["80%", 1], p_recognised="90%")
    summary = result.to_pandas()
    assert summary["missed"].tolist() == [7, 0]
    assert summary["capacity_scale"].tolist() == [0.8, 1.0]
    checks = result.to_pandas("checks")
    assert len(checks) == sum(len(p.plan.checks) for p in result.points)
    assert checks["region"].iloc[0] == "01"
    with pytest.raises(InvalidArgumentError, match="unknown table"):
        result.to_pandas("nope")  # type: ignore[arg-type]
