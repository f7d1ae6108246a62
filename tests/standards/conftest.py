from __future__ import annotations

import pytest

from accreditation.models import AuditEvent
from standards.models import Chapter, Criterion, Edition, Item, RuleSet, Section
from standards.selectors import clear_spec_cache


@pytest.fixture(autouse=True)
def _fresh_spec_cache():
    clear_spec_cache()
    yield
    clear_spec_cache()


@pytest.fixture
def row_counts():
    """A function returning the row count of every catalogue table and the audit log."""

    def counts() -> dict[str, int]:
        return {
            model.__name__: model.objects.count()
            for model in (Edition, Chapter, Section, Item, Criterion, RuleSet, AuditEvent)
        }

    return counts
