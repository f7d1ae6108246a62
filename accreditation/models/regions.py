from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative division: province -> city -> county -> township.

    ``path`` is the chain of division codes from the province down, each followed by a
    slash (``"440000/440100/440106/"``), so "this region and everything below it" is one
    indexed ``path__startswith`` filter. It is derived from the parent on save; regions
    are not moved once created.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County / district")
        TOWNSHIP = "township", _("Township / sub-district")

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=120, unique=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="province", parent__isnull=True)
                | (~models.Q(level="province") & models.Q(parent__isnull=False)),
                name="region_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        self.path = (self.parent.path if self.parent is not None else "") + f"{self.code}/"
        super().save(*args, **kwargs)

    def contains(self, other: "Region") -> bool:
        """True when ``other`` is this region or lies below it."""
        return other.path.startswith(self.path)


#: The level a region's parent must have.
PARENT_LEVEL: dict[str, str | None] = {
    Region.Level.PROVINCE: None,
    Region.Level.CITY: Region.Level.PROVINCE,
    Region.Level.COUNTY: Region.Level.CITY,
    Region.Level.TOWNSHIP: Region.Level.COUNTY,
}
