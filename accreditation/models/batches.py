"""Batch issuance of certificates, run as a background task."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CertificateBatch(models.Model):
    """The certificates of one public notice's recognitions, issued by a background
    task. Progress (``done``, ``failed`` of ``total``) is written after every
    certificate, so officers see it move and a rerun resumes where the last run
    stopped: a recognition whose certificate already has its file is skipped."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to run")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Stopped by an error")

    notice = models.ForeignKey(
        "accreditation.PublicNotice",
        verbose_name=_("public notice"),
        on_delete=models.PROTECT,
        related_name="certificate_batches",
    )
    region = models.ForeignKey(
        "accreditation.Region",
        verbose_name=_("issuing region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recognition_ids = models.JSONField(_("recognitions"), default=list)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("issued"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    errors = models.JSONField(
        _("errors"), default=list, blank=True, help_text=_("Recognition id, code and message.")
    )
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        constraints = [
            models.UniqueConstraint(
                fields=["notice"],
                condition=Q(status__in=["pending", "running"]),
                name="certificate_batch_one_open",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="certificate_batch_progress"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.done}/{self.total} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
