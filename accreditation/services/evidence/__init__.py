"""Evidence files: upload (checked, hashed, stored once per content), attach to more
items, reuse an earlier file of the institution, revise, correct the dates, detach.

Every attachment takes effect on ``effective_on`` (default: the day it is attached) and
may expire (``expires_on``, on or after the effective date). A revision replaces an
attachment of the same item; the replaced one is kept, marked superseded.

Files go to Django's default storage (local disk now, S3 later) under
``evidence/<2 hex>/<sha256>.<ext>``. A refused upload stores nothing: every check runs
before the first write, and a failure after the write removes the new file.
"""

from accreditation.services.evidence.attachments import (
    MAX_EFFECTIVE_AHEAD,
    Dates,
    check_dates,
    evidence_attach,
    evidence_detach,
    evidence_reuse,
    evidence_upload,
)
from accreditation.services.evidence.files import InspectedFile, inspect_upload, store_inspected
from accreditation.services.evidence.revisions import evidence_dates_set, evidence_revise

__all__ = [
    "MAX_EFFECTIVE_AHEAD",
    "Dates",
    "InspectedFile",
    "check_dates",
    "evidence_attach",
    "evidence_dates_set",
    "evidence_detach",
    "evidence_reuse",
    "evidence_revise",
    "evidence_upload",
    "inspect_upload",
    "store_inspected",
]
