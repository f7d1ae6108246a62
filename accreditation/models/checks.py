"""Checks after recognition: consistency checks with their reductions (核减), and
look-backs (回头看) on one institution."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standards.models import Level


class ConsistencyCheck(models.Model):
    """A re-scoring of a deterministic sample of a region's recognitions in a cycle.
    The same ``seed`` and share always pick the same sample."""

    class Status(models.TextChoices):
        OPEN = "open", _("Re-scoring")
        COMPLETED = "completed", _("Completed")

    cycle = models.ForeignKey(
        "accreditation.Cycle", on_delete=models.PROTECT, related_name="consistency_checks"
    )
    region = models.ForeignKey(
        "accreditation.Region", on_delete=models.PROTECT, related_name="consistency_checks"
    )
    sample_share = models.DecimalField(
        _("sample share"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    seed = models.CharField(_("sampling seed"), max_length=64)
    population = models.PositiveIntegerField(_("recognitions in the region"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    report = models.JSONField(_("agreement report"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("consistency check")
        verbose_name_plural = _("consistency checks")
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_share__gt=0, sample_share__lte=1), name="check_sample_share"
            ),
        ]

    def __str__(self) -> str:
        return f"check {self.pk}: {self.region_id} {self.cycle_id}"


class ConsistencySample(models.Model):
    """One sampled recognition and, once re-scored, the checkers' grades, the level
    they reach and the agreement with the recognised (consolidated) grading."""

    check_run = models.ForeignKey(
        ConsistencyCheck, on_delete=models.CASCADE, related_name="samples"
    )
    recognition = models.ForeignKey(
        "accreditation.Recognition", on_delete=models.PROTECT, related_name="samples"
    )
    grades = models.JSONField(_("re-scored grades"), null=True, blank=True)
    rescored_level = models.CharField(
        _("level reached on re-scoring"), max_length=12, choices=Level.choices, blank=True
    )
    agreement = models.JSONField(_("agreement"), null=True, blank=True)
    rescored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    rescored_at = models.DateTimeField(_("re-scored at"), null=True, blank=True)

    class Meta:
        ordering = ["check_run", "id"]
        verbose_name = _("consistency sample")
        verbose_name_plural = _("consistency samples")
        constraints = [
            models.UniqueConstraint(
                fields=["check_run", "recognition"], name="consistency_sample_once"
            ),
        ]

    def __str__(self) -> str:
        return f"check {self.check_run_id}: {self.recognition_id}"


class RecognitionAction(models.TextChoices):
    CONFIRM = "confirm", _("Confirm")
    DOWNGRADE = "downgrade", _("Downgrade")
    REVOKE = "revoke", _("Revoke")


class LookBackOutcome(models.TextChoices):
    """A look-back's outcome: the three recognition actions, or rectification (整改)
    by a deadline; a rectification that fails revokes."""

    CONFIRM = "confirm", _("Confirm")
    DOWNGRADE = "downgrade", _("Downgrade")
    REVOKE = "revoke", _("Revoke")
    RECTIFY = "rectify", _("Rectify by a deadline")


class Reduction(models.Model):
    """A batch reduction (核减): chosen recognitions downgraded or revoked, with one
    reason, usually after a consistency check."""

    region = models.ForeignKey(
        "accreditation.Region", on_delete=models.PROTECT, related_name="reductions"
    )
    check_run = models.ForeignKey(
        ConsistencyCheck,
        on_delete=models.PROTECT,
        related_name="reductions",
        null=True,
        blank=True,
    )
    reason = models.TextField(_("reason"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("reduction (核减)")
        verbose_name_plural = _("reductions (核减)")

    def __str__(self) -> str:
        return f"reduction {self.pk}: {self.region_id}"


class ReductionEntry(models.Model):
    reduction = models.ForeignKey(Reduction, on_delete=models.CASCADE, related_name="entries")
    recognition = models.ForeignKey(
        "accreditation.Recognition", on_delete=models.PROTECT, related_name="reductions"
    )
    action = models.CharField(_("action"), max_length=10, choices=RecognitionAction.choices)
    to_level = models.CharField(_("new level"), max_length=12, choices=Level.choices, blank=True)
    replacement = models.ForeignKey(
        "accreditation.Recognition",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["reduction", "id"]
        verbose_name = _("reduction entry")
        verbose_name_plural = _("reduction entries")
        constraints = [
            models.UniqueConstraint(
                fields=["reduction", "recognition"], name="reduction_entry_once"
            ),
            models.CheckConstraint(
                condition=Q(action__in=["downgrade", "revoke"]), name="reduction_entry_action"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recognition_id}: {self.action}"


class LookBack(models.Model):
    """A look-back (回头看) on one recognised institution: confirmed, downgraded or
    revoked, with the reason and the findings; or rectification required by
    ``rectify_by``, concluded later as ``rectified`` (all its findings closed: the
    recognition stands) or ``failed`` (the recognition is revoked)."""

    Outcome = LookBackOutcome

    class Rectification(models.TextChoices):
        NONE = "", _("No rectification")
        PENDING = "pending", _("Rectifying")
        RECTIFIED = "rectified", _("Rectified")
        FAILED = "failed", _("Failed: revoked")

    recognition = models.ForeignKey(
        "accreditation.Recognition", on_delete=models.PROTECT, related_name="lookbacks"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=LookBackOutcome.choices)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    rectification = models.CharField(
        _("rectification"), max_length=10, choices=Rectification.choices, blank=True
    )
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    to_level = models.CharField(_("new level"), max_length=12, choices=Level.choices, blank=True)
    reason = models.TextField(_("reason"))
    findings = models.TextField(_("findings"), blank=True)
    replacement = models.ForeignKey(
        "accreditation.Recognition",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("look-back (回头看)")
        verbose_name_plural = _("look-backs (回头看)")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="rectify") | Q(rectify_by__isnull=False),
                name="lookback_rectify_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"look-back {self.pk}: {self.recognition_id} {self.outcome}"
