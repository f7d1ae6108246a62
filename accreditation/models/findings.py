"""Rectification (整改): findings raised on an assessment, the institution's corrective
action plans and the evidence of their effect, each verified by the reviewer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FindingSource(models.TextChoices):
    COUNTY = "county", _("County review")
    PANEL = "panel", _("Expert panel")
    OBJECTION = "objection", _("Upheld objection")
    LOOKBACK = "lookback", _("Look-back")
    CONSISTENCY = "consistency", _("Consistency check")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Awaiting a plan")
    PLAN_SUBMITTED = "plan_submitted", _("Plan submitted")
    PLAN_ACCEPTED = "plan_accepted", _("Rectifying")
    EVIDENCE_SUBMITTED = "evidence_submitted", _("Evidence submitted")
    CLOSED = "closed", _("Closed (verified)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


_F = FindingStatus
#: Allowed status changes of a finding. A returned plan sends the finding back to
#: ``open``; a reopened rectification back to ``plan_accepted``.
FINDING_TRANSITIONS: dict[str, frozenset[str]] = {
    _F.OPEN: frozenset({_F.PLAN_SUBMITTED, _F.WITHDRAWN}),
    _F.PLAN_SUBMITTED: frozenset({_F.PLAN_ACCEPTED, _F.OPEN, _F.WITHDRAWN}),
    _F.PLAN_ACCEPTED: frozenset({_F.EVIDENCE_SUBMITTED}),
    _F.EVIDENCE_SUBMITTED: frozenset({_F.CLOSED, _F.PLAN_ACCEPTED}),
    _F.CLOSED: frozenset(),
    _F.WITHDRAWN: frozenset(),
}
#: Statuses in which the institution owes the next step by ``Finding.due_on``.
INSTITUTION_OWES: frozenset[str] = frozenset({_F.OPEN, _F.PLAN_ACCEPTED})
#: Statuses that still count as open on dashboards.
UNRESOLVED: frozenset[str] = frozenset(
    {_F.OPEN, _F.PLAN_SUBMITTED, _F.PLAN_ACCEPTED, _F.EVIDENCE_SUBMITTED}
)


class Finding(models.Model):
    """One shortcoming found on an assessment: the item (blank for a finding on the
    whole institution), where it came from, what was found and the grade required.

    ``due_on`` is the date of the institution's next step: the plan while ``open``, the
    evidence of effect (the accepted plan's date) while ``plan_accepted``."""

    Source = FindingSource
    Status = FindingStatus

    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.PROTECT, related_name="findings"
    )
    item_code = models.CharField(_("item code"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=FindingSource.choices)
    description = models.TextField(_("what was found"))
    current_grade = models.CharField(_("grade found"), max_length=4, blank=True)
    required_grade = models.CharField(_("grade required"), max_length=4, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FindingStatus.choices, default=_F.OPEN
    )
    due_on = models.DateField(_("next step due on"))
    lookback = models.ForeignKey(
        "accreditation.LookBack",
        on_delete=models.PROTECT,
        related_name="rectification_findings",
        null=True,
        blank=True,
    )
    objection = models.ForeignKey(
        "accreditation.Objection",
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
    )
    assessment_return = models.ForeignKey(
        "accreditation.AssessmentReturn",
        verbose_name=_("return for correction"),
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
    )
    consistency_sample = models.ForeignKey(
        "accreditation.ConsistencySample",
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["assessment", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item_code", "source"],
                condition=~Q(item_code="") & ~Q(status__in=["closed", "withdrawn"]),
                name="finding_one_unresolved_per_item",
            ),
            models.CheckConstraint(
                condition=Q(source="lookback") | Q(lookback__isnull=True),
                name="finding_lookback_source",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="finding_status_due"),
        ]

    def __str__(self) -> str:
        return f"finding {self.pk}: {self.item_code or '-'} ({self.status})"


class ReviewOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting the reviewer")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class RectificationPlan(models.Model):
    """The institution's answer to a finding: root cause, actions, the person
    responsible and the date by which it is done. A returned plan stays as history."""

    Outcome = ReviewOutcome

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="plans")
    root_cause = models.TextField(_("root cause"))
    actions = models.TextField(_("actions"))
    owner = models.CharField(_("responsible person"), max_length=100)
    due_on = models.DateField(_("done by"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        ordering = ["finding", "id"]
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")

    def __str__(self) -> str:
        return f"plan {self.pk} for finding {self.finding_id} ({self.outcome})"


class VerificationOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REOPENED = "reopened", _("Reopened")


class RectificationEvidence(models.Model):
    """Evidence of effect for an accepted plan: what was done, with files; verified
    (the finding closes) or reopened (the institution tries again)."""

    Outcome = VerificationOutcome

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    plan = models.ForeignKey(RectificationPlan, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("what was done"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=VerificationOutcome.choices,
        default=VerificationOutcome.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        ordering = ["finding", "id"]
        verbose_name = _("evidence of rectification")
        verbose_name_plural = _("evidence of rectification")

    def __str__(self) -> str:
        return f"evidence {self.pk} for finding {self.finding_id} ({self.outcome})"


class RectificationFile(models.Model):
    """A file of an evidence submission: a stored file (kept once per content), under
    the name it was given."""

    submission = models.ForeignKey(
        RectificationEvidence, on_delete=models.CASCADE, related_name="files"
    )
    evidence = models.ForeignKey(
        "accreditation.Evidence", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("file name"), max_length=255)

    class Meta:
        ordering = ["submission", "id"]
        verbose_name = _("rectification file")
        verbose_name_plural = _("rectification files")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "evidence"], name="rectification_file_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FindingNotice(models.Model):
    """A reminder before, or a notice after, a finding's due date, sent to one person.
    Recorded once per finding, kind, due date and person, so running the reminders
    again sends nothing twice."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder before the due date")
        OVERDUE = "overdue", _("Notice after the due date")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="finding_notices"
    )
    email = models.EmailField(_("sent to"), blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("finding notice")
        verbose_name_plural = _("finding notices")
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "kind", "due_on", "recipient"], name="finding_notice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} finding {self.finding_id} {self.due_on} -> {self.recipient_id}"
