from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standards.models import InstitutionKind
from standards.scoring import Facts


class Institution(models.Model):
    """A township health centre or community health service centre taking part."""

    class Kind(models.TextChoices):
        THC = "thc", _("Township health centre (乡镇卫生院)")
        CENTRAL_THC = "central_thc", _("Central township health centre (中心乡镇卫生院)")
        CHC = "chc", _("Community health service centre (社区卫生服务中心)")

    class Category(models.TextChoices):
        """Category code of the medical-institution practice licence."""

        B = "B", _("B: community health service centre")
        C = "C", _("C: health centre")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    licence_number = models.CharField(_("practice-licence number"), max_length=60, unique=True)
    category_code = models.CharField(
        _("licence category code"), max_length=1, choices=Category.choices
    )
    region = models.ForeignKey(
        "accreditation.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["thc", "central_thc"], category_code="C")
                | Q(kind="chc", category_code="B"),
                name="institution_category_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def standard_kind(self) -> str:
        """The national standard this institution is measured against."""
        return STANDARD_KIND[self.kind]


#: Institution kind -> the standard (``standards.InstitutionKind``) it is assessed by.
STANDARD_KIND: dict[str, str] = {
    Institution.Kind.THC: InstitutionKind.THC,
    Institution.Kind.CENTRAL_THC: InstitutionKind.THC,
    Institution.Kind.CHC: InstitutionKind.CHC,
}
#: Institution kind -> licence category code.
CATEGORY_CODE: dict[str, str] = {
    Institution.Kind.THC: Institution.Category.C,
    Institution.Kind.CENTRAL_THC: Institution.Category.C,
    Institution.Kind.CHC: Institution.Category.B,
}


class InstitutionFacts(models.Model):
    """The institution's declared facts from ``effective_from`` until the next snapshot.

    The snapshot in force on the day of submission is frozen into the assessment
    snapshot; eligibility for 合格 and item applicability depend on it.
    """

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="facts_snapshots"
    )
    effective_from = models.DateField(_("effective from"))
    medical_staff = models.PositiveIntegerField(_("medical staff"))
    service_population = models.PositiveIntegerField(_("service population"))
    beds = models.PositiveIntegerField(_("beds"), validators=[MinValueValidator(0)])
    inpatient_ward = models.BooleanField(_("inpatient ward"))
    recorded_by = models.ForeignKey(
        "accreditation.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["institution", "-effective_from"]
        verbose_name = _("institution facts")
        verbose_name_plural = _("institution facts")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "effective_from"], name="facts_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} @ {self.effective_from}"

    def as_facts(self) -> Facts:
        return Facts(
            medical_staff=self.medical_staff,
            service_population=self.service_population,
            beds=self.beds,
            inpatient_ward=self.inpatient_ward,
        )
