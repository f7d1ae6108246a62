"""The panel pages: each expert's conflicts, refusals shown, a panel assigned
through the service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.models import AuditEvent, ExpertAssignment, ExpertProfile
from tests.accreditation.conftest import World
from tests.accreditation.web.officer_pages.helpers import messages
from tests.factories import ExpertFactory
from tests.workflows.helpers import at_expert_review, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def conflicted(world: World):
    expert = ExpertFactory(username="conflicted")
    ExpertProfile.objects.create(
        user=expert, employer=world.institution_a, home_region=world.county_a
    )
    return expert


def test_the_panel_page_shows_each_experts_conflicts_before_submitting(
    client, world: World, experts, conflicted
):
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_panel", args=[world.assessment_a.pk]))
    pool = {row["expert"].username: row["conflicts"] for row in response.context["pool"]}
    assert pool["lead"] == [] and pool["member"] == []
    assert len(pool["conflicted"]) == 2  # same institution, same county
    assert len(pool["expert"]) == 1  # no profile
    assert response.context["waiting"] is True
    page = response.content.decode()
    assert 'data-expert="conflicted" class="row--conflict"' in page
    assert 'data-expert="lead" class=""' in page


def test_a_panel_with_a_conflicted_expert_is_refused_and_shown(
    client, world: World, experts, conflicted
):
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    before = state()
    response = client.post(
        reverse("web:officer_panel", args=[world.assessment_a.pk]),
        {"lead": experts.lead.pk, "members": [conflicted.pk]},
    )
    assert response.status_code == 200
    (message,) = messages(response)
    assert "conflicted" in message
    assert response.context["lead_id"] == experts.lead.pk
    assert response.context["member_ids"] == [conflicted.pk]
    assert state() == before


def test_a_panel_is_assigned_through_the_service(client, world: World, experts):
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    response = client.post(
        reverse("web:officer_panel", args=[world.assessment_a.pk]),
        {"lead": experts.lead.pk, "members": [experts.member.pk]},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("web:officer_panels")
    assert set(
        ExpertAssignment.objects.filter(assessment=world.assessment_a).values_list(
            "expert__username", "role"
        )
    ) == {("lead", "lead"), ("member", "member")}
    event = AuditEvent.objects.get(action="panel.assign")
    assert (event.actor, event.after["lead"]) == (world.officer_province, experts.lead.pk)


def test_the_panel_list_shows_what_waits_for_a_panel(client, world: World, experts):
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_panels"))
    assert [r.assessment_id for r in response.context["rows"]] == [world.assessment_a.pk]
