"""Recognised institutions with certificate records, through the review workflow."""

from __future__ import annotations

import pytest

from accreditation.models import CertificateRecord, PublicNotice
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import recognise_all


@pytest.fixture
def notice(world, experts) -> PublicNotice:  # noqa: F811
    """Both of the world's institutions recognised on one provincial notice."""
    return recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [
            (world.assessment_a, world.staff_a, world.reviewer_a, "A"),
            (world.assessment_b, world.staff_b, world.reviewer_b, "A"),
        ],
    )


@pytest.fixture
def record(world, notice) -> CertificateRecord:
    """Institution A's certificate record, not rendered yet."""
    return CertificateRecord.objects.select_related("recognition__issuing_region").get(
        recognition__assessment=world.assessment_a
    )
