"""Quantitative facts of an institution per year, each value with its provenance.

A value comes from the annual statistical return (年报) import (which import, which
row of which file), from a manual entry, or from an accepted challenge. The set of
fact keys is provisional (no public source fixes the return's layout): it lives in
:data:`FACT_DEFINITIONS`, each entry marked ``provisional``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class FactDefinition:
    key: str
    header: str  # the column header of the return's template
    integer: bool = True
    provisional: bool = True  # no official source for the return's layout


#: The fact keys and their template headers. PROVISIONAL: chosen for this project in the
#: shape of the 卫生健康统计年报 institution table, not taken from an official layout.
FACT_DEFINITIONS: tuple[FactDefinition, ...] = (
    FactDefinition("beds", "实有床位数"),
    FactDefinition("staff_total", "在岗职工数"),
    FactDefinition("staff_health_technical", "卫生技术人员数"),
    FactDefinition("staff_physicians", "执业(助理)医师数"),
    FactDefinition("staff_nurses", "注册护士数"),
    FactDefinition("staff_pharmacists", "药师(士)数"),
    FactDefinition("staff_technicians", "技师(士)数"),
    FactDefinition("service_population", "服务人口数"),
    FactDefinition("lab_tests_offered", "开展检验项目数"),
    FactDefinition("outpatient_visits", "年门急诊人次"),
    FactDefinition("discharges", "年出院人数"),
)
FACT_KEYS: tuple[str, ...] = tuple(d.key for d in FACT_DEFINITIONS)


class FactSource(models.TextChoices):
    IMPORT = "import", _("Statistical return import")
    MANUAL = "manual", _("Manual entry")
    CHALLENGE = "challenge", _("Accepted challenge")


class FactImport(models.Model):
    """One accepted upload of the annual statistical return: who, when, which file."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        CSV = "csv", "CSV"

    year = models.PositiveSmallIntegerField(_("year"))
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    values_written = models.PositiveIntegerField(_("values written"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("statistical return import")
        verbose_name_plural = _("statistical return imports")

    def __str__(self) -> str:
        return f"{self.year} {self.file_sha256[:12]}"


class InstitutionFact(models.Model):
    """One fact of one institution for one year, and where the value came from."""

    Source = FactSource

    institution = models.ForeignKey(
        "accreditation.Institution", on_delete=models.CASCADE, related_name="facts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    key = models.CharField(_("fact"), max_length=40)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=FactSource.choices)
    fact_import = models.ForeignKey(
        FactImport,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        related_name="facts",
        null=True,
        blank=True,
    )
    source_row = models.PositiveIntegerField(_("row in the file"), null=True, blank=True)
    challenge = models.ForeignKey(
        "accreditation.FactChallenge",
        verbose_name=_("challenge"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["institution", "-year", "key"]
        verbose_name = _("institution fact")
        verbose_name_plural = _("institution facts (by year)")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "key"], name="fact_one_per_key_and_year"
            ),
            models.CheckConstraint(
                condition=~Q(source="import") | Q(fact_import__isnull=False),
                name="fact_import_source_has_import",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.year} {self.key}={self.value}"

    def provenance(self) -> dict:
        return {
            "source": self.source,
            "import": self.fact_import_id,
            "row": self.source_row,
            "challenge": self.challenge_id,
        }


class MetricSource(models.Model):
    """Where an item grade's metric value came from when it was imported."""

    grade = models.OneToOneField(
        "accreditation.ItemGrade", on_delete=models.CASCADE, related_name="metric_source"
    )
    source = models.CharField(_("source"), max_length=10, choices=FactSource.choices)
    fact_import = models.ForeignKey(
        FactImport, on_delete=models.PROTECT, related_name="metrics", null=True, blank=True
    )
    source_row = models.PositiveIntegerField(_("row in the file"), null=True, blank=True)
    #: The value imported; once the staff save another value, the source no longer holds.
    value = models.DecimalField(_("imported value"), max_digits=14, decimal_places=4)

    class Meta:
        verbose_name = _("metric value source")
        verbose_name_plural = _("metric value sources")

    def __str__(self) -> str:
        return f"{self.grade_id}: {self.source}"


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


#: Allowed status changes of a challenge. Services refuse anything else.
CHALLENGE_TRANSITIONS: dict[str, frozenset[str]] = {
    ChallengeStatus.OPEN: frozenset({ChallengeStatus.ACCEPTED, ChallengeStatus.REJECTED}),
    ChallengeStatus.ACCEPTED: frozenset(),
    ChallengeStatus.REJECTED: frozenset(),
}


class FactChallenge(models.Model):
    """The institution disputes a fact value; the county accepts or rejects it."""

    Status = ChallengeStatus

    fact = models.ForeignKey(InstitutionFact, on_delete=models.CASCADE, related_name="challenges")
    status = models.CharField(
        _("status"), max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN
    )
    disputed_value = models.DecimalField(_("disputed value"), max_digits=14, decimal_places=2)
    proposed_value = models.DecimalField(_("proposed value"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("reason"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    due_on = models.DateField(_("answer due"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("fact challenge")
        verbose_name_plural = _("fact challenges")
        constraints = [
            models.UniqueConstraint(
                fields=["fact"], condition=Q(status="open"), name="challenge_one_open_per_fact"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fact_id} ({self.status})"


class FactChallengeNotice(models.Model):
    """A reminder before, or a notice after, the date a challenge must be answered by,
    sent to one county reviewer once."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder before the due date")
        OVERDUE = "overdue", _("Notice after the due date")

    challenge = models.ForeignKey(FactChallenge, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_notices"
    )
    email = models.EmailField(_("sent to"), blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("challenge notice")
        verbose_name_plural = _("challenge notices")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "kind", "recipient"], name="challenge_notice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} challenge {self.challenge_id} -> {self.recipient_id}"
