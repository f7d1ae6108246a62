from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accreditation.core.errors import EvidenceRejected, NotEditable
from accreditation.models import Assessment, AuditEvent, Evidence, EvidenceAttachment
from accreditation.services.evidence import evidence_attach, evidence_detach, evidence_upload
from tests import files
from tests.files import upload


def stored_files(media_root) -> list[Path]:
    root = Path(media_root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_nothing_stored(media_root) -> None:
    assert stored_files(media_root) == []
    assert Evidence.objects.count() == 0
    assert EvidenceAttachment.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="evidence.").exists()


def test_upload_stores_the_file_by_hash_and_attaches_it_to_each_item(world, _media_root):
    attachments = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1", "2.1.1", "1.1.1"],
        file=upload(files.PDF, "制度汇编.pdf"),
    )
    evidence = Evidence.objects.get()
    assert [a.item_code for a in attachments] == ["1.1.1", "2.1.1"]
    assert {a.name for a in attachments} == {"制度汇编.pdf"}
    assert (evidence.file_type, evidence.size) == ("pdf", len(files.PDF))
    assert len(evidence.sha256) == 64
    assert evidence.file.name == f"evidence/{evidence.sha256[:2]}/{evidence.sha256}.pdf"
    assert stored_files(_media_root) == [Path(_media_root) / evidence.file.name]
    event = AuditEvent.objects.get(action="evidence.attach")
    assert event.actor == world.staff_a
    assert event.assessment_id == world.assessment_a.pk
    assert event.after == {
        "items": ["1.1.1", "2.1.1"],
        "name": "制度汇编.pdf",
        "sha256": evidence.sha256,
        "size": len(files.PDF),
        "type": "pdf",
        "effective_on": timezone.localdate().isoformat(),
        "expires_on": None,
    }


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (files.PDF, "a.pdf"),
        (files.PNG, "a.png"),
        (files.JPG, "a.jpg"),
        (files.DOCX, "a.docx"),
        (files.XLSX, "a.xlsx"),
    ],
)
def test_upload_accepts_every_allowed_type(world, content, name):
    evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(content, name),
    )
    assert Evidence.objects.get().file_type == name.rsplit(".", 1)[1]


def test_same_content_twice_is_stored_once(world, _media_root):
    evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "first.pdf"),
    )
    evidence_upload(
        actor=world.staff_b,
        assessment=world.assessment_b,
        item_codes=["2.1.1"],
        file=upload(files.PDF, "second.pdf"),
    )
    assert Evidence.objects.count() == 1
    assert len(stored_files(_media_root)) == 1
    assert sorted(EvidenceAttachment.objects.values_list("name", flat=True)) == [
        "first.pdf",
        "second.pdf",
    ]


def test_uploading_an_attached_file_again_adds_nothing(world):
    evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF),
    )
    again = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF),
    )
    assert again == []
    assert EvidenceAttachment.objects.count() == 1
    assert AuditEvent.objects.filter(action="evidence.attach").count() == 1


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (files.EXE, "report.pdf", "unsupported_type"),
        (files.HTML, "photo.png", "unsupported_type"),
        (files.DOCM, "minutes.docx", "unsupported_type"),
        (files.PLAIN_ZIP, "table.xlsx", "unsupported_type"),
        (b"%PDX-1.4 almost", "almost.pdf", "unsupported_type"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason_and_store_nothing(
    world, _media_root, content, name, reason
):
    with pytest.raises(EvidenceRejected) as excinfo:
        evidence_upload(
            actor=world.staff_a,
            assessment=world.assessment_a,
            item_codes=["1.1.1"],
            file=upload(content, name),
        )
    assert excinfo.value.code == "evidence_rejected"
    assert excinfo.value.reason == reason
    assert excinfo.value.message
    assert_nothing_stored(_media_root)


def test_upload_over_the_size_limit_is_refused(world, settings, _media_root):
    settings.ACCREDITATION = {**settings.ACCREDITATION, "EVIDENCE_MAX_BYTES": len(files.PDF) - 1}
    with pytest.raises(EvidenceRejected) as excinfo:
        evidence_upload(
            actor=world.staff_a,
            assessment=world.assessment_a,
            item_codes=["1.1.1"],
            file=upload(files.PDF),
        )
    assert excinfo.value.reason == "too_large"
    assert excinfo.value.details == {"reason": "too_large", "limit": len(files.PDF) - 1}
    assert_nothing_stored(_media_root)


def test_upload_at_the_size_limit_is_accepted(world, settings):
    settings.ACCREDITATION = {**settings.ACCREDITATION, "EVIDENCE_MAX_BYTES": len(files.PDF)}
    evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF),
    )
    assert Evidence.objects.count() == 1


