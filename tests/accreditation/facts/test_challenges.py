"""Challenges of imported values: raised by the institution, answered by the county."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accreditation.core.errors import InvalidTransition, NotEditable
from accreditation.excel.reading import ImportRefused
from accreditation.models import AuditEvent, FactChallenge, InstitutionFact
from accreditation.services.facts import (
    CHALLENGE_ANSWER_DAYS,
    fact_challenge_accept,
    fact_challenge_raise,
    fact_challenge_reject,
    fact_set,
    facts_import,
)
from tests.accreditation.facts.helpers import xlsx


@pytest.fixture
def beds(world) -> InstitutionFact:
    data = xlsx([[world.institution_a.licence_number, "", 30, 45, 32000]])
    facts_import(actor=world.officer_city, data=data, file_format="xlsx", year=2026)
    return InstitutionFact.objects.get(institution=world.institution_a, key="beds")


def state(fact):
    fact.refresh_from_db()
    return (
        fact.value,
        fact.source,
        fact.version,
        FactChallenge.objects.count(),
        AuditEvent.objects.count(),
    )


def test_staff_challenge_with_reason_and_proposed_value(world, beds):
    challenge = fact_challenge_raise(
        actor=world.staff_a, fact=beds, proposed_value="32", reason="新增两张床位"
    )
    assert (challenge.status, challenge.disputed_value, challenge.proposed_value) == (
        "open",
        Decimal("30"),
        Decimal("32"),
    )
    assert challenge.due_on == timezone.localdate() + dt.timedelta(days=CHALLENGE_ANSWER_DAYS)
    event = AuditEvent.objects.get(action="fact_challenge.raise")
    assert (event.actor, event.after["proposed"]) == (world.staff_a, "32.00")


def test_accepting_updates_the_value_and_its_provenance(world, beds):
    challenge = fact_challenge_raise(
        actor=world.staff_a, fact=beds, proposed_value=32, reason="新增两张床位"
    )
    fact_challenge_accept(actor=world.reviewer_a, challenge=challenge, comment="核实无误")
    beds.refresh_from_db()
    challenge.refresh_from_db()
    assert (beds.value, beds.source, beds.challenge, beds.fact_import, beds.version) == (
        Decimal("32"),
        "challenge",
        challenge,
        None,
        2,
    )
    assert (challenge.status, challenge.decided_by, challenge.comment) == (
        "accepted",
        world.reviewer_a,
        "核实无误",
    )
    event = AuditEvent.objects.get(action="fact_challenge.accept")
    assert (event.before["value"], event.after["value"], event.after["source"]) == (
        "30.00",
        "32.00",
        "challenge",
    )


def test_rejecting_needs_a_comment_and_keeps_the_value(world, beds):
    challenge = fact_challenge_raise(actor=world.staff_a, fact=beds, proposed_value=32, reason="x")
    before = state(beds)
    with pytest.raises(ValidationError):
        fact_challenge_reject(actor=world.reviewer_a, challenge=challenge, comment="  ")
    assert state(beds) == before
    fact_challenge_reject(actor=world.reviewer_a, challenge=challenge, comment="年报数据为准")
    challenge.refresh_from_db()
    assert (challenge.status, challenge.comment) == ("rejected", "年报数据为准")
    assert state(beds)[:3] == (Decimal("30"), "import", 1)


def test_an_answered_challenge_cannot_be_answered_again(world, beds):
    challenge = fact_challenge_raise(actor=world.staff_a, fact=beds, proposed_value=32, reason="x")
    fact_challenge_reject(actor=world.reviewer_a, challenge=challenge, comment="no")
    before = state(beds)
    with pytest.raises(InvalidTransition):
        fact_challenge_accept(actor=world.reviewer_a, challenge=challenge)
    assert state(beds) == before


def test_one_open_challenge_per_value(world, beds):
    fact_challenge_raise(actor=world.staff_a, fact=beds, proposed_value=32, reason="x")
    before = state(beds)
    with pytest.raises(NotEditable):
        fact_challenge_raise(actor=world.staff_a2, fact=beds, proposed_value=33, reason="y")
    assert state(beds) == before


@pytest.mark.parametrize(
    ("proposed", "reason", "field"),
    [("32", "", "reason"), ("abc", "x", "proposed_value"), ("30", "x", "proposed_value")],
)
def test_a_challenge_needs_a_reason_and_a_new_number(world, beds, proposed, reason, field):
    before = state(beds)
    with pytest.raises(ValidationError) as info:
        fact_challenge_raise(actor=world.staff_a, fact=beds, proposed_value=proposed, reason=reason)
    assert list(info.value.message_dict) == [field]
    assert state(beds) == before


@pytest.mark.parametrize("who", ["staff_b", "reviewer_a", "officer_city", "administrator"])
def test_only_the_institutions_staff_may_challenge(world, beds, who):
    before = state(beds)
    with pytest.raises(PermissionDenied):
        fact_challenge_raise(actor=getattr(world, who), fact=beds, proposed_value=1, reason="x")
    assert state(beds) == before


@pytest.mark.parametrize("who", ["staff_a", "reviewer_b", "officer_other_city", "expert"])
def test_only_the_county_in_scope_may_answer(world, beds, who):
    challenge = fact_challenge_raise(actor=world.staff_a, fact=beds, proposed_value=32, reason="x")
    before = state(beds)
    with pytest.raises(PermissionDenied):
        fact_challenge_accept(actor=getattr(world, who), challenge=challenge)
    assert state(beds) == before


def test_an_import_may_not_overwrite_a_challenged_value(world, beds):
    fact_challenge_raise(actor=world.staff_a, fact=beds, proposed_value=32, reason="x")
    before = state(beds)
    data = xlsx([[world.institution_a.licence_number, "", 31, 45, 32000]])
    with pytest.raises(ImportRefused) as info:
        facts_import(actor=world.officer_city, data=data, file_format="xlsx", year=2026)
    assert [(e.row, e.column) for e in info.value.errors] == [(2, "C")]
    assert state(beds) == before


def test_manual_entry_records_its_source(world, beds):
    fact = fact_set(
        actor=world.reviewer_a, institution=world.institution_a, year=2026, key="beds", value=29
    )
    assert (fact.value, fact.source, fact.fact_import, fact.version) == (
        Decimal("29"),
        "manual",
        None,
        2,
    )
    with pytest.raises(ValidationError):
        fact_set(
            actor=world.reviewer_a, institution=world.institution_a, year=2026, key="x", value=1
        )
    with pytest.raises(PermissionDenied):
        fact_set(
            actor=world.staff_a, institution=world.institution_a, year=2026, key="beds", value=1
        )


def test_the_county_is_reminded_once_and_told_when_overdue(
    world, beds, mailoutbox, django_capture_on_commit_callbacks
):
    from accreditation.models import FactChallengeNotice
    from accreditation.services.facts import fact_challenge_reminders_send

    world.reviewer_a.email = "reviewer_a@county.example.cn"
    world.reviewer_a.save(update_fields=["email"])
    challenge = fact_challenge_raise(
        actor=world.staff_a, fact=beds, proposed_value="20", reason="床位已调整"
    )
    assert fact_challenge_reminders_send(on=challenge.due_on - dt.timedelta(days=10)) == []
    with django_capture_on_commit_callbacks(execute=True):
        soon = fact_challenge_reminders_send(on=challenge.due_on - dt.timedelta(days=1))
    # The county reviewer covering institution A only (not county B's).
    assert [(n.recipient, n.kind) for n in soon] == [(world.reviewer_a, "reminder")]
    assert [m.to for m in mailoutbox] == [[world.reviewer_a.email]]
    assert fact_challenge_reminders_send(on=challenge.due_on - dt.timedelta(days=1)) == []
    late = fact_challenge_reminders_send(on=challenge.due_on + dt.timedelta(days=1))
    assert [(n.recipient, n.kind) for n in late] == [(world.reviewer_a, "overdue")]
    assert FactChallengeNotice.objects.count() == 2
    fact_challenge_accept(actor=world.reviewer_a, challenge=challenge)
    assert fact_challenge_reminders_send(on=challenge.due_on + dt.timedelta(days=2)) == []
