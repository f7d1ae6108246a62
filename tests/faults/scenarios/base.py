"""What the scenario modules share: the step and scenario types and small helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accreditation.models import Assessment, PublicNotice
from tests.workflows.helpers import on_notice

Step = Callable[[], Any]


@dataclass(frozen=True)
class Scenario:
    name: str
    arrange: Callable[[Any, Any], Step]


def reread(assessment: Assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def provincial_notice(world, experts, a) -> PublicNotice:
    """``a`` decided and on an open notice of the province."""
    return on_notice(world, experts, a, world.officer_province, world.province)


def b_world(world):
    """The world seen from institution B (its staff, county reviewer and assessment)."""
    b = type("W", (), {**world.__dict__})
    b.staff_a, b.reviewer_a, b.assessment_a = world.staff_b, world.reviewer_b, world.assessment_b
    return b
