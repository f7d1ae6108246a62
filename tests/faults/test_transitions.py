"""A database error anywhere inside a step leaves no half state.

Every step of the self-assessment and of the review process (``scenarios.SCENARIOS``)
is first run in a savepoint that is rolled back, to list the writes it issues (the
flow's own task rows, the automatic steps it triggers, the audit rows). Then, for every
write position, the step is run again with that write failing: the error must reach
the caller, and every row of every domain, workflow and catalogue table, every stored
file and every side effect scheduled on commit must be exactly as before. Finally the
step succeeds once the database recovers, so a failure leaves no lock, task or row
behind that would block a retry.
"""

from __future__ import annotations

import pkgutil
from contextlib import ExitStack
from unittest import mock

import pytest
from django.db import DatabaseError, transaction

import accreditation.services
from accreditation.core.audit import audit_record
from tests.faults.injection import (
    InjectedFault,
    db_state,
    diff,
    failing_write,
    positions,
    writes_of,
)
from tests.faults.scenarios import SCENARIOS

ids = [scenario.name for scenario in SCENARIOS]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_a_failing_write_anywhere_in_the_step_changes_nothing(
    scenario, world, experts, django_capture_on_commit_callbacks
):
    step = scenario.arrange(world, experts)
    writes = writes_of(step)
    assert writes, "the step writes nothing"
    before = db_state()
    for position in positions(len(writes)):
        with (
            django_capture_on_commit_callbacks() as callbacks,
            failing_write(position),
            pytest.raises(InjectedFault),
        ):
            step()
        after = db_state()
        assert diff(before, after) == {}, f"write {position}/{len(writes)}: {writes[position - 1]}"
        assert callbacks == [], f"write {position}: side effects scheduled"
    step()  # the database is back: the step goes through


def _audit_modules() -> list[str]:
    """Every service module that writes audit rows (each imports ``audit_record``),
    modules of service packages (``services.evidence``) included."""
    names = []
    prefix = "accreditation.services."
    for info in pkgutil.walk_packages(accreditation.services.__path__, prefix):
        module = __import__(info.name, fromlist=["_"])
        if getattr(module, "audit_record", None) is audit_record:
            names.append(module.__name__)
    return names


class FailingAudit:
    """``audit_record`` that raises ``DatabaseError`` at its ``fail_at``-th call (0:
    never) and records the actions it was asked to write."""

    def __init__(self, fail_at: int = 0) -> None:
        self.fail_at = fail_at
        self.actions: list[str] = []

    def __call__(self, **kwargs):
        self.actions.append(kwargs["action"])
        if len(self.actions) == self.fail_at:
            raise DatabaseError(f"audit write failed: {kwargs['action']}")
        return audit_record(**kwargs)


def _patched(audit: FailingAudit) -> ExitStack:
    stack = ExitStack()
    for name in _audit_modules():
        stack.enter_context(mock.patch(f"{name}.audit_record", audit))
    return stack


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_a_failing_audit_write_undoes_the_step(scenario, world, experts):
    step = scenario.arrange(world, experts)
    dry = FailingAudit()
    with _patched(dry):
        writes_of(step)
    assert dry.actions, "the step records no audit row"
    before = db_state()
    for position, action in enumerate(dry.actions, start=1):
        with _patched(FailingAudit(position)), pytest.raises(DatabaseError, match=action):
            step()
        assert diff(before, db_state()) == {}, f"audit {position}: {action}"
    step()


def test_the_harness_notices_a_half_write(world):
    """Two writes outside one transaction: failing the second leaves the first behind,
    and the comparison says so (the harness is not blind)."""
    from accreditation.models import Assessment

    def two_writes():
        for assessment in (world.assessment_a, world.assessment_b):
            with transaction.atomic():
                Assessment.objects.filter(pk=assessment.pk).update(version=99)

    assert len(writes_of(two_writes)) == 2
    before = db_state()
    with failing_write(2), pytest.raises(InjectedFault):
        two_writes()
    assert list(diff(before, db_state())) == ["accreditation.Assessment"]
