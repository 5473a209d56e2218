"""Baselines the benchmarks compare modelunit against, each in its own module.

- :mod:`baselines.handwritten`: a plain Python function per unit, one branch per
  criterion: the practical limit for per-unit Python code.
- :mod:`baselines.jsonlogic`: json-logic rules evaluated per unit per criterion.
- :mod:`baselines.ruleengine`: rule-engine expressions evaluated per unit per criterion.
- :mod:`baselines.milp`: the rollout problem as a MILP for ``scipy.optimize.milp`` (HiGHS).

Outcome codes everywhere: 0 not met, 1 insufficient evidence, 2 met (as
``BatchAssessment.outcome_codes``).
"""
