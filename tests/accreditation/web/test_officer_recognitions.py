"""Recognitions, look-backs, consistency checks and reductions through the officer's
pages: what they show, and that their forms call the services or show refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.models import (
    AuditEvent,
    CertificateRecord,
    ConsistencyCheck,
    LookBack,
    Recognition,
    Reduction,
)
from accreditation.services.certificates import certificate_issue
from accreditation.services.consistency import consistency_rescore_record
from tests.accreditation.conftest import World
from tests.accreditation.web.officer_setup import checked, recognised
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import CODES, state

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_recognition_list_shows_certificate_numbers_linked_to_verification(
    client,
    world: World,
    experts,  # noqa: F811
):
    recognition = recognised(world, experts)
    number = CertificateRecord.objects.get(recognition=recognition).number
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_recognitions"))
    page = response.content.decode()
    assert [r.pk for r, _, _ in response.context["rows"]] == [recognition.pk]
    assert 'href="{}"'.format(reverse("web:verify_code", args=[number])) in page
    # Not issued yet: the page says so and links no download (the API answers 409).
    download = reverse("api:certificate-download", args=[number])
    assert response.context["rows"][0][2][0].file.name == ""
    assert "尚未签发" in page
    assert f'href="{download}"' not in page
    assert client.get(download).status_code == 409
    # Once issued, the page links the stored PDF.
    certificate_issue(
        actor=world.officer_province,
        certificate=CertificateRecord.objects.get(recognition=recognition),
    )
    page = client.get(reverse("web:officer_recognitions")).content.decode()
    assert f'href="{download}"' in page
    pdf = client.get(download)
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("level=recommended", True),
        ("level=basic", False),
        ("status=active", True),
        ("status=revoked", False),
        ("region=CITY", True),
        ("region=OTHER", False),
    ],
)
def test_the_recognition_list_filters(
    client,
    world: World,
    experts,  # noqa: F811
    query,
    found,
):
    recognised(world, experts)
    query = query.replace("OTHER", str(world.other_city.pk)).replace("CITY", str(world.city.pk))
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_recognitions") + "?" + query)
    assert bool(response.context["rows"]) is found


def test_a_look_back_revokes_through_the_service(
    client,
    world: World,
    experts,  # noqa: F811
):
    recognition = recognised(world, experts)
    client.force_login(world.officer_province)
    response = client.post(
        reverse("web:officer_recognition", args=[recognition.pk]),
        {"outcome": "revoke", "reason": "回头看发现弄虚作假", "findings": "病历不实"},
        follow=True,
    )
    assert response.status_code == 200
    recognition.refresh_from_db()
    assert recognition.status == "revoked"
    assert CertificateRecord.objects.get(recognition=recognition).status == "revoked"
    lookback = LookBack.objects.get()
    assert (lookback.outcome, lookback.reason, lookback.recorded_by) == (
        "revoke",
        "回头看发现弄虚作假",
        world.officer_province,
    )
    assert AuditEvent.objects.filter(action="lookback.record").count() == 1
    assert response.context["may_review"] is False  # no longer active


def test_a_look_back_downgrade_to_a_level_not_lower_is_refused_on_the_page(
    client,
    world: World,
    experts,  # noqa: F811
):
    recognition = recognised(world, experts)
    client.force_login(world.officer_province)
    before = state()
    response = client.post(
        reverse("web:officer_recognition", args=[recognition.pk]),
        {"outcome": "downgrade", "to_level": "recommended", "reason": "降级"},
    )
    assert response.status_code == 200
    assert len(_messages(response)) == 1
    assert state() == before


def test_a_look_back_downgrade_shows_the_new_recognition(
    client,
    world: World,
    experts,  # noqa: F811
):
    recognition = recognised(world, experts)
    client.force_login(world.officer_province)
    response = client.post(
        reverse("web:officer_recognition", args=[recognition.pk]),
        {"outcome": "downgrade", "to_level": "basic", "reason": "部分条款不达标"},
    )
    replacement = Recognition.objects.get(status="active")
    assert response.url == reverse("web:officer_recognition", args=[replacement.pk])
    assert (replacement.level, replacement.supersedes_id) == ("basic", recognition.pk)


def test_a_check_is_run_rescored_completed_and_reduced_through_the_pages(
    client,
    world: World,
    experts,  # noqa: F811
):
    recognition = recognised(world, experts)
    client.force_login(world.officer_province)
    response = client.post(
        reverse("web:officer_check_run"),
        {"cycle": world.cycle.pk, "region": world.province.pk, "sample_share": "0.5"},
    )
    check = ConsistencyCheck.objects.get()
    assert response.url == reverse("web:officer_check", args=[check.pk])
    sample = check.samples.get()
    assert sample.recognition == recognition
    page = client.get(response.url)
    assert [row["sample"] for row in page.context["rows"]] == [sample]
    grades = {f"grade-{code}": "A" for code in CODES} | {"grade-1.1.1": "C"}
    client.post(reverse("web:officer_check_rescore", args=[check.pk, sample.pk]), grades)
    sample.refresh_from_db()
    assert sample.grades["1.1.1"] == "C"
    client.post(reverse("web:officer_check_complete", args=[check.pk]))
    check.refresh_from_db()
    assert check.status == "completed"
    assert check.report["per_item"]["1.1.1"]["agreed"] == 0
    page = client.get(reverse("web:officer_check", args=[check.pk]))
    assert page.context["report_regions"][0][0] == world.city.name
    client.post(
        reverse("web:officer_check_reduce", args=[check.pk]),
        {
            "samples": [sample.pk],
            f"action-{sample.pk}": "downgrade",
            f"to-{sample.pk}": "basic",
            "reason": "一致性核查不达标",
        },
    )
    reduction = Reduction.objects.get()
    assert (reduction.check_run, reduction.reason) == (check, "一致性核查不达标")
    recognition.refresh_from_db()
    assert recognition.status == "downgraded"
    assert [
        a
        for a in AuditEvent.objects.order_by("id").values_list("action", flat=True)
        if a.startswith(("consistency", "reduction"))
    ] == [
        "consistency_check.run",
        "consistency_check.rescore",
        "consistency_check.complete",
        "reduction.apply",
    ]


def test_completing_before_every_rescore_is_refused_on_the_page(
    client,
    world: World,
    experts,  # noqa: F811
):
    check = checked(world, experts)
    client.force_login(world.officer_province)
    before = state()
    response = client.post(reverse("web:officer_check_complete", args=[check.pk]), follow=True)
    assert len(_messages(response)) == 1
    assert state() == before
    assert ConsistencyCheck.objects.get().status == "open"


def test_a_city_officer_cannot_run_a_check_and_is_told(
    client,
    world: World,
    experts,  # noqa: F811
):
    recognised(world, experts)
    client.force_login(world.officer_city)
    assert client.get(reverse("web:officer_checks")).context["may_run"] is False
    response = client.post(
        reverse("web:officer_check_run"),
        {"cycle": world.cycle.pk, "region": world.city.pk, "sample_share": "1"},
        follow=True,
    )
    assert len(_messages(response)) == 1
    assert not ConsistencyCheck.objects.exists()


def test_a_completed_check_refuses_more_rescores(
    client,
    world: World,
    experts,  # noqa: F811
):
    check = checked(world, experts)
    sample = check.samples.get()
    consistency_rescore_record(
        actor=world.officer_province,
        check=check,
        recognition=sample.recognition,
        grades=dict.fromkeys(CODES, "A"),
    )
    client.force_login(world.officer_province)
    client.post(reverse("web:officer_check_complete", args=[check.pk]), follow=True)
    response = client.post(
        reverse("web:officer_check_rescore", args=[check.pk, sample.pk]),
        {f"grade-{code}": "B" for code in CODES},
        follow=True,
    )
    assert [m.tags for m in response.context["messages"]] == ["error"]
    sample.refresh_from_db()
    assert set(sample.grades.values()) == {"A"}


# --- Certificate issuance -------------------------------------------------------------


def test_a_certificate_is_issued_and_reissued_through_the_services(
    client,
    world: World,
    experts,  # noqa: F811
):
    recognition = recognised(world, experts)
    record = CertificateRecord.objects.get(recognition=recognition)
    client.force_login(world.officer_province)
    page = client.get(reverse("web:officer_recognition", args=[recognition.pk]))
    assert 'data-role="issue"' in page.content.decode()
    client.post(
        reverse("web:officer_certificate_issue", args=[recognition.pk, record.pk]), follow=True
    )
    record.refresh_from_db()
    assert record.file.name and len(record.sha256) == 64
    assert AuditEvent.objects.filter(action="certificate.render", actor=world.officer_province)
    # A reissue needs a reason; with one, a new number supersedes the old.
    url = reverse("web:officer_certificate_reissue", args=[recognition.pk, record.pk])
    before = state()
    response = client.post(url, {"reason": " "}, follow=True)
    assert [m.tags for m in response.context["messages"]] == ["error"]
    assert state() == before
    client.post(url, {"reason": "机构更名"})
    record.refresh_from_db()
    new = CertificateRecord.objects.get(supersedes=record)
    assert (record.status, new.version, new.status) == ("superseded", 2, "valid")
    assert new.sha256


def test_a_notices_certificates_are_issued_in_a_background_batch(
    client,
    world: World,
    experts,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from accreditation.models import CertificateBatch

    recognition = recognised(world, experts)
    client.force_login(world.officer_province)
    url = reverse("web:officer_notice_certificates", args=[recognition.notice_id])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    batch = CertificateBatch.objects.get()
    assert (batch.status, batch.done, batch.failed, batch.created_by) == (
        "completed",
        1,
        0,
        world.officer_province,
    )
    assert CertificateRecord.objects.get(recognition=recognition).sha256
    page = client.get(reverse("web:officer_notice", args=[recognition.notice_id]))
    assert page.context["batch"] == batch
    assert 'id="issue-certificates"' not in page.content.decode()


def test_a_notice_without_recognitions_issues_nothing_and_says_so(
    client,
    world: World,
    experts,  # noqa: F811
):
    from accreditation.models import CertificateBatch
    from accreditation.services.reductions import lookback_record

    recognition = recognised(world, experts)
    lookback_record(
        actor=world.officer_province, recognition=recognition, outcome="revoke", reason="撤销"
    )
    client.force_login(world.officer_province)
    response = client.post(
        reverse("web:officer_notice_certificates", args=[recognition.notice_id]), follow=True
    )
    assert [m.tags for m in response.context["messages"]] == ["error"]
    assert not CertificateBatch.objects.exists()