def test_upload_without_items_is_refused(world, _media_root):
    with pytest.raises(EvidenceRejected) as excinfo:
        evidence_upload(
            actor=world.staff_a,
            assessment=world.assessment_a,
            item_codes=[],
            file=upload(files.PDF),
        )
    assert excinfo.value.reason == "no_items"
    assert_nothing_stored(_media_root)


def test_upload_to_an_unknown_item_is_refused(world, _media_root):
    with pytest.raises(ValidationError):
        evidence_upload(
            actor=world.staff_a,
            assessment=world.assessment_a,
            item_codes=["1.1.1", "9.9.9"],
            file=upload(files.PDF),
        )
    assert_nothing_stored(_media_root)


def test_hostile_filename_is_neutralised_and_cannot_escape_the_storage(world, _media_root):
    hostile = "../../../etc/" + "\u202e" + "x" * 300 + "\x00.exe"
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PNG, "innocent.png"),
        filename=hostile,
    )
    assert attachment.name == "x" * 116 + ".png"
    assert len(attachment.name) == 120
    (path,) = stored_files(_media_root)
    assert path.is_relative_to(Path(_media_root) / "evidence")


@pytest.mark.parametrize(
    "who", ["staff_b", "reviewer_a", "officer_national", "expert", "administrator"]
)
def test_upload_to_another_institution_is_refused_and_stores_nothing(world, _media_root, who):
    with pytest.raises(PermissionDenied):
        evidence_upload(
            actor=getattr(world, who),
            assessment=world.assessment_a,
            item_codes=["1.1.1"],
            file=upload(files.PDF),
        )
    assert_nothing_stored(_media_root)


def test_upload_after_submission_is_refused(world, _media_root):
    Assessment.objects.filter(pk=world.assessment_a.pk).update(status="submitted")
    with pytest.raises(NotEditable):
        evidence_upload(
            actor=world.staff_a,
            assessment=world.assessment_a,
            item_codes=["1.1.1"],
            file=upload(files.PDF),
        )
    assert_nothing_stored(_media_root)


def test_attach_an_uploaded_file_to_more_items(world):
    (first,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "a.pdf"),
    )
    added = evidence_attach(actor=world.staff_a, attachment=first, item_codes=["1.1.1", "2.1.1"])
    assert [(a.item_code, a.name, a.evidence_id) for a in added] == [
        ("2.1.1", "a.pdf", first.evidence_id)
    ]


def test_attach_is_refused_to_other_institutions(world):
    (first,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF),
    )
    with pytest.raises(PermissionDenied):
        evidence_attach(actor=world.staff_b, attachment=first, item_codes=["2.1.1"])
    assert EvidenceAttachment.objects.count() == 1


def test_detach_removes_the_attachment_and_keeps_the_file(world, _media_root):
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "a.pdf"),
    )
    evidence_detach(actor=world.staff_a, attachment=attachment)
    assert EvidenceAttachment.objects.count() == 0
    assert Evidence.objects.count() == 1
    assert len(stored_files(_media_root)) == 1
    event = AuditEvent.objects.get(action="evidence.detach")
    assert event.before == {
        "item": "1.1.1",
        "name": "a.pdf",
        "sha256": attachment.evidence.sha256,
    }
    assert (event.actor, event.assessment_id) == (world.staff_a, world.assessment_a.pk)


def test_detach_is_refused_to_other_institutions(world):
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF),
    )
    with pytest.raises(PermissionDenied):
        evidence_detach(actor=world.staff_b, attachment=attachment)
    assert EvidenceAttachment.objects.count() == 1
    assert not AuditEvent.objects.filter(action="evidence.detach").exists()
