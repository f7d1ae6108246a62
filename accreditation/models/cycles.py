from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standards.models import InstitutionKind


class Cycle(models.Model):
    """One year's campaign in one province, with the province's process configuration."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Confirmer(models.TextChoices):
        CITY = "city", _("City commission")
        PROVINCE = "province", _("Provincial commission")

    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        "accreditation.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="cycles",
        limit_choices_to={"level": "province"},
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    county_review_enabled = models.BooleanField(_("county review"), default=True)
    basic_confirmed_by = models.CharField(
        _("basic standard confirmed by"),
        max_length=8,
        choices=Confirmer.choices,
        default=Confirmer.PROVINCE,
    )
    notice_days = models.PositiveSmallIntegerField(
        _("public-notice days"),
        default=7,
        validators=[MinValueValidator(5), MaxValueValidator(7)],
    )
    validity_years = models.PositiveSmallIntegerField(
        _("recognition valid for (years)"), default=3, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "province"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="cycle_one_per_year"),
            models.CheckConstraint(
                condition=Q(notice_days__gte=5, notice_days__lte=7), name="cycle_notice_days"
            ),
            models.CheckConstraint(condition=Q(validity_years__gte=1), name="cycle_validity"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def review_level(self, target_level: str) -> str:
        """Where the expert review and the decision happen for ``target_level``: the
        province for 推荐标准, else the city or the province as configured."""
        if target_level == "recommended":
            return self.Confirmer.PROVINCE
        return self.basic_confirmed_by


class CycleStandard(models.Model):
    """The edition and the rule set per level that a cycle applies to one kind of
    institution. Chosen explicitly, never "the newest": results must be reproducible.
    A level without a rule set is not awarded in this cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="standards")
    kind = models.CharField(_("institution kind"), max_length=8, choices=InstitutionKind.choices)
    edition = models.ForeignKey(
        "standards.Edition", verbose_name=_("edition"), on_delete=models.PROTECT, related_name="+"
    )
    qualified_rule_set = models.ForeignKey(
        "standards.RuleSet",
        verbose_name=_("rule set for 合格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    basic_rule_set = models.ForeignKey(
        "standards.RuleSet",
        verbose_name=_("rule set for 基本标准"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recommended_rule_set = models.ForeignKey(
        "standards.RuleSet",
        verbose_name=_("rule set for 推荐标准"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["cycle", "kind"]
        verbose_name = _("cycle standard")
        verbose_name_plural = _("cycle standards")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="cycle_standard_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.kind}: {self.edition_id}"

    def rule_sets(self) -> dict:
        """Level code -> chosen rule set, for the levels this cycle awards."""
        chosen = {
            "qualified": self.qualified_rule_set,
            "basic": self.basic_rule_set,
            "recommended": self.recommended_rule_set,
        }
        return {level: rs for level, rs in chosen.items() if rs is not None}


class Stage(models.TextChoices):
    """Process stages that carry a deadline."""

    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    COUNTY_REVIEW = "county_review", _("County review")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    CONSOLIDATION = "consolidation", _("Consolidation and decision")
    PUBLIC_NOTICE = "public_notice", _("Public notice")


class CycleDeadline(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="deadlines")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["cycle", "due_on"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "stage"], name="deadline_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.due_on}"


class DeadlineNotice(models.Model):
    """A reminder before, or a notice after, a stage deadline, sent to one person
    about one assessment. Recorded once per person, assessment, stage, kind and due
    date, so running the reminders again sends nothing twice."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder before the deadline")
        OVERDUE = "overdue", _("Notice after the deadline")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="deadline_notices")
    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="deadline_notices"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    recipient = models.ForeignKey(
        "accreditation.User", on_delete=models.CASCADE, related_name="deadline_notices"
    )
    email = models.EmailField(_("sent to"), blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("deadline notice")
        verbose_name_plural = _("deadline notices")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "stage", "kind", "due_on", "recipient"],
                name="deadline_notice_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.stage} {self.due_on} -> {self.recipient_id}"
