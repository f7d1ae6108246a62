"""edition_publish, edition_retire and edition_clone."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accreditation.models import AuditEvent
from standards.importers import read_file
from standards.models import Criterion, Edition, Item
from standards.selectors import edition_document
from standards.services import edition_clone, edition_import, edition_publish, edition_retire
from tests.standards.factories import EditionFactory, ItemFactory, UserFactory
from tests.standards.helpers import EDITION_YAML

pytestmark = pytest.mark.django_db


def published_edition() -> Edition:
    edition_import(actor=None, data=read_file(EDITION_YAML))
    return Edition.objects.get(code="THC-TEST")


def test_publish_moves_a_draft_to_published_with_an_audit_row():
    user = UserFactory()
    item = ItemFactory()
    edition = item.edition

    edition_publish(actor=user, edition=edition)

    edition.refresh_from_db()
    assert edition.status == "published"
    assert edition.published_at is not None
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.before, event.after) == (
        user,
        "edition.publish",
        {"status": "draft"},
        {"status": "published"},
    )


def test_publish_refuses_an_edition_that_is_already_published():
    edition = published_edition()

    with pytest.raises(ValidationError) as exc:
        edition_publish(actor=None, edition=edition)

    assert exc.value.messages == [
        "Edition THC-TEST is published; it cannot become published (allowed from "
        "published: retired)."
    ]
    assert AuditEvent.objects.filter(action="edition.publish").count() == 0


def test_publish_refuses_a_draft_with_an_incomplete_item():
    item = ItemFactory(section__chapter__edition__code="DRAFT-1")
    Criterion.objects.filter(item=item, grade="B").delete()

    with pytest.raises(ValidationError) as exc:
        edition_publish(actor=None, edition=item.edition)

    assert exc.value.messages == [
        "Edition DRAFT-1: chapters[0].sections[0].items[0] (code 1.1.1): field 'criteria': "
        "grade B is missing; C, B and A are all required"
    ]
    assert Edition.objects.get(code="DRAFT-1").status == "draft"


def test_publish_refuses_a_draft_without_items():
    edition = EditionFactory(code="EMPTY-1")

    with pytest.raises(ValidationError) as exc:
        edition_publish(actor=None, edition=edition)

    assert exc.value.messages == ["Edition EMPTY-1: field 'chapters': must not be empty"]


def test_retire_moves_published_to_retired():
    edition = published_edition()

    edition_retire(actor=None, edition=edition)

    edition.refresh_from_db()
    assert edition.status == "retired"
    assert AuditEvent.objects.latest("id").action == "edition.retire"


def test_retire_refuses_a_draft():
    edition = EditionFactory(code="DRAFT-2")

    with pytest.raises(ValidationError) as exc:
        edition_retire(actor=None, edition=edition)

    assert exc.value.messages == [
        "Edition DRAFT-2 is draft; it cannot become retired (allowed from draft: published)."
    ]


def test_a_retired_edition_cannot_be_published_again():
    edition = published_edition()
    edition_retire(actor=None, edition=edition)

    with pytest.raises(ValidationError) as exc:
        edition_publish(actor=None, edition=edition)

    assert exc.value.messages == [
        "Edition THC-TEST is retired; it cannot become published (allowed from retired: none)."
    ]


def test_clone_makes_a_draft_copy_of_a_published_edition():
    original = published_edition()
    user = UserFactory()

    clone = edition_clone(actor=user, edition=original, new_code="THC-TEST-2")

    assert (clone.code, clone.status, clone.cloned_from) == ("THC-TEST-2", "draft", original)
    copied = edition_document(edition=clone)
    source = edition_document(edition=original)
    assert copied.chapters == source.chapters
    assert (copied.title, copied.kind, copied.year) == (source.title, source.kind, source.year)
    assert Item.objects.filter(edition=clone).count() == 3
    assert Criterion.objects.filter(item__edition=clone).count() == 9
    assert Item.objects.filter(edition=original).count() == 3
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.action, event.note) == (
        user,
        "edition.clone",
        "cloned from THC-TEST",
    )


def test_clone_refuses_a_code_in_use():
    original = published_edition()

    with pytest.raises(ValidationError) as exc:
        edition_clone(actor=None, edition=original, new_code="THC-TEST")

    assert exc.value.messages == ["Edition THC-TEST already exists; choose another code."]


def test_clone_refuses_a_malformed_code():
    original = published_edition()

    with pytest.raises(ValidationError) as exc:
        edition_clone(actor=None, edition=original, new_code="THC 2023")

    assert exc.value.messages == [
        "'THC 2023' is not a valid edition code (letters, digits and dashes, at most 40)."
    ]
    assert Edition.objects.count() == 1
