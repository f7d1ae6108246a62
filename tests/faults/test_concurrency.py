"""Simultaneous steps on the same assessment stay consistent: exactly one wins, the
others are refused with the domain error a late request gets, and nothing is doubled.

The truly concurrent variants start the calls together on separate connections (a
barrier releases the threads at once) and need PostgreSQL's row locks; the sequential
variants check the same refusals on every database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from viewflow.workflow.models import Task

from accreditation.core.errors import ConflictError, DomainError, InvalidTransition, NotEditable
from accreditation.models import (
    Assessment,
    AssessmentSnapshot,
    AuditEvent,
    CertificateRecord,
    Decision,
    ExpertAssignment,
    ItemGrade,
    PublicNotice,
    Recognition,
)
from accreditation.services.assessments import item_grade_save
from accreditation.services.decisions import DecisionInput, decision_record, decisions_record
from accreditation.services.notices import public_notice_close
from accreditation.services.panels import panel_assign
from accreditation.services.submission import assessment_submit
from tests.accreditation.helpers import complete
from tests.workflows.helpers import at_decision, at_expert_review, on_notice, steps
from workflows.models import AssessmentProcess

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="true concurrency needs row locks"
)
concurrent = [postgres_only, pytest.mark.django_db(transaction=True)]

#: What a request that lost the race is told.
REFUSALS = (InvalidTransition, NotEditable, DomainError, ConflictError)


def race(*calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run ``calls`` on separate threads (and connections), released together. Returns
    the results of those that succeeded and the errors of the others."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=10)
            outcome = call()
            with lock:
                results.append(outcome)
        except BaseException as exc:  # reported to the test
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a call never returned"
    return results, errors


def sequential(*calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    results: list[Any] = []
    errors: list[BaseException] = []
    for call in calls:
        try:
            results.append(call())
        except REFUSALS as exc:
            errors.append(exc)
    return results, errors


def fresh(assessment: Assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def _one_winner(results, errors, refused=REFUSALS) -> BaseException:
    assert len(results) == 1, (results, errors)
    assert len(errors) == 1, errors
    assert isinstance(errors[0], refused), repr(errors[0])
    return errors[0]


# Two submissions of the same assessment -------------------------------------------------


def _submits(world) -> list[Callable[[], Any]]:
    a = world.assessment_a
    complete(a, world.staff_a, grade="A")
    return [
        lambda who=who: assessment_submit(actor=who, assessment=fresh(a))
        for who in (world.staff_a, world.staff_a2)
    ]


def _assert_submitted_once(world) -> None:
    a = world.assessment_a
    assert fresh(a).status == "submitted"
    assert AssessmentSnapshot.objects.filter(assessment=a).count() == 1
    assert AssessmentProcess.objects.filter(assessment=a).count() == 1
    assert AuditEvent.objects.filter(assessment=a, action="assessment.submit").count() == 1
    assert steps(a) == ["county_review"]


@pytest.mark.parametrize("run", [pytest.param(race, marks=concurrent), sequential])
def test_two_submissions_at_once_submit_once(world, run):
    error = _one_winner(*run(*_submits(world)), refused=(InvalidTransition, NotEditable))
    assert error.details == {"from": "submitted", "to": "submitted"}
    _assert_submitted_once(world)


@pytest.mark.parametrize("run", [pytest.param(race, marks=concurrent), sequential])
def test_a_save_racing_the_submission_is_in_the_snapshot_or_refused(world, run):
    a = world.assessment_a
    complete(a, world.staff_a, grade="A")
    version = ItemGrade.objects.get(assessment=a, item_code="1.1.2").version

    def save():
        return item_grade_save(
            actor=world.staff_a2,
            assessment=fresh(a),
            item_code="1.1.2",
            expected_version=version,
            grade="C",
        )

    _, errors = run(lambda: assessment_submit(actor=world.staff_a, assessment=fresh(a)), save)
    snapshot = AssessmentSnapshot.objects.get(assessment=a)
    stored = ItemGrade.objects.get(assessment=a, item_code="1.1.2").grade
    if errors:  # the submission came first: the save is refused and nothing changed
        assert isinstance(errors[0], NotEditable)
        assert stored == "A"
    # Either way the frozen grading is the stored one.
    assert snapshot.data["grades"]["1.1.2"]["grade"] == stored
    assert fresh(a).status == "submitted"


@pytest.mark.parametrize("run", [pytest.param(race, marks=concurrent), sequential])
def test_two_saves_of_the_same_version_keep_one(world, run):
    a = world.assessment_a
    version = ItemGrade.objects.get(assessment=a, item_code="1.1.1").version
    calls = [
        lambda who=who, grade=grade: item_grade_save(
            actor=who, assessment=fresh(a), item_code="1.1.1", expected_version=version, grade=grade
        )
        for who, grade in ((world.staff_a, "A"), (world.staff_a2, "C"))
    ]
    results, errors = run(*calls)
    error = _one_winner(results, errors, refused=ConflictError)
    row = ItemGrade.objects.get(assessment=a, item_code="1.1.1")
    assert (row.grade, row.version) == (results[0].grade, version + 1)
    assert error.current["grade"] == row.grade
    assert AuditEvent.objects.filter(action="item_grade.save", assessment=a).count() == 1


# Decisions ------------------------------------------------------------------------------


@pytest.mark.parametrize("run", [pytest.param(race, marks=concurrent), sequential])
def test_two_officers_deciding_at_once_record_one_decision(world, experts, run):
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    calls = [
        lambda: decision_record(actor=world.officer_province, assessment=fresh(a)),
        lambda: decision_record(
            actor=world.officer_national,
            assessment=fresh(a),
            level="basic",
            override_reason="综合考虑",
        ),
    ]
    results, errors = run(*calls)
    _one_winner(results, errors, refused=InvalidTransition)
    (decision,) = Decision.objects.filter(assessment=a)
    assert decision.pk == results[0].pk
    assert fresh(a).status == "decided"
    assert steps(a) == ["await_notice"]
    decide_tasks = Task.objects.filter(
        process__assessmentprocess__assessment=a, flow_task_type="HUMAN", status="DONE"
    ).filter(flow_task__endswith="decide")
    assert decide_tasks.count() == 1


@pytest.mark.parametrize("run", [pytest.param(race, marks=concurrent), sequential])
def test_a_list_and_a_single_decision_at_once_decide_each_assessment_once(world, experts, run):
    a, b = world.assessment_a, world.assessment_b
    at_decision(world, experts, a, world.officer_province)
    b_world = type("W", (), {**world.__dict__})
    b_world.staff_a, b_world.reviewer_a = world.staff_b, world.reviewer_b
    at_decision(b_world, experts, b, world.officer_province)
    calls = [
        lambda: decisions_record(
            actor=world.officer_province, decisions=[DecisionInput(fresh(a)), DecisionInput(b)]
        ),
        lambda: decision_record(actor=world.officer_national, assessment=fresh(a)),
    ]
    results, errors = run(*calls)
    _one_winner(results, errors, refused=(InvalidTransition, DomainError))
    assert Decision.objects.filter(assessment=a).count() == 1
    if isinstance(errors[0], DomainError) and errors[0].code == "batch_refused":
        # The single decision won: the list is refused whole, B stays undecided.
        assert (fresh(b).status, Decision.objects.filter(assessment=b).count()) == (
            "consolidation",
            0,
        )
    else:
        assert [fresh(x).status for x in (a, b)] == ["decided", "decided"]


# Panels and the public notice ---------------------------------------------------------------


@pytest.mark.parametrize("run", [pytest.param(race, marks=concurrent), sequential])
def test_two_panels_assigned_at_once_leave_one_panel(world, experts, run):
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    calls = [
        lambda: panel_assign(actor=world.officer_province, assessment=fresh(a), lead=experts.lead),
        lambda: panel_assign(
            actor=world.officer_national,
            assessment=fresh(a),
            lead=experts.member,
            members=[experts.third],
        ),
    ]
    results, errors = run(*calls)
    _one_winner(results, errors, refused=DomainError)
    assert ExpertAssignment.objects.filter(assessment=a).count() == len(results[0])
    assert len(steps(a)) == 1 and steps(a) == ["expert_review"]


@pytest.mark.parametrize("run", [pytest.param(race, marks=concurrent), sequential])
def test_closing_a_notice_twice_at_once_recognises_once(world, experts, run):
    a = world.assessment_a
    notice = on_notice(world, experts, a, world.officer_province, world.province)
    calls = [
        lambda who=who: public_notice_close(
            actor=who, notice=PublicNotice.objects.get(pk=notice.pk)
        )
        for who in (world.officer_province, world.officer_national)
    ]
    results, errors = run(*calls)
    error = _one_winner(results, errors, refused=DomainError)
    assert error.code == "notice_closed"
    assert Recognition.objects.filter(assessment=a).count() == 1
    assert CertificateRecord.objects.filter(recognition__assessment=a).count() == 1
    assert fresh(a).status == "recognised"


def test_race_reports_every_outcome(db):
    """The helper itself: results and errors are all collected."""

    def boom():
        raise InvalidTransition("late", details={})

    results, errors = race(lambda: 1, boom)
    assert (results, [type(e) for e in errors]) == ([1], [InvalidTransition])
