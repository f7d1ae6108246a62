from django.conf import settings
from django.db import models
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
    """An evidence file attached to one item of one assessment."""

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

    class Meta:
        ordering = ["assessment", "item_code", "id"]
        verbose_name = _("evidence attachment")
        verbose_name_plural = _("evidence attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item_code", "evidence"], name="attachment_once_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code}: {self.name}"
