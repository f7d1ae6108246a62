"""Reproducible record sampling (病历抽查) for items reviewed by record sampling.

The institution uploads the list of records an item covers (sheet 病历清单); the list
is frozen as uploaded (a corrected list is a new version, the old one stays with any
draw made from it). An expert on the panel draws ``size`` records from the latest
list with a seed; the draw is a pure function of the list's hash, the seed and the
size (:func:`draw`), so anyone holding the list can recompute it
(:func:`sample_verify`). The expert then marks each drawn record passed or failed;
:func:`sample_summary` is what the item's grade shows.

:func:`draw` (algorithm ``sha256-fisher-yates/1``): start from the record numbers
sorted as stored; for position ``i`` = 0, 1, … ``size``-1 take
``n = int(sha256(f"{list_sha256}:{seed}:{i}"), 16) % (len - i)`` and swap element
``i + n`` into position ``i`` (a partial Fisher–Yates shuffle); the first ``size``
elements, in that order, are the sample.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.conf import setting
from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import ConflictError, NotEditable
from accreditation.core.text import unstorable_text
from accreditation.excel import records as sheet
from accreditation.excel.reading import ImportRefused
from accreditation.models import (
    Assessment,
    ItemGrade,
    RecordList,
    RecordSample,
    SampledRecord,
    User,
)
from accreditation.permissions import Action, require
from accreditation.services.common import lock_assessment
from accreditation.services.experts import own_review
from standards.models import ReviewMethod

ALGORITHM = "sha256-fisher-yates/1"
MAX_SEED_CHARS = 64
MAX_NOTE_CHARS = 2000
Status = Assessment.Status
#: While the institution may still (re)upload a list: before the panel's verdict.
_LIST_STATUSES = frozenset(
    {Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.COUNTY_REVIEW, Status.EXPERT_REVIEW}
)


def list_hash(records: list[dict[str, str]]) -> str:
    """SHA-256 of the list's canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(records, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def draw(record_ids: list[str], size: int, *, seed: str, list_sha256: str) -> list[str]:
    """The sample of ``size`` record numbers (see the module docstring), in the order
    drawn. Pure; ``record_ids`` must be in stored (sorted) order."""
    if not 0 < size <= len(record_ids):
        raise ValueError(f"size {size} outside 1..{len(record_ids)}")
    pool = list(record_ids)
    for i in range(size):
        digest = hashlib.sha256(f"{list_sha256}:{seed}:{i}".encode()).hexdigest()
        j = i + int(digest, 16) % (len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:size]


def _sampled_item(assessment: Assessment, item_code: str) -> ItemGrade:
    row = (
        ItemGrade.objects.select_related("item")
        .filter(assessment=assessment, item_code=item_code)
        .first()
    )
    if row is None:
        raise ValidationError({"item_code": _("No such item in this assessment.")})
    if ReviewMethod.RECORD_SAMPLING not in (row.item.review_methods or []):
        raise ValidationError(
            {
                "item_code": _("Item %(item)s is not reviewed by record sampling.")
                % {"item": item_code}
            }
        )
    return row


def record_list_upload(
    *, actor: User, assessment: Assessment, item_code: str, file: File
) -> RecordList:
    """Freeze the list of records of a record-sampling item (the institution's staff,
    until the panel's grading is over): a new version each time, nothing changed in
    earlier ones. Raises, writing nothing: ``PermissionDenied``; ``NotEditable`` after
    the expert review; ``ValidationError`` for an item that is unknown or not sampled;
    ``ImportRefused`` listing every bad row and column (missing number, bad date, a
    number repeated, too long, more than ``IMPORT_MAX_ROWS``)."""
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    parsed = sheet.parse(
        file,
        max_rows=int(setting("IMPORT_MAX_ROWS")),
        max_bytes=int(setting("IMPORT_MAX_BYTES")),
    )
    if parsed.table.errors:
        raise ImportRefused(parsed.table.errors)
    if not parsed.rows:
        raise ValidationError({"file": _("The list has no records.")})
    records = sorted((row.as_dict() for row in parsed.rows), key=lambda r: r["id"])
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.ASSESSMENT_EDIT, locked)
        if locked.status not in _LIST_STATUSES:
            raise NotEditable(_("The panel's grading is over; the list can no longer change."))
        _sampled_item(locked, item_code)
        last = RecordList.objects.filter(assessment=locked, item_code=item_code).aggregate(
            v=Max("version")
        )["v"]
        frozen = RecordList.objects.create(
            assessment=locked,
            item_code=item_code,
            version=(last or 0) + 1,
            records=records,
            sha256=list_hash(records),
            uploaded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.RECORD_LIST_FREEZE,
            target=locked,
            after={
                "item": item_code,
                "version": frozen.version,
                "records": len(records),
                "sha256": frozen.sha256,
            },
            note=item_code,
        )
    return frozen


