"""Reads of institution facts, their imports and challenges, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accreditation.models import FactChallenge, FactImport, InstitutionFact, User
from accreditation.scope import user_scope

Role = User.Role


def _active(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role
    )


def _filtered(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs.none() if q is None else qs.filter(q)


def facts_visible_to(user: Any) -> QuerySet[InstitutionFact]:
    """Fact values of the institutions in ``user``'s scope, with their institution and
    import (one query for any number of rows)."""
    if not _active(user):
        return InstitutionFact.objects.none()
    return _filtered(
        InstitutionFact.objects.select_related("institution", "fact_import"),
        user_scope(user).institution_q("institution"),
    )


def fact_challenges_visible_to(user: Any) -> QuerySet[FactChallenge]:
    """Challenges of facts in ``user``'s scope, with the fact, institution and people."""
    if not _active(user):
        return FactChallenge.objects.none()
    return _filtered(
        FactChallenge.objects.select_related(
            "fact__institution", "fact__fact_import", "raised_by", "decided_by"
        ),
        user_scope(user).institution_q("fact__institution"),
    )


def fact_imports_visible_to(user: Any) -> QuerySet[FactImport]:
    """Import records: administrators see every one, officers their own."""
    if not _active(user):
        return FactImport.objects.none()
    qs = FactImport.objects.select_related("imported_by")
    if user.role == Role.ADMINISTRATOR:
        return qs
    if user.role == Role.OFFICER:
        return qs.filter(imported_by=user)
    return qs.none()


def facts_for_institution(*, user: Any, institution_id: int) -> list[InstitutionFact]:
    """The institution's fact values newest year first, each with its open challenge
    (``open_challenge``, or None) and its import: two queries."""
    facts = list(
        facts_visible_to(user).filter(institution_id=institution_id).order_by("-year", "key")
    )
    open_by_fact = {
        c.fact_id: c
        for c in FactChallenge.objects.filter(
            fact__in=facts, status=FactChallenge.Status.OPEN
        ).only("id", "fact_id", "proposed_value", "due_on")
    }
    for fact in facts:
        fact.open_challenge = open_by_fact.get(fact.pk)  # type: ignore[attr-defined]
    return facts


def fact_get_for_user(*, user: Any, fact_id: int) -> InstitutionFact | None:
    return facts_visible_to(user).filter(pk=fact_id).first()


def challenge_get_for_user(*, user: Any, challenge_id: int) -> FactChallenge | None:
    return fact_challenges_visible_to(user).filter(pk=challenge_id).first()


def challenges_queue(*, user: Any, status: str = "open", limit: int = 200) -> list[FactChallenge]:
    """The challenges in ``user``'s scope with ``status``, soonest due first: one query."""
    return list(
        fact_challenges_visible_to(user).filter(status=status).order_by("due_on", "id")[:limit]
    )


def fact_imports_recent(*, user: Any, limit: int = 20) -> list[FactImport]:
    return list(fact_imports_visible_to(user)[:limit])
