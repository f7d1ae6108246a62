"""The decision pages: the computed level with its agreement, one or many decided
through the service, overrides and refusals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import AuditEvent, Decision
from tests.accreditation.conftest import World
from tests.accreditation.web.officer_pages.helpers import messages, status
from tests.accreditation.web.officer_setup import awaiting_decision
from tests.workflows.helpers import state

pytestmark = pytest.mark.django_db


def test_the_decision_list_shows_the_computed_level_reasons_and_agreement(
    client, world: World, experts
):
    awaiting_decision(world, experts, world.assessment_a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_decisions"))
    (row,) = response.context["rows"]
    assert row["assessment"] == world.assessment_a
    assert row["result"].computed_level == "recommended"
    assert row["self_review"] == "100%"
    assert world.institution_a.name in response.content.decode()


def test_the_decision_list_runs_in_constant_queries(
    client, world: World, experts, django_assert_max_num_queries
):
    awaiting_decision(world, experts, world.assessment_a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("web:officer_decisions"))
    awaiting_decision(world, experts, world.assessment_b, world.staff_b, world.reviewer_b)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("web:officer_decisions"))
    assert len(response.context["rows"]) == 2


def test_confirming_one_records_the_decision_and_its_audit_row(client, world: World, experts):
    a = world.assessment_a
    awaiting_decision(world, experts, a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    response = client.post(reverse("web:officer_decisions_take"), {"one": a.pk}, follow=True)
    assert len(messages(response)) == 1
    decision = Decision.objects.get(assessment=a)
    assert (decision.decided_level, decision.officer) == ("recommended", world.officer_province)
    assert status(a) == "decided"
    assert AuditEvent.objects.filter(action="decision.confirm", assessment=a).count() == 1


def test_an_override_without_a_reason_is_refused_on_the_page(client, world: World, experts):
    a = world.assessment_a
    awaiting_decision(world, experts, a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    before = state()
    response = client.post(
        reverse("web:officer_decisions_take"),
        {"one": a.pk, f"level-{a.pk}": "basic", f"reason-{a.pk}": " "},
        follow=True,
    )
    assert response.status_code == 200
    assert len(messages(response)) == 1
    assert 'class="message message--error"' in response.content.decode()
    assert state() == before


def test_an_override_with_a_reason_and_no_level_are_recorded(client, world: World, experts):
    a, b = world.assessment_a, world.assessment_b
    awaiting_decision(world, experts, a, world.staff_a, world.reviewer_a)
    awaiting_decision(world, experts, b, world.staff_b, world.reviewer_b)
    client.force_login(world.officer_province)
    client.post(
        reverse("web:officer_decisions_take"),
        {"one": a.pk, f"level-{a.pk}": "basic", f"reason-{a.pk}": "现场核查不足"},
    )
    client.post(
        reverse("web:officer_decisions_take"),
        {"one": b.pk, f"level-{b.pk}": "none", f"reason-{b.pk}": "弄虚作假"},
    )
    assert Decision.objects.get(assessment=a).override_reason == "现场核查不足"
    assert Decision.objects.get(assessment=b).decided_level == ""
    assert (status(a), status(b)) == ("decided", "not_recognised")
    assert AuditEvent.objects.filter(action="decision.override").count() == 2


def test_the_selected_are_decided_at_once(client, world: World, experts):
    a, b = world.assessment_a, world.assessment_b
    awaiting_decision(world, experts, a, world.staff_a, world.reviewer_a)
    awaiting_decision(world, experts, b, world.staff_b, world.reviewer_b)
    client.force_login(world.officer_province)
    client.post(reverse("web:officer_decisions_take"), {"selected": [a.pk, b.pk]})
    decisions = list(Decision.objects.order_by("assessment_id"))
    assert [d.assessment_id for d in decisions] == sorted([a.pk, b.pk])
    assert decisions[0].batch_id == decisions[1].batch_id


def test_a_refused_batch_records_none_and_says_which(client, world: World, experts):
    a, b = world.assessment_a, world.assessment_b
    awaiting_decision(world, experts, a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    before = state()
    response = client.post(
        reverse("web:officer_decisions_take"), {"selected": [a.pk, b.pk]}, follow=True
    )
    (message,) = messages(response)
    assert f"#{b.pk}" in message
    assert state() == before


def test_nothing_selected_is_said(client, world: World):
    client.force_login(world.officer_province)
    response = client.post(reverse("web:officer_decisions_take"), {}, follow=True)
    assert len(messages(response)) == 1
    assert not Decision.objects.exists()
