from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, with before and after values.

    Rows are only ever inserted, through ``accreditation.services.audit.audit_record``.
    Each row is chained to the one before it by ``prev_hash`` and ``hash`` (see
    ``accreditation.audit_chain``); ``manage.py verify_audit`` checks the chain.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        help_text=_("Empty for changes made by the system or a command-line operator."),
    )
    action = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(_("target type"), max_length=80)
    target_id = models.CharField(_("target id"), max_length=64)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    assessment = models.ForeignKey(
        "accreditation.Assessment",
        verbose_name=_("assessment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        db_index=False,  # covered by the audit_assessment index
        help_text=_("Set for every change to an assessment or anything inside it."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    prev_hash = models.CharField(
        _("previous row's hash"), max_length=64, blank=True, editable=False
    )
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["actor", "-id"], name="audit_actor"),
            models.Index(fields=["assessment", "-id"], name="audit_assessment"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"
