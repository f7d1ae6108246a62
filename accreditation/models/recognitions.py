"""Recognitions and their certificate records."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standards.models import Level


class Recognition(models.Model):
    """An institution recognised at a level in a cycle, valid until ``valid_until``.

    A downgrade (look-back or 核减) keeps this row as ``downgraded`` and creates a new
    active recognition at the lower level that ``supersedes`` it; a recognition in a
    later cycle makes the earlier one ``superseded``. At most one is active per
    institution."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DOWNGRADED = "downgraded", _("Downgraded")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    institution = models.ForeignKey(
        "accreditation.Institution", on_delete=models.PROTECT, related_name="recognitions"
    )
    cycle = models.ForeignKey(
        "accreditation.Cycle", on_delete=models.PROTECT, related_name="recognitions"
    )
    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.PROTECT, related_name="recognitions"
    )
    decision = models.ForeignKey(
        "accreditation.Decision", on_delete=models.PROTECT, related_name="recognitions"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    issuing_region = models.ForeignKey(
        "accreditation.Region", on_delete=models.PROTECT, related_name="recognitions_issued"
    )
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    notice = models.ForeignKey(
        "accreditation.PublicNotice", on_delete=models.PROTECT, related_name="recognitions"
    )
    notice_document_number = models.CharField(_("notice document number"), max_length=100)
    recognised_on = models.DateField(_("recognised on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-recognised_on", "-id"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(status="active"),
                name="recognition_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.level} ({self.status})"


#: Allowed recognition status changes.
RECOGNITION_TRANSITIONS: dict[str, frozenset[str]] = {
    Recognition.Status.ACTIVE: frozenset(
        {
            Recognition.Status.DOWNGRADED,
            Recognition.Status.REVOKED,
            Recognition.Status.SUPERSEDED,
        }
    ),
    Recognition.Status.DOWNGRADED: frozenset(),
    Recognition.Status.REVOKED: frozenset(),
    Recognition.Status.SUPERSEDED: frozenset(),
}


class CertificateRecord(models.Model):
    """The record of a certificate: a unique number, a version (a reissue supersedes
    the previous record) and, once rendered, the stored file and its SHA-256.

    Rendering (``services.certificates.certificate_issue``) freezes the signed fields
    below and the verification code computed over them; verification recomputes the
    code from the stored fields, so a row altered outside the services fails."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUPERSEDED = "superseded", _("Superseded")
        REVOKED = "revoked", _("Revoked")

    recognition = models.ForeignKey(
        Recognition, on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="superseded_by",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    file = models.FileField(_("file"), upload_to="certificates/", max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # The signed fields as printed, frozen when the file is rendered (empty before).
    institution_name = models.CharField(_("institution name"), max_length=200, blank=True)
    institution_licence = models.CharField(_("practice-licence number"), max_length=60, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    cycle_year = models.PositiveSmallIntegerField(_("cycle year"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    verification_code = models.CharField(_("verification code"), max_length=24, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("certificate record")
        verbose_name_plural = _("certificate records")
        constraints = [
            models.UniqueConstraint(
                fields=["verification_code"],
                condition=~Q(verification_code=""),
                name="certificate_code_unique",
            ),
            models.UniqueConstraint(
                fields=["recognition"], condition=Q(status="valid"), name="certificate_one_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version} ({self.status})"


class CertificateSequence(models.Model):
    """The last certificate serial used per province, year and level. Rows are locked
    (``select_for_update``) while a number is allocated, so numbers never repeat."""

    province_code = models.CharField(_("province code"), max_length=12)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    last_value = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("certificate sequence")
        verbose_name_plural = _("certificate sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "year", "level"], name="certificate_sequence_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_code}-{self.year}-{self.level}: {self.last_value}"
