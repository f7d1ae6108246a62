"""Fixtures of the rectification page tests: an assessment consolidated below its
target, and the first finding raised from its gap plan."""

from __future__ import annotations

import pytest

from accreditation.models import Finding
from accreditation.services.findings import findings_from_gap_plan
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import at_decision


@pytest.fixture
def below_target(world, experts):  # noqa: F811
    """Institution A's assessment consolidated at C throughout: below its target."""
    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("C", "C"))
    return world.assessment_a


@pytest.fixture
def finding(world, below_target) -> Finding:
    return findings_from_gap_plan(actor=world.officer_province, assessment=below_target)[0]
