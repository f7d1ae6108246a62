from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} -> {self.assessment_id} ({self.role})"
