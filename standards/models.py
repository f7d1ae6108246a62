"""The standards catalogue: editions, their chapter/section/item tree, grade criteria
and the rule sets that turn gradings into levels.

Everything here is data loaded from versioned files (see ``standards.importers``);
nothing about a particular standard is hard-coded. A published edition or rule set is
immutable: the importer and the admin refuse to change it, and the
``standards.services`` functions are the only writers.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    """Which national standard an institution is measured against."""

    THC = "thc", _("Township health centre (乡镇卫生院)")
    CHC = "chc", _("Community health service centre (社区卫生服务中心)")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


# Allowed status changes for editions and rule sets; services refuse anything else.
PUBLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    PublicationStatus.DRAFT: frozenset({PublicationStatus.PUBLISHED}),
    PublicationStatus.PUBLISHED: frozenset({PublicationStatus.RETIRED}),
    PublicationStatus.RETIRED: frozenset(),
}


class Tier(models.TextChoices):
    BASIC = "basic", _("Basic tier")
    RECOMMENDED = "recommended", _("Recommended tier (★)")


class ItemKind(models.TextChoices):
    DOCUMENTARY = "documentary", _("Documentary or on-site evidence")
    QUANTITATIVE = "quantitative", _("Quantitative")


class ReviewMethod(models.TextChoices):
    DOCUMENT_REVIEW = "document_review", _("Document review (资料查阅)")
    SITE_INSPECTION = "site_inspection", _("On-site inspection (现场查看)")
    INTERVIEW = "interview", _("Staff interview (人员访谈)")
    RECORD_SAMPLING = "record_sampling", _("Medical record sampling (病历抽查)")
    SATISFACTION_SURVEY = "satisfaction_survey", _("Satisfaction survey (满意度调查)")
    DATA_VERIFICATION = "data_verification", _("Data verification (数据核验)")


class Grade(models.TextChoices):
    """A criterion's grade; cumulative (B means C and more, A means B and more)."""

    C = "C", "C"
    B = "B", "B"
    A = "A", "A"


class Level(models.TextChoices):
    """Outcome levels, lowest first."""

    QUALIFIED = "qualified", _("Qualified (合格)")
    BASIC = "basic", _("Basic standard (基本标准)")
    RECOMMENDED = "recommended", _("Recommended standard (推荐标准)")


