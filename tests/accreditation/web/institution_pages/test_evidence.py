"""Evidence on the checklist: upload (with dates), refusal of an impostor file, detach,
download, revisions, reuse and the expiry flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.core.audit import AuditAction
from accreditation.models import Assessment, AuditEvent, EvidenceAttachment
from accreditation.services.evidence import evidence_upload
from tests import files
from tests.accreditation.conftest import World
from tests.files import upload

pytestmark = pytest.mark.django_db


def test_upload_attaches_to_the_item_and_lists_its_files(client, world: World):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("web:evidence_upload", args=[world.assessment_a.pk]),
        {"item": "1.1.1", "file": upload(files.PDF, "制度.pdf")},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["item"] == "1.1.1"
    assert [a["name"] for a in data["attachments"]] == ["制度.pdf"]
    attachment = EvidenceAttachment.objects.get(assessment=world.assessment_a)
    assert data["attachments"][0]["url"] == reverse(
        "web:evidence_download", args=[world.assessment_a.pk, attachment.pk]
    )


def test_upload_refuses_an_impostor_file_and_stores_nothing(client, world: World):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("web:evidence_upload", args=[world.assessment_a.pk]),
        {"item": "1.1.1", "file": upload(files.HTML, "a.pdf")},
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"]["reason"] == "unsupported_type"
    assert not EvidenceAttachment.objects.exists()


def test_detach_removes_the_file_from_the_item(client, world: World):
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "a.pdf"),
    )
    client.force_login(world.staff_a)
    response = client.post(
        reverse("web:evidence_detach", args=[world.assessment_a.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert (response.json()["item"], response.json()["attachments"]) == ("1.1.1", [])
    assert not EvidenceAttachment.objects.exists()


def test_download_serves_the_file_as_an_attachment(client, world: World):
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "制度.pdf"),
    )
    client.force_login(world.reviewer_a)
    response = client.get(
        reverse("web:evidence_download", args=[world.assessment_a.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == files.PDF


def test_upload_takes_the_dates_and_refuses_an_expiry_before_them(client, world: World):
    client.force_login(world.staff_a)
    url = reverse("web:evidence_upload", args=[world.assessment_a.pk])
    refused = client.post(
        url,
        {
            "item": "1.1.1",
            "file": upload(files.PDF, "a.pdf"),
            "effective_on": "2026-03-01",
            "expires_on": "2026-02-01",
        },
    )
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["expires_on"]
    assert not EvidenceAttachment.objects.exists()
    response = client.post(
        url,
        {
            "item": "1.1.1",
            "file": upload(files.PDF, "a.pdf"),
            "effective_on": "2026-01-01",
            "expires_on": "2026-01-31",
        },
    )
    assert response.status_code == 200
    (listed,) = response.json()["attachments"]
    assert (listed["effective_on"], listed["expires_on"], listed["expired"]) == (
        "2026-01-01",
        "2026-01-31",
        True,
    )
    assert 'data-expiry="expired"' in response.json()["html"]


def test_checklist_flags_expired_and_expiring_evidence_with_dates(client, world: World):
    today = timezone.localdate()
    evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "旧许可证.pdf"),
        effective_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2025, 12, 31),
    )
    evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["2.1.1"],
        file=upload(files.PNG, "b.png"),
        expires_on=today + dt.timedelta(days=10),
    )
    client.force_login(world.staff_a)
    page = client.get(reverse("web:checklist", args=[world.assessment_a.pk])).content.decode()
    item_1 = page[page.index('id="item-1.1.1"') : page.index('id="item-1.1.2"')]
    item_2 = page[page.index('id="item-2.1.1"') :]
    assert 'data-expiry="expired"' in item_1
    assert "2025-01-01" in item_1 and "2025-12-31" in item_1
    assert 'data-expiry="expires_soon"' in item_2
    assert 'data-expiry="expired"' not in item_2


def test_revise_replaces_the_file_and_lists_the_old_one_as_history(client, world: World):
    (first,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "v1.pdf"),
    )
    client.force_login(world.staff_a)
    response = client.post(
        reverse("web:evidence_revise", args=[world.assessment_a.pk, first.pk]),
        {"file": upload(files.PNG, "v2.png"), "expires_on": "2031-01-01"},
    )
    assert response.status_code == 200, response.content
    (current,) = response.json()["attachments"]
    assert (current["name"], current["revision"], current["expires_on"]) == (
        "v2.png",
        2,
        "2031-01-01",
    )
    assert 'data-role="history"' in response.json()["html"]
    assert "v1.pdf" in response.json()["html"]
    assert EvidenceAttachment.objects.get(pk=first.pk).superseded


def test_reuse_picks_an_earlier_file_of_the_institution(client, world: World):
    (source,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "制度.pdf"),
    )
    client.force_login(world.staff_a)
    page = client.get(reverse("web:checklist", args=[world.assessment_a.pk])).content.decode()
    assert 'id="reusable-files"' in page and f'"id": {source.pk}' in page
    response = client.post(
        reverse("web:evidence_reuse", args=[world.assessment_a.pk]),
        {"item": "2.1.1", "source": source.pk},
    )
    assert response.status_code == 200, response.content
    assert [a["name"] for a in response.json()["attachments"]] == ["制度.pdf"]
    assert EvidenceAttachment.objects.filter(evidence=source.evidence).count() == 2


def test_reuse_of_another_institutions_file_answers_as_unknown(client, world: World):
    (foreign,) = evidence_upload(
        actor=world.staff_b,
        assessment=world.assessment_b,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "b.pdf"),
    )
    client.force_login(world.staff_a)
    response = client.post(
        reverse("web:evidence_reuse", args=[world.assessment_a.pk]),
        {"item": "1.1.1", "source": foreign.pk},
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["source"]
    assert not EvidenceAttachment.objects.filter(assessment=world.assessment_a).exists()


# --- Correcting an attachment's dates ----------------------------------------------


def _attached(world: World, **dates) -> EvidenceAttachment:
    (row,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "许可证.pdf"),
        **dates,
    )
    return row


def _dates_url(world: World, row: EvidenceAttachment) -> str:
    return reverse("web:evidence_dates", args=[world.assessment_a.pk, row.pk])


def test_the_checklist_offers_to_correct_the_dates_prefilled(client, world: World):
    row = _attached(world, effective_on=dt.date(2025, 3, 1), expires_on=dt.date(2027, 3, 1))
    client.force_login(world.staff_a)
    page = client.get(reverse("web:checklist", args=[world.assessment_a.pk])).content.decode()
    assert f'data-dates-url="{_dates_url(world, row)}"' in page
    assert 'data-dates-field="effective_on" value="2025-03-01"' in page
    assert 'data-dates-field="expires_on" value="2027-03-01"' in page


def test_correcting_the_dates_keeps_the_file_and_audits_the_change(client, world: World):
    row = _attached(world, effective_on=dt.date(2025, 3, 1))
    client.force_login(world.staff_a)
    response = client.post(
        _dates_url(world, row), {"effective_on": "2025-01-15", "expires_on": "2026-01-14"}
    )
    assert response.status_code == 200, response.content
    (current,) = response.json()["attachments"]
    assert (current["id"], current["effective_on"], current["expires_on"]) == (
        row.pk,
        "2025-01-15",
        "2026-01-14",
    )
    assert current["expired"] is True
    assert 'data-expiry="expired"' in response.json()["html"]
    event = AuditEvent.objects.get(action=AuditAction.EVIDENCE_DATES_SET)
    assert (event.before["effective_on"], event.after["expires_on"]) == ("2025-03-01", "2026-01-14")
    # A blank expiry removes it.
    response = client.post(_dates_url(world, row), {"effective_on": "2025-01-15", "expires_on": ""})
    assert response.json()["attachments"][0]["expires_on"] is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"effective_on": "2025-03-01", "expires_on": "2025-02-01"}, "expires_on"),
        ({"effective_on": "", "expires_on": "2030-01-01"}, "effective_on"),
        ({"effective_on": "2025-02-30"}, "effective_on"),
        ({"effective_on": "2099-01-01"}, "effective_on"),
    ],
)
def test_bad_dates_are_refused_by_field_and_change_nothing(client, world: World, data, field):
    row = _attached(world, effective_on=dt.date(2025, 3, 1))
    audits = AuditEvent.objects.count()
    client.force_login(world.staff_a)
    response = client.post(_dates_url(world, row), data)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    stored = EvidenceAttachment.objects.get(pk=row.pk)
    assert (stored.effective_on, stored.expires_on) == (dt.date(2025, 3, 1), None)
    assert AuditEvent.objects.count() == audits


def test_dates_of_a_submitted_or_foreign_attachment_are_refused(client, world: World):
    row = _attached(world, effective_on=dt.date(2025, 3, 1))
    client.force_login(world.staff_b)
    foreign = client.post(_dates_url(world, row), {"effective_on": "2025-01-01"})
    assert foreign.status_code == 404
    Assessment.objects.filter(pk=world.assessment_a.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(world.staff_a)
    locked = client.post(_dates_url(world, row), {"effective_on": "2025-01-01"})
    assert locked.status_code == 409, locked.content
    page = client.get(reverse("web:checklist", args=[world.assessment_a.pk])).content.decode()
    assert "data-dates-url" not in page
    assert EvidenceAttachment.objects.get(pk=row.pk).effective_on == dt.date(2025, 3, 1)
