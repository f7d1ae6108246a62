"""Commission officers' pages: dashboard, tasks, panel assignment with conflict
feedback, decisions, public notices with objections, recognitions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import (
    Assessment,
    AuditEvent,
    CertificateRecord,
    Decision,
    ExpertAssignment,
    ExpertProfile,
    Objection,
    PublicNotice,
    Recognition,
)
from accreditation.services.consolidation import consolidation_complete
from accreditation.services.decisions import decision_record
from tests.accreditation.conftest import World
from tests.factories import ExpertFactory
from tests.workflows.conftest import Experts, experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import at_consolidation, at_expert_review

pytestmark = pytest.mark.django_db


def _state() -> tuple:
    return (
        list(Assessment.objects.order_by("pk").values_list("pk", "status", "version")),
        ExpertAssignment.objects.count(),
        Decision.objects.count(),
        PublicNotice.objects.count(),
        Objection.objects.count(),
        Recognition.objects.count(),
        AuditEvent.objects.count(),
    )


# --- dashboard -------------------------------------------------------------------------


def test_dashboard_draws_the_charts_for_the_officers_region(client, world: World):
    client.force_login(world.officer_province)
    response = client.get(reverse("web:commission_dashboard"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") == 3
    assert world.city.name in body and world.other_city.name in body
    assert 'id="kpi-institutions">2<' in body
    assert 'id="figures"' in body
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]


def test_dashboard_follows_a_child_region_and_refuses_one_outside(client, world: World):
    client.force_login(world.officer_city)
    response = client.get(reverse("web:commission_dashboard"))
    assert world.county_a.name in response.content.decode()
    response = client.get(reverse("web:commission_dashboard"), {"region": world.other_city.code})
    assert response.status_code == 404


def test_national_officers_choose_a_province(client, world: World):
    client.force_login(world.officer_national)
    body = client.get(reverse("web:commission_dashboard")).content.decode()
    assert f"?region={world.province.code}" in body
    response = client.get(reverse("web:commission_dashboard"), {"region": world.province.code})
    assert response.status_code == 200


def test_dashboard_escapes_region_names(client, world: World):
    world.city.name = "<b>东川</b>"
    world.city.save()
    client.force_login(world.officer_province)
    body = client.get(reverse("web:commission_dashboard")).content.decode()
    assert "<b>东川</b>" not in body
    assert "&lt;b&gt;东川&lt;/b&gt;" in body


def test_dashboard_counts_recognitions_against_the_targets(client, world: World):
    from accreditation.selectors.dashboard import region_dashboard
    from accreditation.selectors.targets import target_rows

    board = region_dashboard(viewer=world.officer_province, region=world.province)
    totals, rows = target_rows(dashboard=board)
    assert (totals.institutions, totals.standard, totals.recommended) == (2, 0, 0)
    assert [r.code for r in rows] == [c.code for c in board.children]


# --- panel and decision ----------------------------------------------------------------


@pytest.fixture
def waiting_for_panel(world: World) -> Assessment:
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    return world.assessment_a


def test_case_page_lists_experts_with_their_conflicts(
    client,
    world: World,
    experts: Experts,  # noqa: F811
    waiting_for_panel,
):
    local = ExpertFactory(username="local_expert")
    ExpertProfile.objects.create(
        user=local, employer=world.institution_a, home_region=world.county_a
    )
    client.force_login(world.officer_province)
    body = client.get(reverse("web:commission_case", args=[waiting_for_panel.pk])).content.decode()
    assert 'id="panel"' in body
    assert "row--conflict" in body
    # The local expert, and the world's expert who has no profile to check.
    assert body.count("row--conflict") == 2
    assert "专家在该机构工作" in body or "该专家在此机构工作" in body


def test_a_panel_with_a_conflicted_expert_is_refused_whole(
    client,
    world: World,
    experts: Experts,  # noqa: F811
    waiting_for_panel,
):
    local = ExpertFactory(username="local_expert")
    ExpertProfile.objects.create(
        user=local, employer=world.institution_a, home_region=world.county_a
    )
    client.force_login(world.officer_province)
    before = _state()
    response = client.post(
        reverse("web:commission_panel", args=[waiting_for_panel.pk]),
        {"lead": experts.lead.pk, "members": [local.pk]},
    )
    assert response.status_code == 409
    assert "local_expert" in response.content.decode()
    assert _state() == before


def test_assigning_the_panel(client, world: World, experts: Experts, waiting_for_panel):  # noqa: F811
    client.force_login(world.officer_province)
    response = client.post(
        reverse("web:commission_panel", args=[waiting_for_panel.pk]),
        {"lead": experts.lead.pk, "members": [experts.member.pk]},
    )
    assert response.status_code == 302
    roles = dict(
        ExpertAssignment.objects.filter(assessment=waiting_for_panel).values_list(
            "expert__username", "role"
        )
    )
    assert roles == {"lead": "lead", "member": "member"}


def test_assigning_without_a_lead_is_refused(client, world: World, waiting_for_panel):
    client.force_login(world.officer_province)
    before = _state()
    response = client.post(reverse("web:commission_panel", args=[waiting_for_panel.pk]), {})
    assert response.status_code == 400
    assert _state() == before


@pytest.fixture
def to_decide(world: World, experts: Experts) -> Assessment:  # noqa: F811
    at_consolidation(world, experts, world.assessment_a, world.officer_province)
    consolidation_complete(actor=experts.lead, assessment=world.assessment_a)
    return world.assessment_a


def test_tasks_show_the_decision_to_take(client, world: World, to_decide):
    client.force_login(world.officer_province)
    body = client.get(reverse("web:commission_tasks")).content.decode()
    assert world.institution_a.name in body
    assert reverse("web:commission_case", args=[to_decide.pk]) in body


def test_case_page_shows_the_computed_result_and_the_decision_form(client, world: World, to_decide):
    client.force_login(world.officer_province)
    body = client.get(reverse("web:commission_case", args=[to_decide.pk])).content.decode()
    assert 'id="result"' in body and 'id="decide"' in body
    assert 'value="computed"' in body


def test_confirming_the_computed_level(client, world: World, to_decide):
    client.force_login(world.officer_province)
    response = client.post(
        reverse("web:commission_decide", args=[to_decide.pk]), {"level": "computed"}
    )
    assert response.status_code == 302
    decision = Decision.objects.get(assessment=to_decide)
    assert decision.decided_level == decision.computed_level
    assert Assessment.objects.get(pk=to_decide.pk).status == "decided"


def test_overriding_without_a_reason_is_refused_keeping_the_form(client, world: World, to_decide):
    client.force_login(world.officer_province)
    before = _state()
    response = client.post(
        reverse("web:commission_decide", args=[to_decide.pk]), {"level": "none", "reason": ""}
    )
    assert response.status_code == 400
    assert "请说明调整计算等级的理由" in response.content.decode()
    assert _state() == before


# --- public notice ---------------------------------------------------------------------


@pytest.fixture
def decided(world: World, to_decide) -> Assessment:
    decision_record(actor=world.officer_province, assessment=to_decide)
    return to_decide


def _open_notice(client, world: World, assessment: Assessment, starts_on: dt.date):
    return client.post(
        reverse("web:commission_notices"),
        {
            "assessments": [assessment.pk],
            "region": world.province.pk,
            "cycle": world.cycle.pk,
            "document_number": "示卫公示〔2026〕1号",
            "starts_on": starts_on.isoformat(),
            "title": "2026年优质服务基层行拟认定名单",
        },
    )


def test_publishing_a_notice_and_resolving_an_objection(client, world: World, decided):
    client.force_login(world.officer_province)
    body = client.get(reverse("web:commission_notices")).content.decode()
    assert world.institution_a.name in body
    response = _open_notice(client, world, decided, timezone.localdate())
    assert response.status_code == 302
    notice = PublicNotice.objects.get()
    assert response.url == reverse("web:commission_notice", args=[notice.pk])
    action = reverse("web:commission_notice_action", args=[notice.pk])

    client.post(action, {"action": "object", "assessment": decided.pk, "content": "举报材料不实"})
    objection = Objection.objects.get()
    assert objection.status == "open"
    body = client.get(reverse("web:commission_notice", args=[notice.pk])).content.decode()
    assert "举报材料不实" in body and "objection--open" in body
    client.post(
        action, {"action": "dismiss", "objection": objection.pk, "reason": "经核实，举报不属实"}
    )
    assert Objection.objects.get().status == "dismissed"


def test_closing_a_notice_recognises_and_lists_the_certificate(client, world: World, decided):
    client.force_login(world.officer_province)
    _open_notice(client, world, decided, timezone.localdate() - dt.timedelta(days=8))
    notice = PublicNotice.objects.get()
    response = client.post(
        reverse("web:commission_notice_action", args=[notice.pk]), {"action": "close"}
    )
    assert response.status_code == 302
    assert Assessment.objects.get(pk=decided.pk).status == "recognised"
    certificate = CertificateRecord.objects.get()
    body = client.get(reverse("web:commission_recognitions")).content.decode()
    assert certificate.number in body
    assert reverse("web:verify_code", args=[certificate.number]) in body


def test_a_notice_cannot_close_during_its_window(client, world: World, decided):
    client.force_login(world.officer_province)
    _open_notice(client, world, decided, timezone.localdate())
    notice = PublicNotice.objects.get()
    before = _state()
    response = client.post(
        reverse("web:commission_notice_action", args=[notice.pk]), {"action": "close"}
    )
    assert response.status_code == 409
    assert _state() == before


def test_publishing_without_a_document_number_is_refused(client, world: World, decided):
    client.force_login(world.officer_province)
    before = _state()
    response = client.post(
        reverse("web:commission_notices"),
        {
            "assessments": [decided.pk],
            "region": world.province.pk,
            "cycle": world.cycle.pk,
            "document_number": "",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "请填写文号" in response.content.decode()
    assert _state() == before


# --- permissions -----------------------------------------------------------------------

PAGES = [
    "commission_dashboard",
    "commission_tasks",
    "commission_notices",
    "commission_recognitions",
]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, db, name):
    response = client.get(reverse(f"web:{name}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["staff_a", "reviewer_a", "expert", "administrator"])
@pytest.mark.parametrize("name", PAGES)
def test_other_roles_get_403(client, world: World, name, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse(f"web:{name}")).status_code == 403


@pytest.mark.parametrize("role", ["staff_a", "reviewer_a", "expert", "administrator"])
def test_other_roles_cannot_act_on_a_case(client, world: World, waiting_for_panel, role):
    client.force_login(getattr(world, role))
    before = _state()
    assert (
        client.get(reverse("web:commission_case", args=[waiting_for_panel.pk])).status_code == 403
    )
    for name in ("commission_panel", "commission_decide"):
        assert client.post(reverse(f"web:{name}", args=[waiting_for_panel.pk])).status_code == 403
    assert _state() == before


def test_an_officer_of_another_city_gets_404(client, world: World, waiting_for_panel):
    client.force_login(world.officer_other_city)
    before = _state()
    assert (
        client.get(reverse("web:commission_case", args=[waiting_for_panel.pk])).status_code == 404
    )
    assert (
        client.post(reverse("web:commission_panel", args=[waiting_for_panel.pk])).status_code == 404
    )
    assert _state() == before


def test_a_city_officer_cannot_assign_a_provincial_panel(
    client,
    world: World,
    experts: Experts,  # noqa: F811
    waiting_for_panel,
):
    client.force_login(world.officer_city)
    body = client.get(reverse("web:commission_case", args=[waiting_for_panel.pk])).content.decode()
    assert 'id="panel"' not in body
    before = _state()
    response = client.post(
        reverse("web:commission_panel", args=[waiting_for_panel.pk]), {"lead": experts.lead.pk}
    )
    assert response.status_code == 403
    assert _state() == before


@pytest.mark.parametrize("name", PAGES)
def test_officers_are_served(client, world: World, name):
    client.force_login(world.officer_province)
    assert client.get(reverse(f"web:{name}")).status_code == 200
