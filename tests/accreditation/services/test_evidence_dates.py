"""Evidence dates, revisions, reuse and expiry (issue 13 §2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accreditation.core.errors import IncompleteError, NotEditable
from accreditation.models import AssessmentSnapshot, AuditEvent, Evidence, EvidenceAttachment
from accreditation.selectors.assessments import assessment_attachments, assessment_checklist
from accreditation.selectors.evidence import (
    EXPIRED,
    EXPIRES_SOON,
    expired_among,
    expired_attachments,
    expiry_state,
    institution_reusable_files,
)
from accreditation.services.assessments import assessment_open
from accreditation.services.evidence import (
    evidence_attach,
    evidence_dates_set,
    evidence_detach,
    evidence_reuse,
    evidence_revise,
    evidence_upload,
)
from accreditation.services.submission import assessment_submit
from tests import files
from tests.accreditation.helpers import complete
from tests.factories import make_cycle, make_edition
from tests.files import upload

TODAY = timezone.localdate
DAY = dt.timedelta(days=1)


def attach(world, codes=("1.1.1",), content=files.PDF, name="许可证.pdf", **dates):
    return evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=list(codes),
        file=upload(content, name),
        **dates,
    )


def problems_of(excinfo) -> list[tuple[str, str]]:
    return [(p.code, p.item) for p in excinfo.value.problems]


# --- dates --------------------------------------------------------------------------


def test_upload_stores_the_dates_and_defaults_the_effective_date_to_today(world):
    (dated,) = attach(world, effective_on=dt.date(2026, 1, 1), expires_on=dt.date(2027, 1, 1))
    (plain,) = attach(world, codes=["2.1.1"], content=files.PNG, name="a.png")
    dated.refresh_from_db()
    plain.refresh_from_db()
    assert (dated.effective_on, dated.expires_on, dated.revision) == (
        dt.date(2026, 1, 1),
        dt.date(2027, 1, 1),
        1,
    )
    assert (plain.effective_on, plain.expires_on, plain.replaces, plain.replaced_at) == (
        TODAY(),
        None,
        None,
        None,
    )
    event = AuditEvent.objects.filter(action="evidence.attach").order_by("id").first()
    assert (event.after["effective_on"], event.after["expires_on"]) == ("2026-01-01", "2027-01-01")


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"effective_on": dt.date(2026, 3, 1), "expires_on": dt.date(2026, 2, 28)}, "expires_on"),
        ({"expires_on": dt.date(2000, 1, 1)}, "expires_on"),
        ({"effective_on": dt.date.today() + dt.timedelta(days=400)}, "effective_on"),
    ],
)
def test_upload_with_bad_dates_is_refused_on_the_field_and_stores_nothing(
    world, _media_root, dates, field
):
    with pytest.raises(ValidationError) as excinfo:
        attach(world, **dates)
    assert list(excinfo.value.message_dict) == [field]
    assert Evidence.objects.count() == 0
    assert EvidenceAttachment.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="evidence.").exists()


def test_expiry_on_the_effective_day_is_accepted(world):
    (attachment,) = attach(world, effective_on=TODAY(), expires_on=TODAY())
    assert attachment.expires_on == attachment.effective_on


def test_the_database_refuses_an_expiry_before_the_effective_date(world):
    (attachment,) = attach(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceAttachment.objects.filter(pk=attachment.pk).update(expires_on=TODAY() - DAY)


def test_dates_set_corrects_the_dates_with_an_audit_row(world):
    (attachment,) = attach(world)
    row = evidence_dates_set(
        actor=world.staff_a2,
        attachment=attachment,
        effective_on=dt.date(2026, 5, 1),
        expires_on=dt.date(2028, 4, 30),
    )
    stored = EvidenceAttachment.objects.get(pk=attachment.pk)
    assert (stored.effective_on, stored.expires_on) == (dt.date(2026, 5, 1), dt.date(2028, 4, 30))
    assert row.expires_on == dt.date(2028, 4, 30)
    event = AuditEvent.objects.get(action="evidence.dates_set")
    assert event.actor == world.staff_a2
    assert event.before == {
        "attachment": attachment.pk,
        "item": "1.1.1",
        "effective_on": TODAY().isoformat(),
        "expires_on": None,
    }
    assert event.after == {
        "attachment": attachment.pk,
        "item": "1.1.1",
        "effective_on": "2026-05-01",
        "expires_on": "2028-04-30",
    }


def test_dates_set_without_a_change_writes_nothing(world):
    (attachment,) = attach(world)
    evidence_dates_set(
        actor=world.staff_a, attachment=attachment, effective_on=TODAY(), expires_on=None
    )
    assert not AuditEvent.objects.filter(action="evidence.dates_set").exists()


def test_dates_set_refuses_bad_dates_and_keeps_the_stored_ones(world):
    (attachment,) = attach(world, expires_on=TODAY() + 10 * DAY)
    with pytest.raises(ValidationError) as excinfo:
        evidence_dates_set(
            actor=world.staff_a,
            attachment=attachment,
            effective_on=TODAY(),
            expires_on=TODAY() - DAY,
        )
    assert list(excinfo.value.message_dict) == ["expires_on"]
    assert EvidenceAttachment.objects.get(pk=attachment.pk).expires_on == TODAY() + 10 * DAY
    assert not AuditEvent.objects.filter(action="evidence.dates_set").exists()


def test_dates_set_is_refused_to_other_institutions_and_after_submission(world):
    complete(world.assessment_a, world.staff_a)
    attachment = EvidenceAttachment.objects.filter(assessment=world.assessment_a).first()
    with pytest.raises(PermissionDenied):
        evidence_dates_set(
            actor=world.staff_b, attachment=attachment, effective_on=TODAY(), expires_on=None
        )
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    with pytest.raises(NotEditable):
        evidence_dates_set(
            actor=world.staff_a,
            attachment=attachment,
            effective_on=TODAY() - DAY,
            expires_on=None,
        )
    assert EvidenceAttachment.objects.get(pk=attachment.pk).effective_on == TODAY()


def test_attach_to_more_items_copies_the_dates(world):
    (attachment,) = attach(world, effective_on=dt.date(2026, 1, 1), expires_on=dt.date(2030, 1, 1))
    (more,) = evidence_attach(actor=world.staff_a, attachment=attachment, item_codes=["2.1.1"])
    assert (more.effective_on, more.expires_on) == (dt.date(2026, 1, 1), dt.date(2030, 1, 1))


# --- revisions ----------------------------------------------------------------------


def test_revise_replaces_the_attachment_and_keeps_the_old_one_as_history(world, _media_root):
    (first,) = attach(world, expires_on=TODAY() + 5 * DAY)
    second = evidence_revise(
        actor=world.staff_a,
        attachment=first,
        file=upload(files.PDF + b"v2", "许可证-2026.pdf"),
        expires_on=TODAY() + 365 * DAY,
    )
    first.refresh_from_db()
    assert first.replaced_at is not None and first.superseded
    assert (second.item_code, second.revision, second.replaces, second.name) == (
        "1.1.1",
        2,
        first,
        "许可证-2026.pdf",
    )
    assert (second.effective_on, second.expires_on) == (TODAY(), TODAY() + 365 * DAY)
    assert list(first.revisions.all()) == [second]
    assert [a.id for a in assessment_attachments(assessment=world.assessment_a)["1.1.1"]] == [
        second.pk
    ]
    every = assessment_attachments(assessment=world.assessment_a, include_superseded=True)
    assert [(a.id, a.superseded) for a in every["1.1.1"]] == [(first.pk, True), (second.pk, False)]
    event = AuditEvent.objects.get(action="evidence.revise")
    assert event.before["attachment"] == first.pk
    assert (event.after["attachment"], event.after["revision"]) == (second.pk, 2)
    assert Evidence.objects.count() == 2


def test_a_revision_is_revised_again_with_the_next_number(world):
    (first,) = attach(world)
    second = evidence_revise(actor=world.staff_a, attachment=first, file=upload(files.PNG))
    third = evidence_revise(actor=world.staff_a, attachment=second, file=upload(files.JPG))
    assert (third.revision, third.replaces_id) == (3, second.pk)
    checklist = {row.code: row for row in assessment_checklist(assessment=world.assessment_a)}
    assert [a.id for a in checklist["1.1.1"].attachments] == [third.pk]
    assert [a.revision for a in checklist["1.1.1"].history] == [1, 2]


def test_revise_refuses_a_superseded_revision_and_the_same_file(world, _media_root):
    (first,) = attach(world)
    second = evidence_revise(actor=world.staff_a, attachment=first, file=upload(files.PNG))
    with pytest.raises(NotEditable) as excinfo:
        evidence_revise(actor=world.staff_a, attachment=first, file=upload(files.JPG))
    assert excinfo.value.details == {"current": second.pk}
    with pytest.raises(ValidationError) as excinfo:
        evidence_revise(actor=world.staff_a, attachment=second, file=upload(files.PNG))
    assert list(excinfo.value.message_dict) == ["file"]
    assert EvidenceAttachment.objects.count() == 2
    assert Evidence.objects.count() == 2


def test_revise_with_bad_dates_stores_nothing(world, _media_root):
    (first,) = attach(world)
    with pytest.raises(ValidationError):
        evidence_revise(
            actor=world.staff_a,
            attachment=first,
            file=upload(files.PNG),
            effective_on=TODAY(),
            expires_on=TODAY() - DAY,
        )
    first.refresh_from_db()
    assert first.replaced_at is None
    assert Evidence.objects.count() == 1
    assert not AuditEvent.objects.filter(action="evidence.revise").exists()


def test_revise_is_refused_to_other_institutions(world):
    (first,) = attach(world)
    with pytest.raises(PermissionDenied):
        evidence_revise(actor=world.staff_b, attachment=first, file=upload(files.PNG))
    assert EvidenceAttachment.objects.count() == 1


def test_detach_takes_the_history_along_and_refuses_a_superseded_revision(world):
    (first,) = attach(world)
    second = evidence_revise(actor=world.staff_a, attachment=first, file=upload(files.PNG))
    with pytest.raises(NotEditable):
        evidence_detach(actor=world.staff_a, attachment=first)
    evidence_detach(actor=world.staff_a, attachment=second)
    assert not EvidenceAttachment.objects.exists()
    assert AuditEvent.objects.get(action="evidence.detach").before["revisions"] == 2


def test_a_file_may_come_back_as_a_later_revision(world):
    (first,) = attach(world)
    second = evidence_revise(actor=world.staff_a, attachment=first, file=upload(files.PNG))
    third = evidence_revise(actor=world.staff_a, attachment=second, file=upload(files.PDF))
    assert third.evidence_id == first.evidence_id
    assert third.revision == 3


# --- reuse --------------------------------------------------------------------------


@pytest.fixture
def next_cycle_assessment(world):
    cycle = make_cycle(
        province=world.province, editions={"thc": make_edition(code="THC-N")}, year=2027
    )
    return assessment_open(
        actor=world.staff_a, cycle=cycle, institution=world.institution_a, target_level="basic"
    )


def test_reuse_attaches_an_earlier_file_in_another_cycle_without_uploading(
    world, next_cycle_assessment, _media_root
):
    (source,) = attach(world, effective_on=dt.date(2026, 2, 1), expires_on=dt.date(2029, 1, 31))
    created = evidence_reuse(
        actor=world.staff_a,
        assessment=next_cycle_assessment,
        item_codes=["1.1.1", "2.1.1"],
        source=source,
    )
    assert [(a.assessment, a.item_code) for a in created] == [
        (next_cycle_assessment, "1.1.1"),
        (next_cycle_assessment, "2.1.1"),
    ]
    assert {(a.evidence_id, a.name, a.effective_on, a.expires_on) for a in created} == {
        (source.evidence_id, "许可证.pdf", dt.date(2026, 2, 1), dt.date(2029, 1, 31))
    }
    assert Evidence.objects.count() == 1
    event = AuditEvent.objects.get(action="evidence.reuse")
    assert event.assessment_id == next_cycle_assessment.pk
    assert event.after["items"] == ["1.1.1", "2.1.1"]
    assert event.after["source"] == {"attachment": source.pk, "assessment": world.assessment_a.pk}


def test_reuse_on_the_same_assessment_skips_items_that_have_the_file(world):
    (source,) = attach(world)
    created = evidence_reuse(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1", "2.1.1"],
        source=source,
    )
    assert [a.item_code for a in created] == ["2.1.1"]


def test_reuse_of_another_institutions_file_is_refused_as_unknown(world):
    (source,) = evidence_upload(
        actor=world.staff_b,
        assessment=world.assessment_b,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "b.pdf"),
    )
    with pytest.raises(ValidationError) as excinfo:
        evidence_reuse(
            actor=world.staff_a,
            assessment=world.assessment_a,
            item_codes=["1.1.1"],
            source=source,
        )
    assert excinfo.value.message_dict == {"source": ["No such file."]}
    assert EvidenceAttachment.objects.filter(assessment=world.assessment_a).count() == 0
    assert not AuditEvent.objects.filter(action="evidence.reuse").exists()


def test_reuse_into_another_institutions_assessment_is_refused(world):
    (source,) = attach(world)
    with pytest.raises(PermissionDenied):
        evidence_reuse(
            actor=world.staff_a,
            assessment=world.assessment_b,
            item_codes=["1.1.1"],
            source=source,
        )
    assert EvidenceAttachment.objects.filter(assessment=world.assessment_b).count() == 0


def test_reusable_files_list_each_file_of_the_institution_once(world):
    source, _ = attach(world, codes=["1.1.1", "2.1.1"])
    (png,) = attach(world, content=files.PNG, name="b.png")
    evidence_upload(
        actor=world.staff_b,
        assessment=world.assessment_b,
        item_codes=["1.1.1"],
        file=upload(files.JPG, "c.jpg"),
    )
    reusable = institution_reusable_files(institution_id=world.institution_a.pk)
    latest_pdf = EvidenceAttachment.objects.get(evidence=source.evidence, item_code="2.1.1")
    assert [(r.attachment_id, r.name) for r in reusable] == [
        (png.pk, "b.png"),
        (latest_pdf.pk, "许可证.pdf"),
    ]
    assert institution_reusable_files(institution_id=world.institution_a.pk, limit=1)[0].name == (
        "b.png"
    )


# --- expiry -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expires", "state"),
    [(None, ""), (-1, EXPIRED), (0, EXPIRES_SOON), (30, EXPIRES_SOON), (31, "")],
)
def test_expiry_state_counts_the_expiry_day_as_valid(expires, state):
    on = dt.date(2026, 6, 1)
    expires_on = None if expires is None else on + dt.timedelta(days=expires)
    assert expiry_state(expires_on, on=on) == state


def test_expired_attachments_are_the_current_ones_past_their_expiry(world):
    (old,) = attach(world, effective_on=dt.date(2025, 1, 1), expires_on=dt.date(2025, 12, 31))
    (valid,) = attach(world, codes=["2.1.1"], content=files.PNG, expires_on=TODAY())
    assert [a.pk for a in expired_attachments(assessment_id=world.assessment_a.pk)] == [old.pk]
    assert expired_attachments(assessment_id=world.assessment_a.pk, on=dt.date(2025, 6, 1)) == []
    later = TODAY() + DAY
    infos = assessment_attachments(assessment=world.assessment_a)
    assert [(code, i.id) for code, i in expired_among(infos, on=later)] == [
        ("1.1.1", old.pk),
        ("2.1.1", valid.pk),
    ]
    revised = evidence_revise(actor=world.staff_a, attachment=old, file=upload(files.JPG))
    assert expired_attachments(assessment_id=world.assessment_a.pk) == []
    assert revised.expires_on is None


def test_expired_evidence_blocks_submission_with_the_item_file_and_date(world):
    complete(world.assessment_a, world.staff_a)
    attach(
        world,
        codes=["1.1.2"],
        content=files.PDF + b"expired",
        name="x.pdf",
        effective_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2026, 1, 31),
    )
    with pytest.raises(IncompleteError) as excinfo:
        assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    assert problems_of(excinfo) == [("evidence_expired", "1.1.2")]
    assert excinfo.value.problems[0].message == (
        "Evidence «x.pdf» for item 1.1.2 expired on 2026-01-31; upload a current "
        "revision or remove it."
    )
    assert not AssessmentSnapshot.objects.exists()
    assert world.assessment_a.__class__.objects.get(pk=world.assessment_a.pk).status == "draft"


def test_a_superseded_expired_revision_does_not_block_and_is_not_in_the_snapshot(world):
    complete(world.assessment_a, world.staff_a)
    (old,) = attach(
        world,
        codes=["1.1.2"],
        content=files.PNG,
        effective_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2026, 1, 31),
    )
    evidence_revise(
        actor=world.staff_a,
        attachment=old,
        file=upload(files.JPG, "新证.jpg"),
        expires_on=TODAY() + 100 * DAY,
    )
    snapshot = assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    (entry,) = snapshot.data["evidence"]["1.1.2"]
    assert (entry["name"], entry["revision"], entry["effective_on"], entry["expires_on"]) == (
        "新证.jpg",
        2,
        TODAY().isoformat(),
        (TODAY() + 100 * DAY).isoformat(),
    )
