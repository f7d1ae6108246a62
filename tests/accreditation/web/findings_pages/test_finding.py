"""One finding's page: the forms each viewer may use, refusals that write nothing,
and the loop plan → accept → evidence → verify through POSTs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accreditation.models import Finding, RectificationFile, RectificationPlan
from accreditation.services.findings import plan_accept, plan_submit
from tests.accreditation.web.findings_pages.helpers import (
    Status,
    counts,
    finding_page,
    future,
    post_plan,
)
from tests.accreditation.web.officer_pages.helpers import messages
from tests.files import PDF

pytestmark = pytest.mark.django_db


def test_outsiders_get_404_and_change_nothing(client, world, finding):
    before = counts()
    for who in ("staff_b", "reviewer_b", "officer_other_city"):
        client.force_login(getattr(world, who))
        assert client.get(reverse("web:finding", args=[finding.pk])).status_code == 404
        assert post_plan(client, finding).status_code == 404
    assert counts() == before


def test_each_role_sees_the_forms_it_may_use_while_open(client, world, finding):
    staff = finding_page(client, world.staff_a, finding).context["forms"]
    assert staff == {
        "plan": True,
        "evidence": False,
        "plan_decision": False,
        "verification": False,
        "withdraw": False,
    }
    officer = finding_page(client, world.officer_province, finding)
    assert officer.context["forms"]["withdraw"] and not officer.context["forms"]["plan"]
    assert 'id="plan-form"' not in officer.content.decode()
    # The county reviewer did not raise it: nothing to decide.
    reviewer = finding_page(client, world.reviewer_a, finding).context["forms"]
    assert not any(reviewer.values())


def test_a_plan_without_owner_shows_the_field_message_and_writes_nothing(client, world, finding):
    client.force_login(world.staff_a)
    before = counts()
    response = post_plan(client, finding, owner="")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-error="owner"' in page
    assert "请填写责任人" in page or response.context["errors"]["owner"]
    assert response.context["typed"]["root_cause"] == "制度未落实"  # kept as typed
    assert counts() == before
    assert Finding.objects.get(pk=finding.pk).status == Status.OPEN


def test_the_decider_flow_accept_evidence_verify_closes_the_finding(client, world, finding):
    url = reverse("web:finding", args=[finding.pk])
    client.force_login(world.staff_a)
    assert post_plan(client, finding).status_code == 302
    assert Finding.objects.get(pk=finding.pk).status == Status.PLAN_SUBMITTED

    client.force_login(world.officer_province)
    response = client.post(url, {"step": "accept", "comment": "同意"}, follow=True)
    assert Finding.objects.get(pk=finding.pk).status == Status.PLAN_ACCEPTED
    assert messages(response)[-1] == "整改计划已通过，机构开始整改。"

    client.force_login(world.staff_a)
    assert finding_page(client, world.staff_a, finding).context["forms"]["evidence"]
    files = [SimpleUploadedFile("培训签到表.pdf", PDF), SimpleUploadedFile("制度.pdf", PDF + b"2")]
    response = client.post(url, {"step": "evidence", "description": "已完成培训", "files": files})
    assert response.status_code == 302
    assert Finding.objects.get(pk=finding.pk).status == Status.EVIDENCE_SUBMITTED
    names = sorted(RectificationFile.objects.values_list("name", flat=True))
    assert names == ["制度.pdf", "培训签到表.pdf"]

    client.force_login(world.officer_province)
    page = client.get(url)
    assert page.context["forms"]["verification"]
    file = RectificationFile.objects.order_by("id").first()
    download = client.get(reverse("web:rectification_file", args=[file.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    response = client.post(url, {"step": "verify", "comment": ""}, follow=True)
    closed = Finding.objects.get(pk=finding.pk)
    assert closed.status == Status.CLOSED and closed.closed_at is not None
    assert 'id="finding-status">已核实销号' in response.content.decode()
    assert not any(response.context["forms"].values())


def test_returning_a_plan_needs_a_comment_and_writes_nothing_without(client, world, finding):
    plan_submit(
        actor=world.staff_a,
        finding=finding,
        root_cause="原因",
        actions="措施",
        owner="李医生",
        due_on=future(),
    )
    client.force_login(world.officer_province)
    url = reverse("web:finding", args=[finding.pk])
    before = counts()
    response = client.post(url, {"step": "return", "comment": " "})
    assert response.status_code == 400 and 'data-error="comment"' in response.content.decode()
    assert counts() == before
    client.post(url, {"step": "return", "comment": "原因分析不到位"})
    assert Finding.objects.get(pk=finding.pk).status == Status.OPEN
    assert RectificationPlan.objects.get().outcome == RectificationPlan.Outcome.RETURNED


def test_a_step_refused_by_state_or_permission_is_a_message_and_writes_nothing(
    client, world, finding
):
    url = reverse("web:finding", args=[finding.pk])
    before = counts()
    # Evidence before any plan is accepted: the transition is refused.
    client.force_login(world.staff_a)
    response = client.post(url, {"step": "evidence", "description": "已整改"}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert len(messages(response)) == 1
    # The county reviewer who did not raise it may not withdraw it.
    client.force_login(world.reviewer_a)
    response = client.post(url, {"step": "withdraw", "reason": "误报"}, follow=True)
    assert messages(response) == ["您无权执行此操作。"]
    assert counts() == before
    assert Finding.objects.get(pk=finding.pk).status == Status.OPEN


def test_rectification_files_are_404_outside_the_scope(client, world, finding):
    plan_submit(
        actor=world.staff_a,
        finding=finding,
        root_cause="原因",
        actions="措施",
        owner="李医生",
        due_on=future(),
    )
    plan_accept(actor=world.officer_province, finding=finding)
    client.force_login(world.staff_a)
    client.post(
        reverse("web:finding", args=[finding.pk]),
        {"step": "evidence", "description": "已完成", "files": [SimpleUploadedFile("a.pdf", PDF)]},
    )
    file = RectificationFile.objects.get()
    client.force_login(world.staff_b)
    assert client.get(reverse("web:rectification_file", args=[file.pk])).status_code == 404
    client.force_login(world.staff_a)
    assert client.get(reverse("web:rectification_file", args=[file.pk])).status_code == 200
