"""Writes of users and expert profiles."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accreditation.core.audit import audit_record
from accreditation.core.text import text_errors
from accreditation.models import ExpertProfile, Institution, Region, User
from accreditation.permissions import Action, require

Role = User.Role


def _scope_errors(role: str, institution: Institution | None, region: Region | None) -> dict:
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = _("Unknown role.")
        return errors
    if role == Role.INSTITUTION_STAFF:
        if institution is None:
            errors["institution"] = _("Institution staff belong to one institution.")
    elif institution is not None:
        errors["institution"] = _("Only institution staff belong to an institution.")
    if role == Role.COUNTY_REVIEWER and (region is None or region.level != Region.Level.COUNTY):
        errors["region"] = _("A county reviewer is bound to a county.")
    if (
        role == Role.OFFICER
        and region is not None
        and region.level
        not in (
            Region.Level.CITY,
            Region.Level.PROVINCE,
        )
    ):
        errors["region"] = _("An officer is bound to a city, a province, or nothing (national).")
    if role in (Role.INSTITUTION_STAFF, Role.EXPERT, Role.ADMINISTRATOR) and region is not None:
        errors["region"] = _("This role has no region.")
    return errors


def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    role: str,
    institution: Institution | None = None,
    region: Region | None = None,
    full_name: str = "",
    email: str = "",
) -> User:
    """Create a user with a role and the scope that role needs. ``actor`` None means a
    command-line operator. The password must pass the configured validators; None
    creates the account without a usable password (set later by a reset). Raises
    ``ValidationError`` for a taken username, a weak password or a scope that does not
    fit the role; ``PermissionDenied`` unless the actor is an administrator."""
    if actor is not None:
        require(actor, Action.USER_MANAGE)
    errors = _scope_errors(role, institution, region)
    texts = {"username": username, "first_name": full_name, "email": email}
    for name, message in text_errors(User, **texts).items():
        errors["full_name" if name == "first_name" else name] = message
    if not username.strip():
        errors["username"] = _("A username is required.")
    elif "username" not in errors and User.objects.filter(username=username).exists():
        errors["username"] = _("This username is taken.")
    candidate = User(username=username, email=email, first_name=full_name)
    if password is not None:
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            errors["password"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            first_name=full_name,
            role=role,
            institution=institution,
            region=region,
        )
        user.set_password(password)  # None: an unusable password
        user.save()
        audit_record(
            actor=actor,
            action="user.create",
            target=user,
            after={
                "username": username,
                "role": role,
                "institution": institution.pk if institution else None,
                "region": region.code if region else None,
            },
        )
    return user


def user_details_set(*, actor: User | None, user: User, full_name: str, email: str) -> bool:
    """Change a user's full name and e-mail. Returns whether anything changed; nothing
    is written when nothing did. Raises ``PermissionDenied`` unless the actor is an
    administrator (``actor`` None: command line)."""
    if actor is not None:
        require(actor, Action.USER_MANAGE)
    changed = {
        k: v for k, v in (("first_name", full_name), ("email", email)) if getattr(user, k) != v
    }
    if not changed:
        return False
    with transaction.atomic():
        before = {k: getattr(user, k) for k in changed}
        for key, value in changed.items():
            setattr(user, key, value)
        user.save(update_fields=list(changed))
        audit_record(
            actor=actor, action="user.details_set", target=user, before=before, after=changed
        )
    return True


def expert_profile_set(
    *,
    actor: User | None,
    expert: User,
    home_region: Region,
    employer: Institution | None = None,
    specialty: str = "",
    declared_conflicts: Iterable[Institution] = (),
) -> ExpertProfile:
    """Create or replace an expert's profile (employer, home region, specialty and
    declared conflicts). Raises ``ValidationError`` unless ``expert`` has the expert
    role; ``PermissionDenied`` unless the actor is an administrator."""
    if actor is not None:
        require(actor, Action.USER_MANAGE)
    if expert.role != Role.EXPERT:
        raise ValidationError({"expert": _("Only experts have an expert profile.")})
    errors = text_errors(ExpertProfile, specialty=specialty)
    if errors:
        raise ValidationError(errors)
    conflicts = sorted({i.pk for i in declared_conflicts})
    with transaction.atomic():
        profile, created = ExpertProfile.objects.update_or_create(
            user=expert,
            defaults={"home_region": home_region, "employer": employer, "specialty": specialty},
        )
        profile.declared_conflicts.set(conflicts)
        audit_record(
            actor=actor,
            action="expert_profile.set",
            target=expert,
            after={
                "home_region": home_region.code,
                "employer": employer.pk if employer else None,
                "specialty": specialty,
                "declared_conflicts": conflicts,
                "created": created,
            },
        )
    return profile
