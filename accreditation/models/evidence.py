from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Evidence(models.Model):
    """One stored file, kept once per content (sha256), whoever uploaded it.

    Never exposed directly: users reach evidence only through an
    :class:`EvidenceAttachment` on an assessment they may see.
    """

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        JPG = "jpg", "JPEG"
        PNG = "png", "PNG"
        DOCX = "docx", "Word (docx)"
        XLSX = "xlsx", "Excel (xlsx)"

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    file = models.FileField(_("file"), upload_to="evidence/", max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    file_type = models.CharField(_("detected type"), max_length=4, choices=FileType.choices)
    original_name = models.CharField(_("first uploaded as"), max_length=255)
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"


class EvidenceAttachment(models.Model):
    """An evidence file attached to one item of one assessment.

    The document takes effect on ``effective_on`` (by default the day it is attached)
    and, when ``expires_on`` is set, is out of date after that day. A new revision
    replaces an attachment (``replaces``; the old one gets ``replaced_at``): the current
    evidence of an item is its attachments not replaced; replaced ones stay as history.
    """

    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="attachments"
    )
    item_code = models.CharField(_("item code"), max_length=20)
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("attached at"), auto_now_add=True)
    effective_on = models.DateField(_("effective on"), default=timezone.localdate)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("revision of"),
    )
    replaced_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "item_code", "id"]
        verbose_name = _("evidence attachment")
        verbose_name_plural = _("evidence attachments")
        constraints = [
            # Among the current evidence only: a file may come back as a later revision.
            models.UniqueConstraint(
                fields=["assessment", "item_code", "evidence"],
                condition=Q(replaced_at__isnull=True),
                name="attachment_once_per_item",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("effective_on")),
                name="attachment_expires_after_effective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code}: {self.name}"

    @property
    def superseded(self) -> bool:
        return self.replaced_at is not None
