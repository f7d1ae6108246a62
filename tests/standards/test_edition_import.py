"""edition_import: creating, re-importing, refusing and replacing editions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accreditation.models import AuditEvent
from standards.exporters import dump_yaml
from standards.importers import EditionData, document_from_text, parse_document, read_file
from standards.models import Criterion, Edition, Item
from standards.samples import sample_edition_document
from standards.selectors import edition_document
from standards.services import edition_import
from tests.standards.factories import RuleSetFactory, UserFactory
from tests.standards.helpers import EDITION_YAML, edition_doc, write_json

pytestmark = pytest.mark.django_db


def edition_from(tmp_path, document, name="THC-TEST.json") -> EditionData:
    data = read_file(write_json(tmp_path / name, document))
    assert isinstance(data, EditionData)
    return data


def draft_doc():
    doc = edition_doc()
    doc["edition"]["status"] = "draft"
    return doc


def test_import_creates_the_tree_and_one_audit_row(row_counts):
    user = UserFactory()
    before = row_counts()

    result = edition_import(actor=user, data=read_file(EDITION_YAML))

    after = row_counts()
    assert {k: after[k] - before[k] for k in after} == {
        "Edition": 1,
        "Chapter": 2,
        "Section": 3,
        "Item": 3,
        "Criterion": 9,
        "RuleSet": 0,
        "AuditEvent": 1,
    }
    assert (result.outcome, result.summary) == (
        "created",
        "edition THC-TEST created (2 chapters, 3 sections, 3 items, published)",
    )
    edition = Edition.objects.get(code="THC-TEST")
    assert edition.status == "published"
    assert edition.published_at is not None
    assert list(Item.objects.filter(edition=edition).values_list("code", "position")) == [
        ("1.1.1", 1),
        ("1.2.1", 2),
        ("2.1.1", 3),
    ]
    c = Criterion.objects.get(item__code="1.2.1", grade="C")
    assert (c.threshold_operator, c.threshold_value) == (">=", 20)
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.target_id, event.note) == (
        user,
        "edition.import",
        str(edition.pk),
        "THC-TEST.yaml",
    )
    assert event.after == {
        "code": "THC-TEST",
        "kind": "thc",
        "year": 2022,
        "title": "乡镇卫生院服务能力标准（测试版）",
        "status": "published",
        "provisional": True,
        "chapters": 2,
        "sections": 3,
        "items": 3,
    }


def test_stored_edition_reads_back_equal_to_the_file():
    data = read_file(EDITION_YAML)
    edition_import(actor=None, data=data)

    assert edition_document(edition=Edition.objects.get(code="THC-TEST")) == data


def test_reimporting_identical_content_writes_nothing(row_counts):
    edition_import(actor=None, data=read_file(EDITION_YAML))
    edition = Edition.objects.get()
    before = row_counts()

    result = edition_import(actor=None, data=read_file(EDITION_YAML))

    assert row_counts() == before
    assert (result.outcome, result.summary) == (
        "unchanged",
        "edition THC-TEST unchanged (published)",
    )
    assert Edition.objects.get().updated_at == edition.updated_at
    assert list(Item.objects.values_list("pk", flat=True)) == list(
        Item.objects.filter(edition=edition).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("status", ["published", "retired"])
def test_changed_content_is_refused_for_a_published_or_retired_edition(
    tmp_path, row_counts, status
):
    doc = edition_doc()
    doc["edition"]["status"] = status
    edition_import(actor=None, data=edition_from(tmp_path, doc))
    doc["chapters"][0]["sections"][0]["items"][0]["title"] = "新标题"
    doc["chapters"].pop()  # drops item 2.1.1
    before = row_counts()

    with pytest.raises(ValidationError) as exc:
        edition_import(actor=None, data=edition_from(tmp_path, doc))

    assert exc.value.messages == [
        f"THC-TEST.json: Edition THC-TEST is {status}, so its content cannot change "
        "(items removed: 2.1.1; items changed: 1.1.1). Import it under a new edition "
        "code, or clone THC-TEST to a draft and import into that."
    ]
    assert row_counts() == before


def test_changed_header_is_refused_for_a_published_edition(tmp_path):
    doc = edition_doc()
    edition_import(actor=None, data=edition_from(tmp_path, doc))
    doc["edition"]["title"] = "另一个标题"

    with pytest.raises(ValidationError) as exc:
        edition_import(actor=None, data=edition_from(tmp_path, doc))

    assert "(title changed)" in exc.value.messages[0]


def test_a_draft_with_different_content_is_replaced(tmp_path, row_counts):
    doc = draft_doc()
    edition_import(actor=None, data=edition_from(tmp_path, doc))
    edition = Edition.objects.get()
    doc["edition"]["title"] = "新标题"
    doc["chapters"].pop()  # drops item 2.1.1
    doc["chapters"][0]["sections"][0]["items"][0]["tier"] = "recommended"
    before = row_counts()

    result = edition_import(actor=None, data=edition_from(tmp_path, doc))

    after = row_counts()
    assert {k: after[k] - before[k] for k in after} == {
        "Edition": 0,
        "Chapter": -1,
        "Section": -1,
        "Item": -1,
        "Criterion": -3,
        "RuleSet": 0,
        "AuditEvent": 1,
    }
    assert (result.outcome, result.summary) == (
        "replaced",
        "edition THC-TEST draft replaced (title changed; items removed: 2.1.1; "
        "items changed: 1.1.1)",
    )
    edition.refresh_from_db()
    assert (edition.title, edition.status) == ("新标题", "draft")
    assert edition_document(edition=edition) == edition_from(tmp_path, doc)
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.before["items"], event.after["items"]) == (
        "edition.replace",
        3,
        2,
    )
    assert event.after["changes"] == [
        "title changed",
        "items removed: 2.1.1",
        "items changed: 1.1.1",
    ]


def test_reordering_items_of_a_draft_is_a_change(tmp_path):
    doc = draft_doc()
    edition_import(actor=None, data=edition_from(tmp_path, doc))
    doc["chapters"].reverse()

    result = edition_import(actor=None, data=edition_from(tmp_path, doc))

    assert result.summary == (
        "edition THC-TEST draft replaced (chapters, sections or item order changed)"
    )
    assert list(Item.objects.order_by("position").values_list("code", flat=True)) == [
        "2.1.1",
        "1.1.1",
        "1.2.1",
    ]


def test_a_draft_is_published_when_the_file_says_published(tmp_path):
    doc = draft_doc()
    edition_import(actor=None, data=edition_from(tmp_path, doc))
    doc["edition"]["status"] = "published"

    result = edition_import(actor=None, data=edition_from(tmp_path, doc))

    assert (result.outcome, result.summary) == (
        "updated",
        "edition THC-TEST content unchanged, now published",
    )
    assert Edition.objects.get().status == "published"
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "edition.import",
        "edition.publish",
    ]


def test_a_retired_edition_stays_retired_when_the_file_still_says_published(tmp_path):
    doc = edition_doc()
    doc["edition"]["status"] = "retired"
    edition_import(actor=None, data=edition_from(tmp_path, doc))
    doc["edition"]["status"] = "published"

    result = edition_import(actor=None, data=edition_from(tmp_path, doc))

    assert result.outcome == "unchanged"
    assert Edition.objects.get().status == "retired"


def test_a_draft_cannot_jump_to_retired(tmp_path, row_counts):
    doc = draft_doc()
    edition_import(actor=None, data=edition_from(tmp_path, doc))
    doc["edition"]["status"] = "retired"
    before = row_counts()

    with pytest.raises(ValidationError) as exc:
        edition_import(actor=None, data=edition_from(tmp_path, doc))

    assert exc.value.messages == [
        "THC-TEST.json: Edition THC-TEST is draft; it cannot become retired "
        "(allowed from draft: published)."
    ]
    assert row_counts() == before


def test_replacing_a_draft_keeps_items_its_rule_sets_require(tmp_path, row_counts):
    doc = draft_doc()
    edition_import(actor=None, data=edition_from(tmp_path, doc))
    RuleSetFactory(edition=Edition.objects.get(), must_pass=[{"item": "2.1.1", "grade": "C"}])
    doc["chapters"].pop()
    before = row_counts()

    with pytest.raises(ValidationError) as exc:
        edition_import(actor=None, data=edition_from(tmp_path, doc))

    assert exc.value.messages == [
        "THC-TEST.json: Edition THC-TEST: THC-TEST basic v1 (national) requires item "
        "2.1.1, which the new content removes."
    ]
    assert row_counts() == before


def test_a_100_item_import_fits_the_query_budget(django_assert_max_num_queries):
    text = dump_yaml(sample_edition_document(code="BIG-1", items=100))
    edition = parse_document(document_from_text(text, source="BIG-1.yaml"))
    assert isinstance(edition, EditionData)
    assert len(edition.items()) == 100

    with django_assert_max_num_queries(20):
        edition_import(actor=None, data=edition)

    assert Item.objects.filter(edition__code="BIG-1").count() == 100
    assert Criterion.objects.filter(item__edition__code="BIG-1").count() == 300
