"""The public notice (公示) of a proposed list, and objections against its entries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standards.models import Level


class PublicNotice(models.Model):
    """A proposed list published by a commission for ``days`` days (5 to 7, from the
    cycle), from ``starts_on`` to ``ends_on`` inclusive. It can be closed only after
    ``ends_on`` and while no objection is open."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    cycle = models.ForeignKey(
        "accreditation.Cycle", on_delete=models.PROTECT, related_name="public_notices"
    )
    region = models.ForeignKey(
        "accreditation.Region",
        verbose_name=_("issuing region"),
        on_delete=models.PROTECT,
        related_name="public_notices",
    )
    issuing_level = models.CharField(_("issuing level"), max_length=10)
    document_number = models.CharField(_("document number"), max_length=100)
    title = models.CharField(_("title"), max_length=300, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    days = models.PositiveSmallIntegerField(_("days"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "document_number"], name="notice_document_number"
            ),
            models.CheckConstraint(condition=Q(days__gte=5, days__lte=7), name="notice_days"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="notice_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} ({self.starts_on} – {self.ends_on})"


class PublicNoticeEntry(models.Model):
    """One institution on the list, at the decided level."""

    class Status(models.TextChoices):
        LISTED = "listed", _("Listed")
        WITHDRAWN = "withdrawn", _("Withdrawn (objection upheld)")
        RECOGNISED = "recognised", _("Recognised")

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="entries")
    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.PROTECT, related_name="notice_entries"
    )
    decision = models.ForeignKey(
        "accreditation.Decision", on_delete=models.PROTECT, related_name="notice_entries"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.LISTED
    )

    class Meta:
        ordering = ["notice", "id"]
        verbose_name = _("public-notice entry")
        verbose_name_plural = _("public-notice entries")
        constraints = [
            models.UniqueConstraint(fields=["notice", "assessment"], name="notice_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.assessment_id} {self.level}"


class Objection(models.Model):
    """An objection received during the notice window. Resolved as upheld (the
    assessment goes back to review) or dismissed, always with a reason."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")
        CLOSED = "closed", _("Closed with its entry")

    entry = models.ForeignKey(
        PublicNoticeEntry, on_delete=models.CASCADE, related_name="objections"
    )
    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections")
    objector = models.CharField(_("objector"), max_length=200, blank=True)
    content = models.TextField(_("content"))
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    resolution_reason = models.TextField(_("resolution reason"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["notice", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(resolution_reason=""),
                name="objection_resolved_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}/{self.entry_id}: {self.status}"


#: Allowed objection status changes.
OBJECTION_TRANSITIONS: dict[str, frozenset[str]] = {
    Objection.Status.OPEN: frozenset(
        {Objection.Status.UPHELD, Objection.Status.DISMISSED, Objection.Status.CLOSED}
    ),
    Objection.Status.UPHELD: frozenset(),
    Objection.Status.DISMISSED: frozenset(),
    Objection.Status.CLOSED: frozenset(),
}
