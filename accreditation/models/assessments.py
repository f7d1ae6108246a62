from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accreditation.models.cycles import Stage
from accreditation.models.reviews import ReviewStage
from standards.models import Level


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (self-assessment)")
    SUBMITTED = "submitted", _("Submitted")
    COUNTY_REVIEW = "county_review", _("County review")
    RETURNED = "returned", _("Returned for correction")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    CONSOLIDATION = "consolidation", _("Consolidation")
    DECIDED = "decided", _("Decided")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    WITHDRAWN = "withdrawn", _("Withdrawn")


_S = AssessmentStatus
#: Allowed status changes. Services refuse anything else, whoever asks.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    _S.DRAFT: frozenset({_S.SUBMITTED, _S.WITHDRAWN}),
    _S.SUBMITTED: frozenset({_S.COUNTY_REVIEW, _S.EXPERT_REVIEW, _S.RETURNED, _S.WITHDRAWN}),
    _S.COUNTY_REVIEW: frozenset({_S.EXPERT_REVIEW, _S.RETURNED}),
    _S.RETURNED: frozenset({_S.SUBMITTED, _S.WITHDRAWN}),
    _S.EXPERT_REVIEW: frozenset({_S.CONSOLIDATION, _S.RETURNED}),
    _S.CONSOLIDATION: frozenset({_S.DECIDED, _S.EXPERT_REVIEW, _S.RETURNED}),
    # A decision without a level ends the application; it is not put on public notice.
    _S.DECIDED: frozenset({_S.PUBLIC_NOTICE, _S.NOT_RECOGNISED, _S.CONSOLIDATION}),
    _S.PUBLIC_NOTICE: frozenset({_S.RECOGNISED, _S.NOT_RECOGNISED, _S.CONSOLIDATION}),
    _S.RECOGNISED: frozenset(),
    _S.NOT_RECOGNISED: frozenset(),
    _S.WITHDRAWN: frozenset(),
}
#: The statuses in which an assessment is still at each stage that has a deadline.
STAGE_STATUSES: dict[str, tuple[str, ...]] = {
    Stage.SELF_ASSESSMENT: (_S.DRAFT, _S.RETURNED),
    Stage.COUNTY_REVIEW: (_S.SUBMITTED, _S.COUNTY_REVIEW),
    Stage.EXPERT_REVIEW: (_S.EXPERT_REVIEW,),
    Stage.CONSOLIDATION: (_S.CONSOLIDATION,),
    Stage.PUBLIC_NOTICE: (_S.DECIDED, _S.PUBLIC_NOTICE),
}
#: Statuses in which the institution may change grades and evidence.
EDITABLE_STATUSES: frozenset[str] = frozenset({_S.DRAFT, _S.RETURNED})


