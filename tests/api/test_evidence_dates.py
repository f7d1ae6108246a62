"""Evidence dates, revisions and reuse through the API: the fields, the endpoints, the
refusals (400 on the field), and the checklist's flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accreditation.models import AuditEvent, Evidence, EvidenceAttachment
from accreditation.services.evidence import evidence_revise, evidence_upload
from tests import files
from tests.files import upload

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def base(world) -> str:
    return f"/api/v1/assessments/{world.assessment_a.pk}/"


def attach(world, item="1.1.1", content=files.PDF, name="许可证.pdf", **dates):
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=[item],
        file=upload(content, name),
        **dates,
    )
    return attachment


def test_upload_takes_the_dates_and_answers_them(world, as_user):
    response = as_user("staff_a").post(
        base(world) + "evidence/",
        {
            "file": upload(files.PDF, "许可证.pdf"),
            "item_codes": ["1.1.1"],
            "effective_on": "2026-01-01",
            "expires_on": "2026-01-31",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    (body,) = response.json()
    assert {k: body[k] for k in ("effective_on", "expires_on", "revision", "replaces")} == {
        "effective_on": "2026-01-01",
        "expires_on": "2026-01-31",
        "revision": 1,
        "replaces": None,
    }
    assert (body["superseded"], body["expired"], body["expires_soon"]) == (False, True, False)


def test_upload_with_an_expiry_before_the_effective_date_is_400_on_the_field(world, as_user):
    response = as_user("staff_a").post(
        base(world) + "evidence/",
        {
            "file": upload(files.PDF, "a.pdf"),
            "item_codes": ["1.1.1"],
            "effective_on": "2026-03-01",
            "expires_on": "2026-02-01",
        },
        format="multipart",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid", ["expires_on"])
    assert not Evidence.objects.exists()


def test_upload_with_a_malformed_date_is_400_on_the_field(world, as_user):
    response = as_user("staff_a").post(
        base(world) + "evidence/",
        {"file": upload(files.PDF, "a.pdf"), "item_codes": ["1.1.1"], "effective_on": "31/01"},
        format="multipart",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["effective_on"]


def test_revise_answers_the_new_revision_and_lists_the_old_one_as_superseded(world, as_user):
    first = attach(world)
    client = as_user("staff_a")
    response = client.post(
        base(world) + f"evidence/{first.pk}/revise/",
        {"file": upload(files.PNG, "新版.png"), "expires_on": "2031-12-31"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["revision"], body["replaces"], body["name"], body["expires_on"]) == (
        2,
        first.pk,
        "新版.png",
        "2031-12-31",
    )
    listed = client.get(base(world) + "evidence/?ordering=id").json()["results"]
    assert [(a["id"], a["superseded"]) for a in listed] == [(first.pk, True), (body["id"], False)]
    current = client.get(base(world) + "evidence/?current=true").json()["results"]
    assert [a["id"] for a in current] == [body["id"]]
    again = client.post(
        base(world) + f"evidence/{first.pk}/revise/",
        {"file": upload(files.JPG, "c.jpg")},
        format="multipart",
    )
    assert again.status_code == 409
    assert again.json()["error"]["details"] == {"current": body["id"]}


def test_dates_put_corrects_the_dates(world, as_user):
    attachment = attach(world)
    response = as_user("staff_a").put(
        base(world) + f"evidence/{attachment.pk}/dates/",
        {"effective_on": "2026-01-01", "expires_on": None},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["effective_on"], response.json()["expires_on"]) == (
        "2026-01-01",
        None,
    )
    assert EvidenceAttachment.objects.get(pk=attachment.pk).effective_on == dt.date(2026, 1, 1)
    assert AuditEvent.objects.filter(action="evidence.dates_set").count() == 1


def test_dates_put_with_an_expiry_before_the_effective_date_is_400(world, as_user):
    attachment = attach(world)
    response = as_user("staff_a").put(
        base(world) + f"evidence/{attachment.pk}/dates/",
        {"effective_on": "2026-05-01", "expires_on": "2026-04-30"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["expires_on"]
    assert EvidenceAttachment.objects.get(pk=attachment.pk).expires_on is None


def test_reuse_attaches_the_file_again(world, as_user):
    source = attach(world, expires_on=TODAY() + dt.timedelta(days=10))
    response = as_user("staff_a").post(
        base(world) + "evidence/reuse/",
        {"source": source.pk, "item_codes": ["2.1.1"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    (body,) = response.json()
    assert (body["item_code"], body["sha256"], body["expires_soon"]) == (
        "2.1.1",
        source.evidence.sha256,
        True,
    )
    assert Evidence.objects.count() == 1


def test_reuse_of_another_institutions_file_is_400_on_source_and_changes_nothing(world, as_user):
    (foreign,) = evidence_upload(
        actor=world.staff_b,
        assessment=world.assessment_b,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "b.pdf"),
    )
    response = as_user("staff_a").post(
        base(world) + "evidence/reuse/",
        {"source": foreign.pk, "item_codes": ["1.1.1"]},
        format="json",
    )
    missing = as_user("staff_a").post(
        base(world) + "evidence/reuse/",
        {"source": foreign.pk + 1000, "item_codes": ["1.1.1"]},
        format="json",
    )
    assert response.status_code == missing.status_code == 400
    assert response.json()["error"]["fields"] == missing.json()["error"]["fields"]
    assert list(response.json()["error"]["fields"]) == ["source"]
    assert not EvidenceAttachment.objects.filter(assessment=world.assessment_a).exists()


def test_checklist_flags_expired_evidence_and_lists_history(world, as_user):
    old = attach(world, effective_on=dt.date(2025, 1, 1), expires_on=dt.date(2025, 12, 31))
    new = evidence_revise(
        actor=world.staff_a,
        attachment=old,
        file=upload(files.PNG, "b.png"),
        effective_on=dt.date(2026, 1, 1),
        expires_on=TODAY() - dt.timedelta(days=1),
    )
    response = as_user("staff_a").get(base(world) + "items/")
    assert response.status_code == 200
    row = next(r for r in response.json()["results"] if r["item"]["code"] == "1.1.1")
    (current,) = row["attachments"]
    assert (current["id"], current["revision"], current["expired"]) == (new.pk, 2, True)
    assert [(h["id"], h["superseded"], h["replaces"]) for h in row["history"]] == [
        (old.pk, True, None)
    ]