def record_sample_draw(
    *, actor: User, assessment: Assessment, item_code: str, size: int, seed: str = ""
) -> RecordSample:
    """Draw the actor's sample from the item's latest record list (a panel expert while
    grading; one draw per expert and list). ``seed`` empty: a random one, stored.
    Raises, writing nothing: ``PermissionDenied``; ``WrongStep`` / ``NotEditable`` as
    for grading; ``ValidationError`` for an item not sampled, no list yet, a size
    outside 1..the list's length, a bad seed; ``ConflictError`` when already drawn."""
    require(actor, Action.EXPERT_GRADE, assessment)
    errors: dict[str, str] = unstorable_text(seed=seed)
    seed = (seed or "").strip() or str(secrets.randbelow(10**12))
    if len(seed) > MAX_SEED_CHARS:
        errors["seed"] = _("At most %(limit)d characters (this has %(length)d).") % {
            "limit": MAX_SEED_CHARS,
            "length": len(seed),
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.EXPERT_GRADE, locked)
        review = own_review(locked, actor)
        if review.is_submitted:
            raise NotEditable(_("You have submitted your review."))
        _sampled_item(locked, item_code)
        frozen = (
            RecordList.objects.filter(assessment=locked, item_code=item_code)
            .order_by("-version")
            .first()
        )
        if frozen is None:
            raise ValidationError(
                {"item_code": _("The institution has not uploaded the record list yet.")}
            )
        total = len(frozen.records)
        if not 0 < size <= total:
            raise ValidationError(
                {
                    "size": _("Draw between 1 and %(total)d records (the list has %(total)d).")
                    % {"total": total}
                }
            )
        existing = RecordSample.objects.filter(record_list=frozen, drawn_by=actor).first()
        if existing is not None:
            raise ConflictError(
                _("You have already drawn a sample from this list."),
                current={"sample": existing.pk, "seed": existing.seed, "size": existing.size},
            )
        drawn = draw([r["id"] for r in frozen.records], size, seed=seed, list_sha256=frozen.sha256)
        # One draw per expert and list: the assessment lock serialises the check above.
        sample = RecordSample.objects.create(
            record_list=frozen,
            assessment=locked,
            item_code=item_code,
            drawn_by=actor,
            size=size,
            seed=seed,
            algorithm=ALGORITHM,
            drawn=drawn,
        )
        SampledRecord.objects.bulk_create(
            SampledRecord(sample=sample, position=i, record_id=rid) for i, rid in enumerate(drawn)
        )
        audit_record(
            actor=actor,
            action=AuditAction.RECORD_SAMPLE_DRAW,
            target=review,
            assessment=locked,
            after={
                "item": item_code,
                "list": frozen.pk,
                "list_sha256": frozen.sha256,
                "size": size,
                "seed": seed,
                "algorithm": ALGORITHM,
                "drawn": drawn,
            },
            note=item_code,
        )
    return sample


def sampled_record_set(
    *, actor: User, sample: RecordSample, record_id: str, outcome: str, note: str = ""
) -> SampledRecord:
    """Record what the expert found in one drawn record (the expert who drew, while
    grading). Raises ``PermissionDenied`` for anyone else; ``WrongStep`` /
    ``NotEditable`` as for grading; ``ValidationError`` for a record not drawn, an
    outcome other than pass/fail, a note too long."""
    errors: dict[str, str] = unstorable_text(note=note)
    note = (note or "").strip()
    if outcome not in (SampledRecord.Outcome.PASS, SampledRecord.Outcome.FAIL):
        errors["outcome"] = _("Choose pass or fail.")
    if len(note) > MAX_NOTE_CHARS:
        errors["note"] = _("The note is too long.")
    if errors:
        raise ValidationError(errors)
    require(actor, Action.EXPERT_GRADE, sample.assessment)
    with transaction.atomic():
        locked = lock_assessment(sample.assessment)
        require(actor, Action.EXPERT_GRADE, locked)
        review = own_review(locked, actor)
        if sample.drawn_by_id != actor.pk:
            raise PermissionDenied(_("Only the expert who drew the sample records its results."))
        if review.is_submitted:
            raise NotEditable(_("You have submitted your review."))
        row = sample.results.filter(record_id=record_id).first()
        if row is None:
            raise ValidationError({"record_id": _("This record is not in the sample.")})
        before = {"outcome": row.outcome, "note": row.note}
        row.outcome, row.note, row.updated_at = outcome, note, timezone.now()
        row.save(update_fields=["outcome", "note", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.SAMPLED_RECORD_SET,
            target=review,
            assessment=locked,
            before=before,
            after={"outcome": outcome, "note": note},
            note=f"{sample.item_code} {record_id}",
        )
    return row


@dataclass(frozen=True, slots=True)
class SampleSummary:
    size: int
    passed: int
    failed: int

    @property
    def checked(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float | None:
        """Share passed among the records checked; None before any."""
        return self.passed / self.checked if self.checked else None


def sample_summary(outcomes: list[str]) -> SampleSummary:
    return SampleSummary(
        size=len(outcomes),
        passed=outcomes.count(SampledRecord.Outcome.PASS),
        failed=outcomes.count(SampledRecord.Outcome.FAIL),
    )


def sample_summary_of(sample: RecordSample) -> SampleSummary:
    """The summary of a sample whose results are loaded (prefetched)."""
    return sample_summary([r.outcome for r in sample.results.all()])


def sample_verify(sample: RecordSample) -> bool:
    """Whether the stored draw is what the algorithm gives for the stored list, seed
    and size (and the list is the one hashed)."""
    frozen = sample.record_list
    if list_hash(frozen.records) != frozen.sha256 or sample.algorithm != ALGORITHM:
        return False
    ids = [r["id"] for r in frozen.records]
    return draw(ids, sample.size, seed=sample.seed, list_sha256=frozen.sha256) == sample.drawn
