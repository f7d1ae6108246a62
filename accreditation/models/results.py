"""After the experts: the lead's consolidation, the computed result and the decision."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standards.models import Level


class Consolidation(models.Model):
    """The panel lead's final grading of one expert round. An objection upheld during
    the public notice reopens the assessment with a new consolidation that starts from
    the previous final grades."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COMPLETED = "completed", _("Completed")
        SUPERSEDED = "superseded", _("Superseded")

    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="consolidations"
    )
    round = models.ForeignKey(
        "accreditation.ReviewRound", on_delete=models.PROTECT, related_name="consolidations"
    )
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reopened_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        verbose_name = _("consolidation")
        verbose_name_plural = _("consolidations")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"], condition=Q(status="open"), name="consolidation_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} consolidation {self.pk} ({self.status})"


class ConsolidatedGrade(models.Model):
    """One item of a consolidation: what the institution and each expert said, the
    experts' majority, and the lead's final grade (with a reason when it departs from
    the majority or when there is none)."""

    consolidation = models.ForeignKey(
        Consolidation, on_delete=models.CASCADE, related_name="grades"
    )
    item_code = models.CharField(_("item code"), max_length=20)
    position = models.PositiveIntegerField(_("catalogue position"))
    self_grade = models.CharField(_("self-assessment grade"), max_length=4, blank=True)
    expert_grades = models.JSONField(
        _("expert grades"), default=dict, help_text=_("Expert id -> grade.")
    )
    majority_grade = models.CharField(
        _("experts' majority"), max_length=4, blank=True, help_text=_("Empty when split evenly.")
    )
    disagreement = models.BooleanField(_("experts or self-assessment disagree"), default=False)
    final_grade = models.CharField(_("final grade"), max_length=4, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        ordering = ["consolidation", "position"]
        verbose_name = _("consolidated grade")
        verbose_name_plural = _("consolidated grades")
        constraints = [
            models.UniqueConstraint(
                fields=["consolidation", "item_code"], name="consolidated_grade_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code}: {self.final_grade}"

    @property
    def needs_reason(self) -> bool:
        """A final grade that departs from the majority, or any when the experts split."""
        return bool(self.final_grade) and self.final_grade != self.majority_grade


class AssessmentResult(models.Model):
    """The consolidated grading scored with the cycle's rule sets: the computed level,
    the rule sets used, the exact inputs, the reasons, the gap plan and the agreement
    between the self-assessment and the review and between the experts."""

    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="results"
    )
    consolidation = models.ForeignKey(
        Consolidation, on_delete=models.PROTECT, related_name="results"
    )
    computed_level = models.CharField(
        _("computed level"), max_length=12, choices=Level.choices, blank=True
    )
    rule_sets = models.JSONField(_("rule sets"), help_text=_("Level -> id, version."))
    inputs = models.JSONField(_("inputs"), help_text=_("Edition, facts and grades scored."))
    evaluation = models.JSONField(_("evaluation and reasons"))
    gap_plan = models.JSONField(_("gap plan"))
    agreement_self_review = models.JSONField(_("agreement: self-assessment vs review"))
    agreement_experts = models.JSONField(_("agreement between experts"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "-id"]
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.computed_level or '-'}"


class Decision(models.Model):
    """The commission's decision: the computed level confirmed or overridden (with a
    reason). Decisions taken together share a ``batch_id``."""

    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="decisions"
    )
    result = models.ForeignKey(AssessmentResult, on_delete=models.PROTECT, related_name="decisions")
    computed_level = models.CharField(
        _("computed level"), max_length=12, choices=Level.choices, blank=True
    )
    decided_level = models.CharField(
        _("decided level"), max_length=12, choices=Level.choices, blank=True
    )
    override_reason = models.TextField(_("reason for overriding"), blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    batch_id = models.UUIDField(_("batch"), db_index=True)
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_level=models.F("computed_level")) | ~Q(override_reason=""),
                name="decision_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.decided_level or '-'}"

    @property
    def is_override(self) -> bool:
        return self.decided_level != self.computed_level
