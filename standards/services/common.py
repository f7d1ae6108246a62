"""Pieces shared by the edition and rule-set services."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import audit_record
from accreditation.models import User
from standards.models import PUBLICATION_TRANSITIONS, Edition, PublicationStatus, RuleSet

STATUS_RANK: dict[str, int] = {s: i for i, s in enumerate(PublicationStatus.values)}

CREATED = "created"
REPLACED = "replaced"
UPDATED = "updated"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ImportResult:
    """What an import did. ``outcome`` is created, replaced, updated or unchanged;
    ``summary`` is one human-readable line."""

    outcome: str
    summary: str
    created: int = 0
    changed: int = 0


def prefixed(source: str, message: str) -> str:
    return f"{source}: {message}" if source else message


def transition_check(*, label: str, current: str, target: str) -> None:
    """Refuse a status change that :data:`PUBLICATION_TRANSITIONS` does not allow."""
    if target not in PUBLICATION_TRANSITIONS[current]:
        allowed = ", ".join(sorted(PUBLICATION_TRANSITIONS[current])) or "none"
        raise ValidationError(
            _(
                "%(label)s is %(current)s; it cannot become %(target)s "
                "(allowed from %(current)s: %(allowed)s)."
            )
            % {"label": label, "current": current, "target": target, "allowed": allowed}
        )


def file_status_target(*, label: str, current: str, wanted: str) -> str | None:
    """The status an import should move to, or ``None`` to leave it.

    A file may move an object forward along :data:`PUBLICATION_TRANSITIONS` (draft to
    published); when the database is already further on (retired while the file still
    says published) the database wins and nothing happens. Skipping a step is refused.
    """
    if wanted == current or STATUS_RANK[wanted] < STATUS_RANK[current]:
        return None
    transition_check(label=label, current=current, target=wanted)
    return wanted


def publication_status_set(
    *, actor: User | None, obj: Edition | RuleSet, target: str, note: str = ""
) -> None:
    """Write an already checked status change of an edition or rule set, stamping
    ``published_at`` on publication, and audit it as ``<model>.publish|retire``."""
    before = obj.status
    obj.status = target
    fields = ["status", "updated_at"]
    if target == PublicationStatus.PUBLISHED:
        obj.published_at = timezone.now()
        fields.append("published_at")
    obj.save(update_fields=fields)
    verb = "publish" if target == PublicationStatus.PUBLISHED else "retire"
    audit_record(
        actor=actor,
        action=f"{obj._meta.model_name}.{verb}",
        target=obj,
        before={"status": before},
        after={"status": target},
        note=note,
    )
