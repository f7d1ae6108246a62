"""Review stages: rounds, county review records, expert panels and expert grading,
and the province's conflict-of-interest rules."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReviewStage(models.TextChoices):
    """The stages that review a submission and can return it for correction."""

    COUNTY = "county", _("County review")
    EXPERT = "expert", _("Expert review")


class ReviewRound(models.Model):
    """One stage's handling of one submission. Every return and resubmission opens a
    new round of the same stage, so the history of every round is kept."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        FORWARDED = "forwarded", _("Forwarded")
        RETURNED = "returned", _("Returned for correction")
        COMPLETED = "completed", _("Completed")

    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="review_rounds"
    )
    stage = models.CharField(_("stage"), max_length=8, choices=ReviewStage.choices)
    number = models.PositiveIntegerField(_("round"))
    snapshot = models.ForeignKey(
        "accreditation.AssessmentSnapshot",
        verbose_name=_("submission reviewed"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["assessment", "id"]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "stage", "number"], name="review_round_number"
            ),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(outcome="open"),
                name="review_round_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.stage} #{self.number} ({self.outcome})"


class CountyReview(models.Model):
    """The county reviewer's record of one round: forwarded or returned, with notes."""

    class Decision(models.TextChoices):
        FORWARDED = "forwarded", _("Forwarded")
        RETURNED = "returned", _("Returned for correction")

    round = models.OneToOneField(ReviewRound, on_delete=models.CASCADE, related_name="county")
    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="county_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    item_comments = models.JSONField(
        _("comments per item"), default=dict, blank=True, help_text=_("Item code -> comment.")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "id"]
        verbose_name = _("county review")
        verbose_name_plural = _("county reviews")

    def __str__(self) -> str:
        return f"{self.assessment_id} county: {self.decision}"


class ExpertAssignment(models.Model):
    """An expert assigned to review one assessment. Experts see exactly the assessments
    they are assigned to; the review workflow creates and ends assignments."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Panel lead")
        MEMBER = "member", _("Panel member")

    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="expert_assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_assignments"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "role", "id"]
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "expert"], name="assignment_once"),
            models.UniqueConstraint(
                fields=["assessment"], condition=Q(role="lead"), name="assignment_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} -> {self.assessment_id} ({self.role})"


class ExpertReview(models.Model):
    """One expert's independent grading of every item in one expert round. Other
    experts' grades stay hidden from an expert until their own review is submitted."""

    assignment = models.ForeignKey(
        ExpertAssignment, on_delete=models.CASCADE, related_name="reviews"
    )
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="expert_reviews")
    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="expert_reviews"
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "round", "id"]
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "round"], name="expert_review_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} on {self.assessment_id} round {self.round_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ExpertItemGrade(models.Model):
    """One expert's grade for one item, with the finding, the on-site note and the
    evidence they checked (attachment ids)."""

    class Value(models.TextChoices):
        UNGRADED = "", _("Not graded yet")
        NONE = "none", _("Not met")
        C = "C", "C"
        B = "B", "B"
        A = "A", "A"
        NA = "NA", _("Not applicable")

    review = models.ForeignKey(ExpertReview, on_delete=models.CASCADE, related_name="grades")
    item_code = models.CharField(_("item code"), max_length=20)
    grade = models.CharField(_("grade"), max_length=4, choices=Value.choices, blank=True)
    finding = models.TextField(_("finding"), blank=True)
    onsite_note = models.TextField(_("on-site note"), blank=True)
    evidence_checked = models.JSONField(_("evidence checked"), default=list, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        ordering = ["review", "id"]
        verbose_name = _("expert item grade")
        verbose_name_plural = _("expert item grades")
        constraints = [
            models.UniqueConstraint(fields=["review", "item_code"], name="expert_grade_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item_code}: {self.grade}"


class ExpertPhoto(models.Model):
    """A photo an expert took on site as evidence of their finding on one item: the
    file is stored once by content (an :class:`~accreditation.models.Evidence` row,
    type checked and hashed), linked here to the expert's grade of the item."""

    grade = models.ForeignKey(ExpertItemGrade, on_delete=models.CASCADE, related_name="photos")
    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="expert_photos"
    )
    evidence = models.ForeignKey(
        "accreditation.Evidence", on_delete=models.PROTECT, related_name="expert_photos"
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["grade", "id"]
        verbose_name = _("on-site photo")
        verbose_name_plural = _("on-site photos")
        constraints = [
            models.UniqueConstraint(fields=["grade", "evidence"], name="photo_once_per_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.grade_id}: {self.evidence_id}"


class ConflictRule(models.TextChoices):
    """Why an expert may not review an institution."""

    SAME_INSTITUTION = "same_institution", _("The expert works at this institution")
    SAME_COUNTY = "same_county", _("The expert's employer is in the institution's county")
    DECLARED = "declared", _("The expert declared a personal conflict with this institution")
    PREVIOUS_CYCLE = (
        "previous_cycle",
        _("The expert reviewed this institution in the previous cycle"),
    )


class ConflictPolicy(models.Model):
    """Which conflict-of-interest rules a province applies when panels are assigned.
    A province without a policy applies every rule."""

    province = models.OneToOneField(
        "accreditation.Region",
        verbose_name=_("province"),
        on_delete=models.CASCADE,
        related_name="conflict_policy",
        limit_choices_to={"level": "province"},
    )
    same_institution = models.BooleanField(ConflictRule.SAME_INSTITUTION.label, default=True)
    same_county = models.BooleanField(ConflictRule.SAME_COUNTY.label, default=True)
    declared = models.BooleanField(ConflictRule.DECLARED.label, default=True)
    previous_cycle = models.BooleanField(ConflictRule.PREVIOUS_CYCLE.label, default=True)

    class Meta:
        verbose_name = _("conflict-of-interest policy")
        verbose_name_plural = _("conflict-of-interest policies")

    def __str__(self) -> str:
        return f"{self.province_id}: {', '.join(self.rules())}"

    def rules(self) -> tuple[str, ...]:
        """The rule codes switched on, in ``ConflictRule`` order."""
        return tuple(rule for rule in ConflictRule.values if getattr(self, rule))
