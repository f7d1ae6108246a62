"""Querysets of what a user may see: the scope rule (``accreditation.scope``) that
``permissions`` checks, as filters.

Each returns an empty queryset for anonymous or inactive users and users without a
role (deny by default). Use them for every list and for fetching one object by id, so
an object outside the user's scope looks the same as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accreditation.models import (
    Assessment,
    AuditEvent,
    CertificateRecord,
    ConsistencyCheck,
    Cycle,
    EvidenceAttachment,
    Institution,
    LookBack,
    Objection,
    PublicNotice,
    Recognition,
    Reduction,
    Region,
    User,
)
from accreditation.scope import user_scope
from standards.models import Edition, PublicationStatus, RuleSet

Role = User.Role


def _active(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role
    )


def _filtered(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs.none() if q is None else qs.filter(q)


def institutions_visible_to(user: Any) -> QuerySet[Institution]:
    """Institutions in ``user``'s scope (``Action.INSTITUTION_VIEW``); experts see the
    institutions of the assessments they are assigned to."""
    return _filtered(Institution.objects.all(), user_scope(user).institution_q())


def assessment_scope(user: Any, *, via: str = "") -> Q | None:
    """The scope of ``assessments_visible_to`` as a filter on the assessment reached
    through ``via`` (``"assessment__"`` from a row inside it), so a service can read that
    row and its assessment in one query: ``Q()`` for every assessment, None for none."""
    return user_scope(user).assessment_q(via)


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    """Assessments ``user`` may read (``Action.ASSESSMENT_VIEW``); experts see exactly
    those they are assigned to."""
    return _filtered(Assessment.objects.all(), user_scope(user).assessment_q())


def assessment_get_for_user(*, user: Any, assessment_id: int) -> Assessment:
    """The assessment if ``user`` may see it. Raises ``Assessment.DoesNotExist`` both
    when it does not exist and when it is out of scope, so ids leak nothing."""
    return (
        assessments_visible_to(user)
        .select_related("cycle", "institution__region", "edition")
        .get(pk=assessment_id)
    )


def attachments_visible_to(user: Any) -> QuerySet[EvidenceAttachment]:
    """Evidence attachments on assessments ``user`` may see."""
    return EvidenceAttachment.objects.filter(
        assessment__in=assessments_visible_to(user).values("pk")
    )


def attachment_get_for_user(*, user: Any, attachment_id: int) -> EvidenceAttachment:
    """One attachment (with its evidence file) if ``user`` may see its assessment; for
    downloads. Raises ``EvidenceAttachment.DoesNotExist`` otherwise."""
    return attachments_visible_to(user).select_related("evidence").get(pk=attachment_id)


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """Audit rows of assessments ``user`` may see, plus, for administrators, everything."""
    if _active(user) and user.role == Role.ADMINISTRATOR:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(assessment__in=assessments_visible_to(user).values("pk"))


def regions_visible_to(user: Any) -> QuerySet[Region]:
    """Administrative divisions are public to every user with a role."""
    qs = Region.objects.all()
    return qs if _active(user) else qs.none()


def cycles_visible_to(user: Any) -> QuerySet[Cycle]:
    """Cycles (the yearly campaigns and their standards) are public to every user with
    a role: institutions need them to open an assessment."""
    qs = Cycle.objects.all()
    return qs if _active(user) else qs.none()


def users_visible_to(user: Any) -> QuerySet[User]:
    """Administrators see every user; everyone else sees only themselves."""
    qs = User.objects.all()
    if not _active(user):
        return qs.none()
    if user.role == Role.ADMINISTRATOR:
        return qs
    return qs.filter(pk=user.pk)


def editions_visible_to(user: Any) -> QuerySet[Edition]:
    """Published and retired editions for every user with a role; drafts too for
    administrators (``Action.CATALOGUE_VIEW``)."""
    qs = Edition.objects.all()
    if not _active(user):
        return qs.none()
    if user.role == Role.ADMINISTRATOR:
        return qs
    return qs.exclude(status=PublicationStatus.DRAFT)


def rule_sets_visible_to(user: Any) -> QuerySet[RuleSet]:
    """As :func:`editions_visible_to`: drafts only for administrators."""
    qs = RuleSet.objects.all()
    if not _active(user):
        return qs.none()
    if user.role == Role.ADMINISTRATOR:
        return qs
    return qs.exclude(status=PublicationStatus.DRAFT).exclude(
        edition__status=PublicationStatus.DRAFT
    )


def experts_visible_to(user: Any) -> QuerySet[User]:
    """Expert reviewers: officers (who assign panels) and administrators see every
    active expert; an expert sees themselves; nobody else sees any."""
    qs = User.objects.filter(role=Role.EXPERT, is_active=True)
    if not _active(user):
        return qs.none()
    if user.role in (Role.OFFICER, Role.ADMINISTRATOR):
        return qs
    if user.role == Role.EXPERT:
        return qs.filter(pk=user.pk)
    return qs.none()


def notices_visible_to(user: Any) -> QuerySet[PublicNotice]:
    """Public notices (公示) are published lists: every user with a role sees them."""
    qs = PublicNotice.objects.all()
    return qs if _active(user) else qs.none()


def in_officer_region(user: Any, qs: QuerySet, path_field: str) -> QuerySet:
    """``qs`` narrowed to what lies in an officer's region (everything when national;
    ``path_field`` is the region path to compare); all of it for administrators;
    nothing for anyone else."""
    if not _active(user) or user.role not in (Role.ADMINISTRATOR, Role.OFFICER):
        return qs.none()
    return _filtered(qs, user_scope(user).path_q(path_field))


def objections_visible_to(user: Any) -> QuerySet[Objection]:
    """Objections name their objectors: only officers covering the issuing region
    (``Action.NOTICE_MANAGE``) and administrators see them."""
    return in_officer_region(user, Objection.objects.all(), "notice__region__path")


def recognitions_visible_to(user: Any) -> QuerySet[Recognition]:
    """Recognitions of the institutions ``user`` may see."""
    return Recognition.objects.filter(institution__in=institutions_visible_to(user).values("pk"))


def certificates_visible_to(user: Any) -> QuerySet[CertificateRecord]:
    """Certificate records of the recognitions ``user`` may see."""
    return CertificateRecord.objects.filter(
        recognition__in=recognitions_visible_to(user).values("pk")
    )


def lookbacks_visible_to(user: Any) -> QuerySet[LookBack]:
    """Look-backs (回头看) of the recognitions ``user`` may see."""
    return LookBack.objects.filter(recognition__in=recognitions_visible_to(user).values("pk"))


def checks_visible_to(user: Any) -> QuerySet[ConsistencyCheck]:
    """Consistency checks of regions in an officer's region; administrators see all."""
    return in_officer_region(user, ConsistencyCheck.objects.all(), "region__path")


def reductions_visible_to(user: Any) -> QuerySet[Reduction]:
    """Reductions (核减) of regions in an officer's region; administrators see all."""
    return in_officer_region(user, Reduction.objects.all(), "region__path")