class Edition(models.Model):
    """One published version of a national (or provincial) service-capability standard."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("institution kind"), max_length=8, choices=InstitutionKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    source_note = models.TextField(_("source note"), blank=True)
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Content not verified against an official publication."),
    )
    cloned_from = models.ForeignKey(
        "self",
        verbose_name=_("cloned from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clones",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kind", "-year", "code"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_editable(self) -> bool:
        return self.status == PublicationStatus.DRAFT


class Chapter(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="chapters")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ["edition", "position"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="chapter_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Section(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ["chapter", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "code"], name="section_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Item(models.Model):
    """One clause (条款) of the standard, graded C/B/A or not met."""

    # The edition is stored on the item too so that a whole checklist is one query.
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveIntegerField(_("position"))
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices)
    starred = models.BooleanField(_("starred (★)"), default=False)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ItemKind.choices, default=ItemKind.DOCUMENTARY
    )
    review_methods = models.JSONField(_("review methods"), default=list, blank=True)
    applicability = models.JSONField(
        _("applicability condition"),
        null=True,
        blank=True,
        help_text=_('Facts condition, e.g. {"fact": "beds", "op": ">", "value": 0}.'),
    )
    evidence_required = models.BooleanField(_("evidence required"), default=True)
    evidence_hint = models.TextField(_("evidence hint"), blank=True)
    metric_code = models.CharField(_("metric code"), max_length=60, blank=True)
    metric_label = models.CharField(_("metric label"), max_length=120, blank=True)
    metric_unit = models.CharField(_("metric unit"), max_length=30, blank=True)

    class Meta:
        ordering = ["edition", "position"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="item_code_unique"),
        ]
        indexes = [models.Index(fields=["edition", "position"], name="item_edition_position")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Criterion(models.Model):
    """What an item needs for one grade; cumulative over the lower grades."""

    class Operator(models.TextChoices):
        GE = ">=", "≥"
        GT = ">", ">"
        LE = "<=", "≤"
        LT = "<", "<"
        EQ = "==", "="

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="criteria")
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    text = models.TextField(_("text"))
    steps = models.JSONField(
        _("sub-steps"),
        default=list,
        blank=True,
        help_text=_('Optional sub-steps, e.g. [{"code": "b-1", "text": "..."}].'),
    )
    threshold_operator = models.CharField(
        _("threshold operator"), max_length=2, choices=Operator.choices, blank=True
    )
    threshold_value = models.DecimalField(
        _("threshold value"), max_digits=14, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["item", "grade"]
        verbose_name = _("grade criterion")
        verbose_name_plural = _("grade criteria")
        constraints = [
            models.UniqueConstraint(fields=["item", "grade"], name="criterion_grade_unique"),
            models.CheckConstraint(
                condition=(
                    Q(threshold_operator="", threshold_value__isnull=True)
                    | (~Q(threshold_operator="") & Q(threshold_value__isnull=False))
                ),
                name="criterion_threshold_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.grade}"


share_validators = [MinValueValidator(0), MaxValueValidator(1)]


class RuleSet(models.Model):
    """The conditions for one level under one edition, optionally for one province.

    Shares are fractions between 0 and 1 of the applicable items of a tier at a grade or
    better. ``includes`` names lower levels whose conditions must also hold (推荐 includes
    基本). A province override has a ``province_code``; the national default has none.
    """

    class Combine(models.TextChoices):
        ALL = "all", _("all conditions (and)")
        ANY = "any", _("any condition (or)")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="rule_sets")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    province_code = models.CharField(
        _("province code"),
        max_length=12,
        blank=True,
        help_text=_("Empty for the national default; a division code for a province override."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    provisional = models.BooleanField(_("provisional"), default=False)
    source_note = models.TextField(_("source note"), blank=True)
    min_basic_c = models.DecimalField(
        _("basic tier: minimum share at C or better"),
        max_digits=5,
        decimal_places=4,
        validators=share_validators,
    )
    min_basic_b = models.DecimalField(
        _("basic tier: minimum share at B or better"),
        max_digits=5,
        decimal_places=4,
        validators=share_validators,
    )
    min_basic_a = models.DecimalField(
        _("basic tier: minimum share at A"),
        max_digits=5,
        decimal_places=4,
        validators=share_validators,
    )
    min_recommended_c = models.DecimalField(
        _("recommended tier: minimum share at C or better"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=share_validators,
    )
    includes = models.JSONField(
        _("includes the conditions of"),
        default=list,
        blank=True,
        help_text=_('Lower levels whose conditions must also hold, e.g. ["basic"].'),
    )
    na_excluded = models.BooleanField(_("not-applicable items leave the denominator"), default=True)
    eligibility_combine = models.CharField(
        _("combine eligibility conditions"),
        max_length=3,
        choices=Combine.choices,
        default=Combine.ALL,
    )
    eligibility = models.JSONField(
        _("eligibility conditions"),
        default=list,
        blank=True,
        help_text=_('Facts conditions, e.g. [{"fact": "medical_staff", "op": "<", "value": 10}].'),
    )
    must_pass = models.JSONField(
        _("must-pass items"),
        default=list,
        blank=True,
        help_text=_('Items that must reach a grade, e.g. [{"item": "3.1.1", "grade": "C"}].'),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["edition", "province_code", "level", "-version"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "level", "province_code", "version"],
                name="ruleset_version_unique",
            ),
        ]

    def __str__(self) -> str:
        scope = self.province_code or "national"
        return f"{self.edition.code} {self.level} v{self.version} ({scope})"

    @property
    def is_editable(self) -> bool:
        return self.status == PublicationStatus.DRAFT


class Crosswalk(models.Model):
    """Item codes that changed from one edition to the next of the same kind: old code
    -> new code. Codes the map does not name keep their code. Used to carry an
    institution's grading into a cycle under the newer edition."""

    from_edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="crosswalks_out"
    )
    to_edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="crosswalks_in")
    codes = models.JSONField(_("code changes"), default=dict, help_text=_("Old code -> new code."))
    provisional = models.BooleanField(_("provisional"), default=True)
    note = models.TextField(_("source note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["from_edition", "to_edition"]
        verbose_name = _("item code crosswalk")
        verbose_name_plural = _("item code crosswalks")
        constraints = [
            models.UniqueConstraint(
                fields=["from_edition", "to_edition"], name="crosswalk_once_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(from_edition=models.F("to_edition")), name="crosswalk_two_editions"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_edition_id} -> {self.to_edition_id}"
