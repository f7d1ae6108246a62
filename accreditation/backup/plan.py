"""What a cycle's archive holds, table by table, in restore order.

Two kinds of table:

* **reference** tables hold what a cycle uses but does not own (regions, institutions,
  users, the catalogue editions and rule sets, stored evidence): each row is found in
  the target database by its natural key and reused, or created when missing;
* **owned** tables hold the cycle itself (its configuration, assessments, reviews,
  decisions, notices, recognitions, the review processes and the audit log): their rows
  keep their primary keys, and a restore refuses to overwrite any.

Owned rows are chosen by a filter on the cycle; reference rows are those the owned rows
(and other reference rows) point to, plus the extras a cycle needs (every item of its
editions, the facts of its institutions, the profiles of its experts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet

REFERENCE = "reference"
OWNED = "owned"


@dataclass(frozen=True)
class Table:
    """One table of the archive: ``label`` is the model's ``app_label.ModelName``
    (auto-created many-to-many tables included); ``key`` the natural key of a
    reference table (field names; foreign keys compare by the target's mapped key);
    ``select`` the owned rows of a cycle."""

    label: str
    role: str
    key: tuple[str, ...] = ()
    select: Callable[[int], Q] | None = None
    #: Reference rows to include whatever points to them: a filter on the cycle.
    extra: Callable[[int], Q] | None = None
    #: Columns compared with an existing row instead of the key (e.g. a counter).
    merge_max: tuple[str, ...] = field(default_factory=tuple)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def fields(self) -> list[models.Field]:
        """The columns stored for this table: the model's own, not its parents'."""
        return list(self.model._meta.local_concrete_fields)


def _c(path: str) -> Callable[[int], Q]:
    return lambda cycle_id: Q(**{path: cycle_id})


def _editions(path: str) -> Callable[[int], Q]:
    """Rows of the editions the cycle uses (its standards, its assessments')."""

    def extra(cycle_id: int) -> Q:
        standard = apps.get_model("accreditation.CycleStandard")
        assessment = apps.get_model("accreditation.Assessment")
        return Q(
            **{f"{path}__in": standard.objects.filter(cycle_id=cycle_id).values("edition_id")}
        ) | Q(**{f"{path}__in": assessment.objects.filter(cycle_id=cycle_id).values("edition_id")})

    return extra


def _cycle_years(cycle_id: int) -> QuerySet:
    return apps.get_model("accreditation.Cycle").objects.filter(pk=cycle_id).values("year")


def _codes(cycle_id: int) -> list[str]:
    cycle = (
        apps.get_model("accreditation.Cycle").objects.select_related("province").get(pk=cycle_id)
    )
    return [cycle.province.code[:2]]


_ASSESSMENT = "assessment__cycle_id"
_PROCESS = "process__assessmentprocess__assessment__cycle_id"

TABLES: tuple[Table, ...] = (
    # Reference data, found by natural key; in an order where a key's foreign keys are
    # mapped before it is looked up.
    Table("contenttypes.ContentType", REFERENCE, ("app_label", "model")),
    Table("accreditation.Region", REFERENCE, ("code",)),
    Table("accreditation.Institution", REFERENCE, ("licence_number",)),
    Table(
        "accreditation.InstitutionFacts",
        REFERENCE,
        ("institution", "effective_from"),
        extra=lambda cycle_id: Q(institution__assessments__cycle_id=cycle_id),
    ),
    Table("accreditation.User", REFERENCE, ("username",)),
    Table(
        "accreditation.ExpertProfile",
        REFERENCE,
        ("user",),
        extra=lambda cycle_id: Q(user__expert_assignments__assessment__cycle_id=cycle_id),
    ),
    Table(
        "accreditation.ExpertProfile_declared_conflicts",
        REFERENCE,
        ("expertprofile", "institution"),
        extra=lambda cycle_id: Q(
            expertprofile__user__expert_assignments__assessment__cycle_id=cycle_id
        ),
    ),
    Table(
        "accreditation.ConflictPolicy",
        REFERENCE,
        ("province",),
        extra=lambda cycle_id: Q(province__cycles__id=cycle_id),
    ),
    Table("standards.Edition", REFERENCE, ("code",)),
    Table(
        "standards.Chapter",
        REFERENCE,
        ("edition", "code"),
        extra=_editions("edition_id"),
    ),
    Table(
        "standards.Section",
        REFERENCE,
        ("chapter", "code"),
        extra=_editions("chapter__edition_id"),
    ),
    Table(
        "standards.Item",
        REFERENCE,
        ("edition", "code"),
        extra=_editions("edition_id"),
    ),
    Table(
        "standards.Criterion",
        REFERENCE,
        ("item", "grade"),
        extra=_editions("item__edition_id"),
    ),
    Table("standards.RuleSet", REFERENCE, ("edition", "level", "province_code", "version")),
    Table("accreditation.Evidence", REFERENCE, ("sha256",)),
    Table(
        "accreditation.CertificateSequence",
        REFERENCE,
        ("province_code", "year", "level"),
        extra=lambda cycle_id: Q(
            year__in=_cycle_years(cycle_id), province_code__in=_codes(cycle_id)
        ),
        merge_max=("last_value",),
    ),
    # The cycle: rows keep their ids.
    Table("accreditation.Cycle", OWNED, select=_c("id")),
    Table("accreditation.CycleStandard", OWNED, select=_c("cycle_id")),
    Table("accreditation.CycleDeadline", OWNED, select=_c("cycle_id")),
    Table("accreditation.Assessment", OWNED, select=_c("cycle_id")),
    Table("accreditation.ItemGrade", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.AssessmentSnapshot", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.EvidenceAttachment", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.ReviewRound", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.AssessmentReturn", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.CountyReview", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.ExpertAssignment", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.ExpertReview", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.ExpertItemGrade", OWNED, select=_c("review__assessment__cycle_id")),
    Table("accreditation.ExpertPhoto", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.RecordList", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.RecordSample", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.SampledRecord", OWNED, select=_c("sample__assessment__cycle_id")),
    Table("accreditation.Consolidation", OWNED, select=_c(_ASSESSMENT)),
    Table(
        "accreditation.ConsolidatedGrade",
        OWNED,
        select=_c("consolidation__assessment__cycle_id"),
    ),
    Table("accreditation.AssessmentResult", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.Decision", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.DeadlineNotice", OWNED, select=_c("cycle_id")),
    Table("accreditation.PublicNotice", OWNED, select=_c("cycle_id")),
    Table("accreditation.PublicNoticeEntry", OWNED, select=_c("notice__cycle_id")),
    Table("accreditation.Objection", OWNED, select=_c("notice__cycle_id")),
    Table("accreditation.Recognition", OWNED, select=_c("cycle_id")),
    Table("accreditation.CertificateRecord", OWNED, select=_c("recognition__cycle_id")),
    Table("accreditation.CertificateBatch", OWNED, select=_c("notice__cycle_id")),
    Table("accreditation.ConsistencyCheck", OWNED, select=_c("cycle_id")),
    Table("accreditation.ConsistencySample", OWNED, select=_c("check_run__cycle_id")),
    Table(
        "accreditation.Reduction",
        OWNED,
        select=lambda cycle_id: (
            Q(entries__recognition__cycle_id=cycle_id) | Q(check_run__cycle_id=cycle_id)
        ),
    ),
    Table("accreditation.ReductionEntry", OWNED, select=_c("recognition__cycle_id")),
    Table("accreditation.LookBack", OWNED, select=_c("recognition__cycle_id")),
    Table("accreditation.Finding", OWNED, select=_c(_ASSESSMENT)),
    Table("accreditation.RectificationPlan", OWNED, select=_c(f"finding__{_ASSESSMENT}")),
    Table("accreditation.RectificationEvidence", OWNED, select=_c(f"finding__{_ASSESSMENT}")),
    Table(
        "accreditation.RectificationFile",
        OWNED,
        select=_c(f"submission__finding__{_ASSESSMENT}"),
    ),
    Table("accreditation.FindingNotice", OWNED, select=_c(f"finding__{_ASSESSMENT}")),
    Table("viewflow.Process", OWNED, select=_c("assessmentprocess__assessment__cycle_id")),
    Table("workflows.AssessmentProcess", OWNED, select=_c(_ASSESSMENT)),
    Table("viewflow.Task", OWNED, select=_c(_PROCESS)),
    Table("viewflow.Task_previous", OWNED, select=_c(f"from_task__{_PROCESS}")),
    # Audit rows of the cycle: those of its assessments and those about the cycle's
    # own objects (see ``AUDITED``); chosen in ``dump`` once the ids are known.
    Table("accreditation.AuditEvent", OWNED, select=_c(_ASSESSMENT)),
)

#: Owned tables whose audit rows (by target) belong to the cycle even without an
#: assessment (the cycle's configuration, notices, checks and reductions).
AUDITED = (
    "accreditation.Cycle",
    "accreditation.CycleStandard",
    "accreditation.CycleDeadline",
    "accreditation.PublicNotice",
    "accreditation.CertificateBatch",
    "accreditation.ConsistencyCheck",
    "accreditation.Reduction",
)


def table(label: str) -> Table:
    for entry in TABLES:
        if entry.label.lower() == label.lower():
            return entry
    raise KeyError(label)


def by_model() -> dict[type[models.Model], Table]:
    return {entry.model: entry for entry in TABLES}
