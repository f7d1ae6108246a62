"""Evidence on the checklist: upload, refusal of an impostor file, detach, download."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.models import EvidenceAttachment
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
    assert response.json() == {"item": "1.1.1", "attachments": []}
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
