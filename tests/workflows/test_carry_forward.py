"""Carrying last cycle's accepted grading into the next: proposals the staff confirm or
change, changed and new items flagged, codes followed through a crosswalk, refusals
that open nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accreditation.core.errors import DomainError, IncompleteError, NotEditable
from accreditation.models import Assessment, AuditEvent, EvidenceAttachment, ItemGrade
from accreditation.services.assessments import assessment_open, item_grade_save
from accreditation.services.carry import assessment_carry_forward, carried_confirm
from accreditation.services.evidence import evidence_upload
from accreditation.services.submission import assessment_submit
from standards.crosswalks import crosswalk_file_import
from standards.importers import CatalogueFileError
from standards.models import Criterion, Item
from tests.factories import ITEMS, make_edition
from tests.files import PDF
from tests.workflows.helpers import CODES, next_cycle, recognise_all

Carry = ItemGrade.Carry


@pytest.fixture
def last_year(world, experts):
    """Institution A recognised in 2026 with every item at A, and evidence on 1.1.1."""
    evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=SimpleUploadedFile("制度.pdf", PDF),
    )
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [(world.assessment_a, world.staff_a, world.reviewer_a, "A")],
    )
    return world.assessment_a


def _next_cycle(world, edition):
    return next_cycle(world, edition)


def _rows(assessment) -> dict[str, tuple[str, str]]:
    return dict(
        (code, (grade, carry))
        for code, grade, carry in ItemGrade.objects.filter(assessment=assessment).values_list(
            "item_code", "grade", "carry"
        )
    )


def test_the_same_edition_carries_everything_as_proposals(world, last_year):
    cycle = _next_cycle(world, last_year.edition)
    opened = assessment_open(
        actor=world.staff_a,
        cycle=cycle,
        institution=world.institution_a,
        target_level="basic",
        carry_forward=True,
    )
    assert opened.carried_from_id == last_year.pk
    rows = _rows(opened)
    assert set(rows.values()) == {("A", Carry.PROPOSED)}

    def links(assessment):
        return sorted(
            EvidenceAttachment.objects.filter(assessment=assessment).values_list(
                "item_code", "name", "evidence_id"
            )
        )

    assert ("1.1.1", "制度.pdf") in [(code, name) for code, name, _ in links(opened)]
    assert links(opened) == links(last_year)  # the same stored files: no new upload
    event = AuditEvent.objects.get(action="assessment.carry_forward", assessment=opened)
    assert event.after["proposed"] == len(CODES)


def test_a_new_edition_flags_changed_and_new_items_and_follows_the_crosswalk(
    world, last_year, tmp_path
):
    # The 2027 edition renames 1.1.4 to 1.1.9, rewrites 2.1.1's B criterion and drops
    # nothing; 2.1.2 is renamed without a crosswalk entry, so it counts as new.
    items = [
        ("1.1.9" if code == "1.1.4" else "2.1.9" if code == "2.1.2" else code, *rest)
        for code, *rest in ITEMS
    ]
    edition = make_edition(code="THC-2027", items=items)
    # The factory's titles hold the code; the renamed item keeps its text.
    Item.objects.filter(edition=edition, code="1.1.9").update(title="条款 1.1.4")
    Criterion.objects.filter(item__edition=edition, item__code="2.1.1", grade="B").update(
        text="B级要求（2027年修订）"
    )
    path = tmp_path / "crosswalk.yaml"
    path.write_text(
        f"format: crosswalk/1\nfrom: {last_year.edition.code}\nto: THC-2027\n"
        'codes:\n  "1.1.4": "1.1.9"\n',
        encoding="utf-8",
    )
    crosswalk_file_import(actor=None, path=path)
    cycle = _next_cycle(world, edition)
    opened = assessment_open(
        actor=world.staff_a, cycle=cycle, institution=world.institution_a, target_level="basic"
    )
    result = assessment_carry_forward(actor=world.staff_a, assessment=opened)
    assert result.changed == ["2.1.1"]
    assert result.new == ["2.1.9"]
    assert "1.1.9" in result.proposed
    rows = _rows(opened)
    assert rows["1.1.9"] == ("A", Carry.PROPOSED)  # through the crosswalk
    assert rows["2.1.1"] == ("", Carry.CHANGED)  # never carried silently
    assert rows["2.1.9"] == ("", Carry.NEW)


def test_proposals_block_submission_until_confirmed_or_changed(world, last_year):
    cycle = _next_cycle(world, last_year.edition)
    opened = assessment_open(
        actor=world.staff_a,
        cycle=cycle,
        institution=world.institution_a,
        target_level="basic",
        carry_forward=True,
    )
    with pytest.raises(IncompleteError) as refused:
        assessment_submit(actor=world.staff_a, assessment=opened)
    carried = [p for p in refused.value.problems if p.code == "carried_unconfirmed"]
    assert len(carried) == len(CODES)
    # Saving an item unchanged confirms it; changing it too.
    row = ItemGrade.objects.get(assessment=opened, item_code="1.1.1")
    saved = item_grade_save(
        actor=world.staff_a,
        assessment=opened,
        item_code="1.1.1",
        expected_version=row.version,
        grade="A",
    )
    assert saved.carry == Carry.CONFIRMED
    confirmed = carried_confirm(actor=world.staff_a, assessment=opened)
    assert sorted(confirmed) == sorted(set(CODES) - {"1.1.1"})
    assert set(c for _, c in _rows(opened).values()) == {Carry.CONFIRMED}
    assert carried_confirm(actor=world.staff_a, assessment=opened) == []


def test_incompatible_editions_are_refused_and_nothing_opens(world, last_year):
    cycle = _next_cycle(world, make_edition(kind="chc", code="CHC-2027"))
    # The institution's kind decides the standard: give the cycle a THC standard from
    # the community edition to model a province configuring the wrong edition.
    cycle.standards.update(kind="thc")
    before = (Assessment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as refused:
        assessment_open(
            actor=world.staff_a,
            cycle=cycle,
            institution=world.institution_a,
            target_level="basic",
            carry_forward=True,
        )
    assert refused.value.code == "incompatible_editions"
    assert "CHC-2027" in str(refused.value.message)
    assert (Assessment.objects.count(), AuditEvent.objects.count()) == before


def test_nothing_to_carry_and_no_second_carry(world, last_year):
    cycle = _next_cycle(world, last_year.edition)
    with pytest.raises(DomainError) as refused:
        assessment_open(
            actor=world.staff_b,
            cycle=cycle,
            institution=world.institution_b,
            target_level="basic",
            carry_forward=True,
        )
    assert refused.value.code == "nothing_to_carry"
    assert not Assessment.objects.filter(cycle=cycle).exists()
    opened = assessment_open(
        actor=world.staff_a,
        cycle=cycle,
        institution=world.institution_a,
        target_level="basic",
        carry_forward=True,
    )
    with pytest.raises(NotEditable):
        assessment_carry_forward(actor=world.staff_a, assessment=opened)


def test_a_crosswalk_file_with_errors_is_refused_whole(world, last_year, tmp_path):
    other = make_edition(kind="chc", code="CHC-X")
    path = tmp_path / "bad.yaml"
    path.write_text(
        f"format: crosswalk/1\nfrom: {last_year.edition.code}\nto: CHC-X\n"
        'codes:\n  "9.9.9": "1.1.1"\n  "1.1.1": "8.8.8"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueFileError) as refused:
        crosswalk_file_import(actor=None, path=path)
    text = "\n".join(refused.value.errors)
    assert "a crosswalk joins editions of one institution kind" in text
    assert "line 5: codes.9.9.9: no item 9.9.9" in text
    assert "line 6: codes.1.1.1: no item 8.8.8 in CHC-X" in text
    assert not other.crosswalks_in.exists()
    assert Item.objects.filter(edition=other).count() == len(CODES)
