"""The fuzz suite: every public loader and entry point fed hostile and near-valid input.

One module per family of entry points (loaders, structuring, periods and instants,
assessment, the planner, geography, the command line). Inputs come from
:mod:`tests.fuzz.inputs` (random JSON/TOML documents, and corruptions of every bundled
file drawn as "a path, then a mutation", so a failure shrinks to the smallest
corruption); the properties from :mod:`tests.fuzz.checks` (only ``ModelUnitError``
escapes, errors name their file, what loads round-trips, nothing hangs).

The default Hypothesis profile keeps this fast; the long campaign is
``python -m pytest tests/fuzz --hypothesis-profile=fuzz`` (see ``docs/robustness.md``).
"""
