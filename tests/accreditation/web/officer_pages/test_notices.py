"""The public notice pages: opening a notice through the service, objections recorded
and resolved, closing after the window with the recognition's certificate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import (
    Assessment,
    AuditEvent,
    CertificateRecord,
    Objection,
    PublicNotice,
    Recognition,
)
from accreditation.services.decisions import decision_record
from tests.accreditation.conftest import World
from tests.accreditation.web.officer_pages.helpers import messages, status
from tests.accreditation.web.officer_setup import awaiting_decision, on_notice, with_objection
from tests.workflows.helpers import state

pytestmark = pytest.mark.django_db


def _decided(world: World, experts) -> Assessment:
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
    client, world: World, experts
):
    _decided(world, experts)
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_notices"))
    (group,) = response.context["groups"]
    assert (group["region"], group["cycle"]) == (world.province, world.cycle)
    assert [a for a, _ in group["rows"]] == [world.assessment_a]


def test_a_notice_is_opened_through_the_service(client, world: World, experts):
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
    assert status(a) == "public_notice"
    assert AuditEvent.objects.filter(action="notice.open").count() == 1


def test_a_notice_refused_by_the_service_is_shown(client, world: World, experts):
    _decided(world, experts)
    client.force_login(world.officer_province)
    client.post(
        reverse("web:officer_notice_open"), _open_data(world, timezone.localdate()), follow=True
    )
    before = state()
    response = client.post(
        reverse("web:officer_notice_open"), _open_data(world, timezone.localdate()), follow=True
    )
    assert len(messages(response)) == 1  # the document number is used (and not decided)
    assert state() == before


def test_objections_are_recorded_and_dismissed_with_a_reason(client, world: World, experts):
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


def test_an_upheld_objection_sends_the_assessment_back_to_review(client, world: World, experts):
    notice = on_notice(world, experts)
    objection = with_objection(world, notice)
    client.force_login(world.officer_province)
    prefix = f"o{objection.pk}"
    client.post(
        reverse("web:officer_objection_resolve", args=[notice.pk, objection.pk]),
        {f"{prefix}-outcome": "upheld", f"{prefix}-reason": "经核实属实"},
    )
    assert status(world.assessment_a) == "consolidation"
    assert notice.entries.get().status == "withdrawn"


def test_closing_is_refused_while_the_window_runs_or_objections_are_open(
    client, world: World, experts
):
    notice = on_notice(world, experts)
    with_objection(world, notice)
    client.force_login(world.officer_province)
    before = state()
    url = reverse("web:officer_notice_close", args=[notice.pk])
    response = client.post(url, follow=True)
    assert len(messages(response)) == 1
    assert state() == before
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=9),
        ends_on=timezone.localdate() - dt.timedelta(days=3),
    )
    response = client.post(url, follow=True)
    assert len(messages(response)) == 1  # the open objection
    assert PublicNotice.objects.get(pk=notice.pk).status == "open"


def test_closing_after_the_window_recognises_with_a_certificate_number(
    client, world: World, experts
):
    notice = on_notice(world, experts, starts_on=timezone.localdate() - dt.timedelta(days=8))
    client.force_login(world.officer_province)
    response = client.post(reverse("web:officer_notice_close", args=[notice.pk]), follow=True)
    assert response.status_code == 200
    assert PublicNotice.objects.get(pk=notice.pk).status == "closed"
    recognition = Recognition.objects.get(assessment=world.assessment_a)
    assert CertificateRecord.objects.get(recognition=recognition).number.startswith("JC-99-")
    assert AuditEvent.objects.filter(action="notice.close", actor=world.officer_province).exists()


def test_the_notice_page_shows_entries_objections_and_the_window(client, world: World, experts):
    notice = on_notice(world, experts)
    with_objection(world, notice)
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_notice", args=[notice.pk]))
    page = response.content.decode()
    assert response.context["window_open"] is True
    assert response.context["open_objections"] == 1
    assert "服务记录不实" in page
    assert world.institution_a.name in page
