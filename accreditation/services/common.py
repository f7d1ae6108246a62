"""Helpers every assessment service uses: the row lock, the transition check and the
editability check."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accreditation.core.errors import InvalidTransition, NotEditable
from accreditation.models import ALLOWED_TRANSITIONS, Assessment


def check_transition(assessment: Assessment, to_status: str) -> None:
    """Raise ``InvalidTransition`` unless ``ALLOWED_TRANSITIONS`` allows the change."""
    if to_status not in ALLOWED_TRANSITIONS[assessment.status]:
        raise InvalidTransition(
            _("An assessment that is %(current)s cannot become %(target)s.")
            % {"current": assessment.status, "target": to_status},
            details={"from": assessment.status, "to": to_status},
        )


def lock_assessment(assessment: Assessment, *related: str) -> Assessment:
    """The assessment re-read under a row lock (inside a transaction), with ``related``
    objects joined but not locked."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=assessment.pk)
    )


def refuse_unless_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise NotEditable(
            _(
                "The assessment is %(status)s; it can be changed only when it is a draft or "
                "returned for correction."
            )
            % {"status": assessment.status},
            details={"status": assessment.status},
        )