class Assessment(models.Model):
    """One institution's application in one cycle, from self-assessment to decision.

    ``version`` increases with every assessment-level change (status, target level);
    item grades carry their own versions. The edition is fixed when the assessment is
    opened. Integer primary key: the workflow process points at it.
    """

    Status = AssessmentStatus

    cycle = models.ForeignKey(
        "accreditation.Cycle", on_delete=models.PROTECT, related_name="assessments"
    )
    institution = models.ForeignKey(
        "accreditation.Institution", on_delete=models.PROTECT, related_name="assessments"
    )
    edition = models.ForeignKey(
        "standards.Edition", on_delete=models.PROTECT, related_name="assessments"
    )
    target_level = models.CharField(_("target level"), max_length=12, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=_S.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried forward from"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-cycle__year", "institution__name"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "institution"], name="assessment_one_per_cycle"
            ),
        ]
        indexes = [models.Index(fields=["cycle", "status"], name="assessment_cycle_status")]

    def __str__(self) -> str:
        return f"{self.institution_id}/{self.cycle_id} ({self.status})"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ItemGrade(models.Model):
    """The institution's own grade for one item. One row per item of the edition, all
    created when the assessment is opened, so a save is a single conditional UPDATE on
    ``version`` (optimistic concurrency)."""

    class Value(models.TextChoices):
        UNGRADED = "", _("Not graded yet")
        NONE = "none", _("Not met")
        C = "C", "C"
        B = "B", "B"
        A = "A", "A"
        NA = "NA", _("Not applicable")

    class Carry(models.TextChoices):
        NONE = "", _("Not carried forward")
        PROPOSED = "proposed", _("Carried over: confirm or change")
        CONFIRMED = "confirmed", _("Carried over and confirmed")
        CHANGED = "changed", _("Changed since the last cycle: grade afresh")
        NEW = "new", _("New item: grade afresh")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="grades")
    item = models.ForeignKey("standards.Item", on_delete=models.PROTECT, related_name="+")
    # Copied from the item (codes of a published edition never change) so the hot path
    # finds the row without a join.
    item_code = models.CharField(_("item code"), max_length=20)
    grade = models.CharField(
        _("grade"), max_length=4, choices=Value.choices, blank=True, default=Value.UNGRADED
    )
    na_reason = models.TextField(_("reason for not applicable"), blank=True)
    metric_value = models.DecimalField(
        _("metric value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # A database default too: bulk loaders (the synthetic nation) insert rows by SQL.
    carry = models.CharField(
        _("carried forward"),
        max_length=10,
        choices=Carry.choices,
        blank=True,
        default="",
        db_default="",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        # Rows are created in catalogue order, so id order is catalogue order (no join).
        ordering = ["assessment", "id"]
        verbose_name = _("item grade")
        verbose_name_plural = _("item grades")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item_code"], name="grade_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item_code}: {self.grade}"

    def values(self) -> dict:
        """The user-editable values and the version, JSON-serialisable."""
        return {
            "item": self.item_code,
            "grade": self.grade,
            "na_reason": self.na_reason,
            "metric_value": None if self.metric_value is None else str(self.metric_value),
            "note": self.note,
            "carry": self.carry,
            "version": self.version,
        }


class AssessmentSnapshot(models.Model):
    """What was submitted, frozen: grades, facts in force, evidence hashes, edition and
    rule-set versions and the provisional result. Insert-only; ``save`` refuses updates
    and ``delete`` refuses always."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="snapshots")
    sequence = models.PositiveIntegerField(_("submission number"))
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    data = models.JSONField(_("frozen data"))

    class Meta:
        ordering = ["assessment", "-sequence"]
        verbose_name = _("assessment snapshot")
        verbose_name_plural = _("assessment snapshots")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "sequence"], name="snapshot_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} #{self.sequence}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None or not self._state.adding:
            raise ValueError("An assessment snapshot is immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("An assessment snapshot is immutable.")


class AssessmentReturn(models.Model):
    """A return for correction (退回修改), with the reviewer's comments per item. The
    resubmission goes back to ``stage``; it is recorded here when it happens."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="returns")
    from_status = models.CharField(_("returned from"), max_length=16, choices=_S.choices)
    stage = models.CharField(_("stage"), max_length=8, choices=ReviewStage.choices, blank=True)
    round = models.ForeignKey(
        "accreditation.ReviewRound",
        verbose_name=_("review round"),
        on_delete=models.PROTECT,
        related_name="returns",
        null=True,
        blank=True,
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    item_comments = models.JSONField(
        _("comments per item"), default=dict, blank=True, help_text=_("Item code -> comment.")
    )
    created_at = models.DateTimeField(_("returned at"), auto_now_add=True)
    resubmitted_at = models.DateTimeField(_("resubmitted at"), null=True, blank=True)
    resubmission = models.ForeignKey(
        AssessmentSnapshot,
        verbose_name=_("resubmission"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["assessment", "-id"]
        verbose_name = _("return for correction")
        verbose_name_plural = _("returns for correction")

    def __str__(self) -> str:
        return f"{self.assessment_id} returned {self.created_at:%Y-%m-%d}"
