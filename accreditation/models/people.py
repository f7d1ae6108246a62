from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accreditation.core import roles


class User(AbstractUser):
    """A person using the engine, with one role and the scope that role needs.

    * institution staff: ``institution`` (their own centre);
    * county reviewer: ``region`` (a county);
    * expert: an :class:`ExpertProfile`; sees only what they are assigned;
    * officer: ``region`` (a city or a province), empty for the national level;
    * administrator: no scope.

    A user without a role may sign in but is denied everything (see ``permissions``).
    """

    Role = roles.Role

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    institution = models.ForeignKey(
        "accreditation.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    region = models.ForeignKey(
        "accreditation.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=Q(role="institution_staff", institution__isnull=False)
                | (~Q(role="institution_staff") & Q(institution__isnull=True)),
                name="user_institution_only_for_staff",
            ),
            models.CheckConstraint(
                condition=~Q(role="county_reviewer") | Q(region__isnull=False),
                name="user_county_reviewer_has_region",
            ),
        ]


class ExpertProfile(models.Model):
    """What conflict checks need to know about an expert reviewer."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="expert_profile", primary_key=True
    )
    employer = models.ForeignKey(
        "accreditation.Institution",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employed_experts",
        help_text=_("Empty when the expert does not work at a participating institution."),
    )
    home_region = models.ForeignKey(
        "accreditation.Region",
        verbose_name=_("home region"),
        on_delete=models.PROTECT,
        related_name="experts",
    )
    specialty = models.CharField(_("specialty"), max_length=100, blank=True)
    declared_conflicts = models.ManyToManyField(
        "accreditation.Institution",
        verbose_name=_("declared conflicts"),
        blank=True,
        related_name="conflicted_experts",
        help_text=_("Institutions the expert must not review (e.g. recent employment)."),
    )

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.specialty})" if self.specialty else str(self.user)
