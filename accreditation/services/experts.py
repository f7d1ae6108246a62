"""Each panel expert's independent grading: grade items with findings, on-site notes
and the evidence checked, then submit the review (the process joins the panel's
reviews once all are in)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.conf import setting
from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import (
    ConflictError,
    IncompleteError,
    NotEditable,
    Problem,
    WrongStep,
)
from accreditation.core.files import JPG, PNG
from accreditation.core.text import unstorable_text
from accreditation.models import (
    Assessment,
    EvidenceAttachment,
    ExpertAssignment,
    ExpertItemGrade,
    ExpertPhoto,
    ExpertReview,
    ItemGrade,
    ReviewRound,
    ReviewStage,
    User,
)
from accreditation.permissions import Action, require
from accreditation.services.common import lock_assessment
from accreditation.services.evidence import inspect_upload, store_inspected
from workflows import driver
from workflows.steps import Step

Status = Assessment.Status
Value = ExpertItemGrade.Value
MAX_TEXT_CHARS = 4000


def own_review(assessment: Assessment, actor: User) -> ExpertReview:
    """The actor's review of the open expert round, created with one ungraded row per
    item on first use. Refuses when the actor's grading step is not open."""
    round_ = ReviewRound.objects.filter(
        assessment=assessment, stage=ReviewStage.EXPERT, outcome=ReviewRound.Outcome.OPEN
    ).first()
    step_open = driver.open_tasks(assessment=assessment, names=(Step.EXPERT_REVIEW,)).filter(
        owner=actor
    )
    if assessment.status != Status.EXPERT_REVIEW or round_ is None or not step_open.exists():
        raise WrongStep(
            _("Your grading of this assessment is not open."),
            details={"open": driver.open_step_names(assessment=assessment)},
        )
    assignment = ExpertAssignment.objects.get(assessment=assessment, expert=actor)
    review, created = ExpertReview.objects.get_or_create(
        assignment=assignment,
        round=round_,
        defaults={"assessment": assessment, "expert": actor},
    )
    if created:
        codes = ItemGrade.objects.filter(assessment=assessment).order_by("item__position")
        ExpertItemGrade.objects.bulk_create(
            ExpertItemGrade(review=review, item_code=code)
            for code in codes.values_list("item_code", flat=True)
        )
    return review


def _clean(grade: str, finding: str, onsite_note: str) -> tuple[str, str, str]:
    errors: dict[str, str] = unstorable_text(finding=finding, onsite_note=onsite_note)
    if grade not in Value.values or grade == Value.UNGRADED:
        errors["grade"] = _("Choose none, C, B, A or not applicable.")
    finding, onsite_note = (finding or "").strip(), (onsite_note or "").strip()
    if len(finding) > MAX_TEXT_CHARS:
        errors["finding"] = _("The finding is too long.")
    if len(onsite_note) > MAX_TEXT_CHARS:
        errors["onsite_note"] = _("The note is too long.")
    if errors:
        raise ValidationError(errors)
    return grade, finding, onsite_note


def _values(row: ExpertItemGrade) -> dict:
    return {
        "grade": row.grade,
        "finding": row.finding,
        "onsite_note": row.onsite_note,
        "evidence_checked": list(row.evidence_checked),
    }


