"""The officer's pages through the test client: what they show, and that their forms
call the services (resulting state and audit rows) or show the services' refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
from accreditation.services.assessments import assessment_open
from accreditation.services.decisions import decision_record
from accreditation.services.notices import public_notice_close
from tests.accreditation.conftest import World
from tests.accreditation.web.officer_setup import awaiting_decision, on_notice, with_objection
from tests.factories import (
    CityFactory,
    CountyFactory,
    ExpertFactory,
    FactsFactory,
    InstitutionFactory,
    StaffFactory,
)
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import at_expert_review, state

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _status(assessment: Assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).status


# --- Dashboard ------------------------------------------------------------------------


def _grow(world: World, cities: int, per_city: int) -> None:
    """More cities, counties, institutions and open assessments in the province."""
    for c in range(cities):
        city = CityFactory(parent=world.province, code=f"99{50 + c:02d}00", name=f"新市{c}")
        county = CountyFactory(parent=city, code=f"99{50 + c:02d}01", name=f"新县{c}")
        for i in range(per_city):
            institution = InstitutionFactory(name=f"新机构{c}-{i}", region=county)
            FactsFactory(institution=institution)
            staff = StaffFactory(username=f"s{c}-{i}", institution=institution)
            assessment_open(
                actor=staff, cycle=world.cycle, institution=institution, target_level="basic"
            )


def _dashboard_queries(client, world: World) -> int:
    client.force_login(world.officer_province)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("web:officer_dashboard"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_runs_in_constant_queries(
    client, world: World, django_assert_max_num_queries
):
    small = _dashboard_queries(client, world)
    _grow(world, cities=4, per_city=5)
    with django_assert_max_num_queries(small):
        client.get(reverse("web:officer_dashboard"))
    with django_assert_max_num_queries(14):
        client.get(reverse("web:officer_region", args=[world.city.pk]))
    assert small <= 14


def test_the_dashboard_shows_status_and_levels_per_region_and_the_targets(
    client,
    world: World,
    experts,  # noqa: F811
):
    notice = on_notice(world, experts, starts_on=timezone.localdate() - dt.timedelta(days=8))
    public_notice_close(actor=world.officer_province, notice=notice)
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_dashboard"))
    page = response.content.decode()
    table = response.context["table"]
    by_code = {row["row"].code: row for row in table}
    assert list(by_code) == ["990100", "990200", "990300"]  # 东川市, 西岭市, 北山市
    city = by_code["990100"]
    assert (city["row"].institutions, city["row"].assessments) == (1, 1)
    assert city["row"].by_status == {"recognised": 1}
    assert city["row"].recognised == {"recommended": 1}
    assert (city["standard"], city["recommended"]) == ("100%", "100%")
    assert by_code["990200"]["standard"] == "0%" and by_code["990200"]["standard_below"]
    totals = response.context["totals"]
    assert (totals["row"].institutions, totals["standard"]) == (3, "33.3%")
    # Three inline SVG charts, the national target lines at 70% and 20%.
    assert page.count("<svg") == 3
    assert page.count('class="chart__target"') == 2
    assert "70%" in page and "20%" in page
    assert 'href="{}"'.format(reverse("web:officer_region", args=[world.city.pk])) in page


def test_the_dashboard_lists_the_overdue_assessments(client, world: World):
    from accreditation.models import CycleDeadline, Stage

    CycleDeadline.objects.create(
        cycle=world.cycle,
        stage=Stage.SELF_ASSESSMENT,
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    client.force_login(world.officer_city)
    response = client.get(reverse("web:officer_dashboard"))
    rows = response.context["overdue"]
    assert [(r.assessment.institution.name, r.days_overdue) for r, _ in rows] == [
        (world.institution_a.name, 3)
    ]
    assert world.institution_a.name in response.content.decode()


def test_a_zone_target_is_drawn_beside_the_national_one(client, world: World, settings):
    settings.ACCREDITATION = {"PROVINCE_ZONES": {"99": "west"}}
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_dashboard"))
    page = response.content.decode()
    assert page.count('class="chart__target"') == 4  # national and western, twice
    assert "40%" in page and "10%" in page
    assert {row["standard_target"] for row in response.context["table"]} == {"40%"}


def test_a_region_below_is_shown_without_the_officers_work_lists(client, world: World):
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_region", args=[world.city.pk]))
    assert "overdue" not in response.context
    assert [r["row"].name for r in response.context["table"]] == [world.county_a.name]


# --- Panels ---------------------------------------------------------------------------


@pytest.fixture
def conflicted(world: World):
    expert = ExpertFactory(username="conflicted")
    ExpertProfile.objects.create(
        user=expert, employer=world.institution_a, home_region=world.county_a
    )
    return expert


def test_the_panel_page_shows_each_experts_conflicts_before_submitting(
    client,
    world: World,
    experts,  # noqa: F811
    conflicted,
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
    client,
    world: World,
    experts,  # noqa: F811
    conflicted,
):
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    before = state()
    response = client.post(
        reverse("web:officer_panel", args=[world.assessment_a.pk]),
        {"lead": experts.lead.pk, "members": [conflicted.pk]},
    )
    assert response.status_code == 200
    (message,) = _messages(response)
    assert "conflicted" in message
    assert response.context["lead_id"] == experts.lead.pk
    assert response.context["member_ids"] == [conflicted.pk]
    assert state() == before


def test_a_panel_is_assigned_through_the_service(
    client,
    world: World,
    experts,  # noqa: F811
):
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


def test_the_panel_list_shows_what_waits_for_a_panel(
    client,
    world: World,
    experts,  # noqa: F811
):
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_panels"))
    assert [r.assessment_id for r in response.context["rows"]] == [world.assessment_a.pk]


# --- Decisions ------------------------------------------------------------------------


def test_the_decision_list_shows_the_computed_level_reasons_and_agreement(
    client,
    world: World,
    experts,  # noqa: F811
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
    client,
    world: World,
    experts,  # noqa: F811
    django_assert_max_num_queries,
):
    awaiting_decision(world, experts, world.assessment_a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("web:officer_decisions"))
    awaiting_decision(world, experts, world.assessment_b, world.staff_b, world.reviewer_b)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("web:officer_decisions"))
    assert len(response.context["rows"]) == 2


def test_confirming_one_records_the_decision_and_its_audit_row(
    client,
    world: World,
    experts,  # noqa: F811
):
    a = world.assessment_a
    awaiting_decision(world, experts, a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    response = client.post(reverse("web:officer_decisions_take"), {"one": a.pk}, follow=True)
    assert len(_messages(response)) == 1
    decision = Decision.objects.get(assessment=a)
    assert (decision.decided_level, decision.officer) == ("recommended", world.officer_province)
    assert _status(a) == "decided"
    assert AuditEvent.objects.filter(action="decision.confirm", assessment=a).count() == 1


def test_an_override_without_a_reason_is_refused_on_the_page(
    client,
    world: World,
    experts,  # noqa: F811
):
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
    assert len(_messages(response)) == 1
    assert 'class="message message--error"' in response.content.decode()
    assert state() == before


def test_an_override_with_a_reason_and_no_level_are_recorded(
    client,
    world: World,
    experts,  # noqa: F811
):
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
    assert (_status(a), _status(b)) == ("decided", "not_recognised")
    assert AuditEvent.objects.filter(action="decision.override").count() == 2


def test_the_selected_are_decided_at_once(
    client,
    world: World,
    experts,  # noqa: F811
):
    a, b = world.assessment_a, world.assessment_b
    awaiting_decision(world, experts, a, world.staff_a, world.reviewer_a)
    awaiting_decision(world, experts, b, world.staff_b, world.reviewer_b)
    client.force_login(world.officer_province)
    client.post(reverse("web:officer_decisions_take"), {"selected": [a.pk, b.pk]})
    decisions = list(Decision.objects.order_by("assessment_id"))
    assert [d.assessment_id for d in decisions] == sorted([a.pk, b.pk])
    assert decisions[0].batch_id == decisions[1].batch_id


def test_a_refused_batch_records_none_and_says_which(
    client,
    world: World,
    experts,  # noqa: F811
):
    a, b = world.assessment_a, world.assessment_b
    awaiting_decision(world, experts, a, world.staff_a, world.reviewer_a)
    client.force_login(world.officer_province)
    before = state()
    response = client.post(
        reverse("web:officer_decisions_take"), {"selected": [a.pk, b.pk]}, follow=True
    )
    (message,) = _messages(response)
    assert f"#{b.pk}" in message
    assert state() == before


def test_nothing_selected_is_said(client, world: World):
    client.force_login(world.officer_province)
    response = client.post(reverse("web:officer_decisions_take"), {}, follow=True)
    assert len(_messages(response)) == 1
    assert not Decision.objects.exists()


# --- Public notices -------------------------------------------------------------------


def _decided(world: World, experts) -> Assessment:  # noqa: F811
    a = world.assessment_a
    awaiting_decision(world, experts, a, world.staff_a, world.reviewer_a)
    decision_record(actor=world.officer_province, assessment=a)
    return a


def _open_data(world: World, starts_on: dt.date, number: str = "卫公示〔2026〕3号") -> dict:
    prefix = f"g{world.cycle.pk}-{world.province.pk}"
    return {
        "cycle": world.cycle.pk,
        "region": world.province.pk,
        "assessments": [world.assessment_a.pk],
        f"{prefix}-starts_on": starts_on.isoformat(),
        f"{prefix}-document_number": number,
        f"{prefix}-title": "拟推荐名单公示",
    }


def test_the_notice_page_groups_decided_assessments_by_issuing_region(
    client,
    world: World,
    experts,  # noqa: F811
):
    _decided(world, experts)
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_notices"))
    (group,) = response.context["groups"]
    assert (group["region"], group["cycle"]) == (world.province, world.cycle)
    assert [a for a, _ in group["rows"]] == [world.assessment_a]


def test_a_notice_is_opened_through_the_service(
    client,
    world: World,
    experts,  # noqa: F811
):
    a = _decided(world, experts)
    client.force_login(world.officer_province)
    today = timezone.localdate()
    response = client.post(reverse("web:officer_notice_open"), _open_data(world, today))
    notice = PublicNotice.objects.get()
    assert response.url == reverse("web:officer_notice", args=[notice.pk])
    assert (notice.starts_on, notice.ends_on, notice.days) == (
        today,
        today + dt.timedelta(days=6),
        7,
    )
    assert (notice.title, notice.opened_by) == ("拟推荐名单公示", world.officer_province)
    assert _status(a) == "public_notice"
    assert AuditEvent.objects.filter(action="notice.open").count() == 1


def test_a_notice_refused_by_the_service_is_shown(
    client,
    world: World,
    experts,  # noqa: F811
):
    _decided(world, experts)
    client.force_login(world.officer_province)
    client.post(
        reverse("web:officer_notice_open"), _open_data(world, timezone.localdate()), follow=True
    )
    before = state()
    response = client.post(
        reverse("web:officer_notice_open"), _open_data(world, timezone.localdate()), follow=True
    )
    assert len(_messages(response)) == 1  # the document number is used (and not decided)
    assert state() == before


def test_objections_are_recorded_and_dismissed_with_a_reason(
    client,
    world: World,
    experts,  # noqa: F811
):
    notice = on_notice(world, experts)
    client.force_login(world.officer_province)
    url = reverse("web:officer_objection_add", args=[notice.pk])
    client.post(url, {"assessment": world.assessment_a.pk, "content": "材料造假", "objector": "张"})
    objection = Objection.objects.get()
    assert (objection.content, objection.objector, objection.recorded_by) == (
        "材料造假",
        "张",
        world.officer_province,
    )
    resolve = reverse("web:officer_objection_resolve", args=[notice.pk, objection.pk])
    prefix = f"o{objection.pk}"
    client.post(resolve, {f"{prefix}-outcome": "dismissed", f"{prefix}-reason": "查无实据"})
    objection.refresh_from_db()
    assert (objection.status, objection.resolution_reason) == ("dismissed", "查无实据")
    assert list(
        AuditEvent.objects.filter(action__startswith="objection.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["objection.record", "objection.dismiss"]


def test_an_upheld_objection_sends_the_assessment_back_to_review(
    client,
    world: World,
    experts,  # noqa: F811
):
    notice = on_notice(world, experts)
    objection = with_objection(world, notice)
    client.force_login(world.officer_province)
    prefix = f"o{objection.pk}"
    client.post(
        reverse("web:officer_objection_resolve", args=[notice.pk, objection.pk]),
        {f"{prefix}-outcome": "upheld", f"{prefix}-reason": "经核实属实"},
    )
    assert _status(world.assessment_a) == "consolidation"
    assert notice.entries.get().status == "withdrawn"


def test_closing_is_refused_while_the_window_runs_or_objections_are_open(
    client,
    world: World,
    experts,  # noqa: F811
):
    notice = on_notice(world, experts)
    with_objection(world, notice)
    client.force_login(world.officer_province)
    before = state()
    url = reverse("web:officer_notice_close", args=[notice.pk])
    response = client.post(url, follow=True)
    assert len(_messages(response)) == 1
    assert state() == before
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=9),
        ends_on=timezone.localdate() - dt.timedelta(days=3),
    )
    response = client.post(url, follow=True)
    assert len(_messages(response)) == 1  # the open objection
    assert PublicNotice.objects.get(pk=notice.pk).status == "open"


def test_closing_after_the_window_recognises_with_a_certificate_number(
    client,
    world: World,
    experts,  # noqa: F811
):
    notice = on_notice(world, experts, starts_on=timezone.localdate() - dt.timedelta(days=8))
    client.force_login(world.officer_province)
    response = client.post(reverse("web:officer_notice_close", args=[notice.pk]), follow=True)
    assert response.status_code == 200
    assert PublicNotice.objects.get(pk=notice.pk).status == "closed"
    recognition = Recognition.objects.get(assessment=world.assessment_a)
    assert CertificateRecord.objects.get(recognition=recognition).number.startswith("JC-99-")
    assert AuditEvent.objects.filter(action="notice.close", actor=world.officer_province).exists()


def test_the_notice_page_shows_entries_objections_and_the_window(
    client,
    world: World,
    experts,  # noqa: F811
):
    notice = on_notice(world, experts)
    with_objection(world, notice)
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_notice", args=[notice.pk]))
    page = response.content.decode()
    assert response.context["window_open"] is True
    assert response.context["open_objections"] == 1
    assert "服务记录不实" in page
    assert world.institution_a.name in page
