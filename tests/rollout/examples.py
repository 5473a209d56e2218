"""Example problems shared by several test modules."""

from __future__ import annotations

from decimal import Decimal

from modelunit.rollout import Milestone, Region, RolloutProblem


def national_problem() -> RolloutProblem:
    return RolloutProblem(
        regions=[
            Region(
                "HCM", "Hồ Chí Minh", total=249, recognised=30, capacity=60, cost=Decimal("1.5")
            ),
            Region("HY", "Hưng Yên", total=20, recognised=2, capacity=8, quota=1),
            Region("PY", "Phú Yên", total=21, recognised=0, capacity_by_year={2025: 7}),
        ],
        milestones=[
            Milestone(2024, "10%"),
            Milestone(2025, "30%", stretch="50%"),
            Milestone(2025, "50%", region="HY"),
            Milestone(2028, "100%", region="HY"),
            Milestone(2029, "100%", region="HCM"),
            Milestone(2030, 1),
        ],
        start=2025,
        end=2030,
        national_capacity=80,
        national_capacity_by_year={2025: 70},
    )