def expert_grade_save(
    *,
    actor: User,
    assessment: Assessment,
    item_code: str,
    grade: str,
    finding: str = "",
    onsite_note: str = "",
    evidence_checked: Sequence[int] = (),
    expected_version: int | None = None,
) -> ExpertItemGrade:
    """Save the actor's own grade for one item with the finding, the on-site note and
    the evidence attachments checked. With ``expected_version`` the save is refused
    with ``ConflictError`` when the row changed meanwhile (another tab).

    Raises ``PermissionDenied`` unless ``actor`` is on the panel; ``WrongStep`` when
    their grading step is not open; ``NotEditable`` after they submitted;
    ``ValidationError`` for an unknown item, an invalid grade or evidence that is not
    attached to this assessment."""
    grade, finding, onsite_note = _clean(grade, finding, onsite_note)
    checked = sorted({int(pk) for pk in evidence_checked})
    require(actor, Action.EXPERT_GRADE, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.EXPERT_GRADE, locked)
        review = own_review(locked, actor)
        if review.is_submitted:
            raise NotEditable(_("You have submitted your review."))
        row = review.grades.filter(item_code=item_code).first()
        if row is None:
            raise ValidationError({"item_code": _("No such item in this assessment.")})
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                _("This grade changed meanwhile; review the current values."),
                current={**_values(row), "version": row.version},
            )
        known = set(
            EvidenceAttachment.objects.filter(assessment=locked, pk__in=checked).values_list(
                "pk", flat=True
            )
        )
        if known != set(checked):
            raise ValidationError(
                {"evidence_checked": _("Evidence not attached to this assessment.")}
            )
        before = _values(row)
        ExpertItemGrade.objects.filter(pk=row.pk).update(
            grade=grade,
            finding=finding,
            onsite_note=onsite_note,
            evidence_checked=checked,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        row.refresh_from_db()
        audit_record(
            actor=actor,
            action=AuditAction.EXPERT_GRADE_SAVE,
            target=review,
            assessment=locked,
            before=before,
            after=_values(row),
            note=item_code,
        )
    return row


def expert_review_submit(*, actor: User, assessment: Assessment) -> ExpertReview:
    """Submit the actor's review once every item has a grade; it can no longer change,
    and the actor may now see the other experts' grades. Completes the actor's own
    grading step; the last expert to submit sets off the consolidation.

    Raises ``PermissionDenied`` unless ``actor`` is on the panel; ``WrongStep`` when
    their step is not open (e.g. already submitted); ``IncompleteError`` listing every
    ungraded item."""
    require(actor, Action.EXPERT_GRADE, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.EXPERT_GRADE, locked)
        review = own_review(locked, actor)
        missing = list(
            review.grades.filter(grade=Value.UNGRADED)
            .order_by("id")
            .values_list("item_code", flat=True)
        )
        if missing:
            raise IncompleteError(
                _("%(count)d items have no grade.") % {"count": len(missing)},
                problems=[
                    Problem("ungraded", _("Item %(item)s has no grade.") % {"item": c}, c)
                    for c in missing
                ],
            )
        review.submitted_at = timezone.now()
        review.save(update_fields=["submitted_at"])
        audit_record(
            actor=actor,
            action=AuditAction.EXPERT_REVIEW_SUBMIT,
            target=review,
            assessment=locked,
            after={"round": review.round_id, "items": review.grades.count()},
        )
        driver.task_complete(
            assessment=locked,
            actor=actor,
            names=(Step.EXPERT_REVIEW,),
            data={"review": review.pk},
            own_task_only=True,
        )
    return review


#: Photo types an expert may upload: what phone cameras and browsers produce and every
#: browser shows (HEIC is converted to JPEG by the browsers' file pickers).
PHOTO_TYPES = frozenset({JPG, PNG})
MAX_CAPTION_CHARS = 200


def expert_photo_add(
    *, actor: User, assessment: Assessment, item_code: str, file: File, caption: str = ""
) -> tuple[ExpertPhoto, bool]:
    """Store a photo taken on site as evidence of the actor's finding on one item and
    link it to their grade of the item (their grading must be open, their review not
    submitted). The type comes from the content (JPEG or PNG only), the size limit is
    ``ACCREDITATION["PHOTO_MAX_BYTES"]``, the content is hashed and stored once; the same
    photo sent again for the same grade (a retried offline upload) is not added twice.
    Returns the photo and whether it is new.

    Raises, storing nothing: ``PermissionDenied`` unless ``actor`` is on the panel;
    ``EvidenceRejected`` (reason ``empty``, ``too_large``, ``unsupported_type``);
    ``ValidationError`` for a caption too long; ``WrongStep`` when their grading is not
    open; ``NotEditable`` after they submitted; ``ValidationError`` for an unknown item."""
    require(actor, Action.EXPERT_GRADE, assessment)
    errors: dict[str, str] = unstorable_text(caption=caption)
    caption = (caption or "").strip()
    if len(caption) > MAX_CAPTION_CHARS:
        errors["caption"] = _("At most %(limit)d characters (this has %(length)d).") % {
            "limit": MAX_CAPTION_CHARS,
            "length": len(caption),
        }
    if errors:
        raise ValidationError(errors)
    inspected = inspect_upload(
        file,
        max_bytes=int(setting("PHOTO_MAX_BYTES")),
        accepted=PHOTO_TYPES,
        accepted_text=_("Only JPEG and PNG photos are accepted; this file is neither."),
    )
    written = None
    try:
        with transaction.atomic():
            locked = lock_assessment(assessment)
            require(actor, Action.EXPERT_GRADE, locked)
            review = own_review(locked, actor)
            if review.is_submitted:
                raise NotEditable(_("You have submitted your review."))
            row = review.grades.filter(item_code=item_code).first()
            if row is None:
                raise ValidationError({"item_code": _("No such item in this assessment.")})
            evidence, written = store_inspected(inspected, file)
            existing = ExpertPhoto.objects.filter(grade=row, evidence=evidence).first()
            if existing is not None:
                return existing, False
            photo = ExpertPhoto.objects.create(
                grade=row, assessment=locked, evidence=evidence, caption=caption, taken_by=actor
            )
            audit_record(
                actor=actor,
                action=AuditAction.EXPERT_PHOTO_ADD,
                target=review,
                assessment=locked,
                after={
                    "item": item_code,
                    "sha256": evidence.sha256,
                    "size": evidence.size,
                    "type": evidence.file_type,
                    "caption": caption,
                },
                note=item_code,
            )
            return photo, True
    except BaseException:
        if written:
            default_storage.delete(written)
        raise
