"""The core types' converter hooks: kind-tagged unions, recorded values, criteria sets."""

from __future__ import annotations

import pytest

from modelunit.criteria import CriteriaSet
from modelunit.errors import InvalidCatalogError, InvalidInputError
from modelunit.policy import AllConditions
from modelunit.rules import Compare
from modelunit.serialization import structure


@pytest.mark.parametrize("cls", [AllConditions, Compare])
@pytest.mark.parametrize("data", [None, [], "all", 3])
def test_a_member_of_a_kind_union_needs_a_table(cls: type, data: object) -> None:
    # Found by the fuzz suite: structure(None, AllConditions) raised AttributeError.
    with pytest.raises(InvalidInputError, match=r"expected a .* table of kind"):
        structure(data, cls)


def test_a_criteria_set_with_keys_that_are_not_text() -> None:
    # Keys of mixed types (data built in Python) are reported, not a TypeError.
    with pytest.raises(InvalidCatalogError, match=r"unexpected field\(s\): 1, 'x\\x00'"):
        structure({1: "a", "x\x00": 2}, CriteriaSet)
