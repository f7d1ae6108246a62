"""ruleset_import, ruleset_publish and ruleset_retire."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accreditation.models import AuditEvent
from standards.importers import RuleSetFileData, read_file
from standards.models import Edition, RuleSet
from standards.selectors import rule_specs_in_force
from standards.services import (
    catalogue_file_import,
    edition_import,
    ruleset_import,
    ruleset_publish,
    ruleset_retire,
)
from tests.standards.factories import RuleSetFactory
from tests.standards.helpers import EDITION_YAML, RULESET_YAML, ruleset_doc, write_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    edition_import(actor=None, data=read_file(EDITION_YAML))
    return Edition.objects.get(code="THC-TEST")


def rule_sets_from(tmp_path, document) -> RuleSetFileData:
    data = read_file(write_json(tmp_path / "rules.json", document))
    assert isinstance(data, RuleSetFileData)
    return data


def test_import_creates_every_rule_set_with_an_audit_row(edition, row_counts):
    before = row_counts()

    result = ruleset_import(actor=None, data=read_file(RULESET_YAML))

    after = row_counts()
    assert (after["RuleSet"] - before["RuleSet"], after["AuditEvent"] - before["AuditEvent"]) == (
        3,
        3,
    )
    assert result.summary == "3 rule sets for THC-TEST: 3 created"
    basic = RuleSet.objects.get(level="basic")
    assert (basic.status, basic.min_basic_b, basic.must_pass) == (
        "published",
        Decimal("0.6"),
        [{"item": "1.1.1", "grade": "C"}],
    )
    qualified = RuleSet.objects.get(level="qualified")
    assert qualified.eligibility == [
        {"fact": "medical_staff", "op": "<", "value": 10},
        {"fact": "service_population", "op": "<", "value": 10000},
    ]
    assert set(rule_specs_in_force(edition=edition)) == {"qualified", "basic"}
    assert set(
        AuditEvent.objects.filter(action="ruleset.import").values_list("target_id", flat=True)
    ) == {str(pk) for pk in RuleSet.objects.values_list("pk", flat=True)}


def test_reimporting_identical_rule_sets_writes_nothing(edition, row_counts):
    ruleset_import(actor=None, data=read_file(RULESET_YAML))
    before = row_counts()

    result = ruleset_import(actor=None, data=read_file(RULESET_YAML))

    assert row_counts() == before
    assert (result.outcome, result.summary) == (
        "unchanged",
        "3 rule sets for THC-TEST: 3 unchanged",
    )


def test_changed_published_rule_set_is_refused_and_needs_a_new_version(
    edition, tmp_path, row_counts
):
    doc = ruleset_doc()
    ruleset_import(actor=None, data=rule_sets_from(tmp_path, doc))
    doc["rule_sets"][1]["basic_min"]["B"] = 0.65
    before = row_counts()

    with pytest.raises(ValidationError) as exc:
        ruleset_import(actor=None, data=rule_sets_from(tmp_path, doc))

    assert exc.value.messages == [
        "rules.json: rule_sets[1] (level basic v1): Rule set THC-TEST basic v1 (national) is "
        "published and cannot change; give the changed rule set a new version number (v2)."
    ]
    assert row_counts() == before


def test_a_changed_rule_set_under_a_new_version_is_added(edition, tmp_path):
    doc = ruleset_doc()
    ruleset_import(actor=None, data=rule_sets_from(tmp_path, doc))
    changed = dict(doc["rule_sets"][1], version=2, basic_min={"C": 0.9, "B": 0.65, "A": 0.2})
    doc["rule_sets"].append(changed)

    result = ruleset_import(actor=None, data=rule_sets_from(tmp_path, doc))

    assert result.summary == "4 rule sets for THC-TEST: 1 created, 3 unchanged"
    assert rule_specs_in_force(edition=edition)["basic"].version == 2


def test_a_changed_draft_rule_set_is_updated(edition, tmp_path):
    doc = ruleset_doc()
    ruleset_import(actor=None, data=rule_sets_from(tmp_path, doc))
    doc["rule_sets"][2]["recommended_min_C"] = 0.7

    result = ruleset_import(actor=None, data=rule_sets_from(tmp_path, doc))

    assert result.summary == "3 rule sets for THC-TEST: 1 updated, 2 unchanged"
    assert RuleSet.objects.get(level="recommended").min_recommended_c == Decimal("0.7")
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.before["recommended_min_C"], event.after["recommended_min_C"]) == (
        "ruleset.update",
        "0.6",
        "0.7",
    )


def test_rule_sets_for_an_unknown_edition_are_refused(tmp_path, row_counts):
    before = row_counts()

    with pytest.raises(ValidationError) as exc:
        catalogue_file_import(actor=None, path=RULESET_YAML)

    assert exc.value.messages == [
        "THC-TEST-rules.yaml: Edition THC-TEST does not exist; import it first."
    ]
    assert row_counts() == before


def test_ruleset_publish_and_retire_follow_the_transition_map(edition):
    rule_set = RuleSetFactory(edition=edition, must_pass=[{"item": "2.1.1", "grade": "B"}])

    ruleset_publish(actor=None, rule_set=rule_set)
    rule_set.refresh_from_db()
    assert rule_set.status == "published"

    ruleset_retire(actor=None, rule_set=rule_set)
    rule_set.refresh_from_db()
    assert rule_set.status == "retired"
    assert list(
        AuditEvent.objects.filter(target_type="standards.ruleset")
        .values_list("action", flat=True)
        .order_by("id")
    ) == [
        "ruleset.publish",
        "ruleset.retire",
    ]

    with pytest.raises(ValidationError) as exc:
        ruleset_publish(actor=None, rule_set=rule_set)
    assert exc.value.messages == [
        "Rule set THC-TEST basic v1 (national) is retired; it cannot become published "
        "(allowed from retired: none)."
    ]


def test_ruleset_publish_refuses_missing_must_pass_items(edition):
    rule_set = RuleSetFactory(edition=edition, must_pass=[{"item": "9.9.9", "grade": "C"}])

    with pytest.raises(ValidationError) as exc:
        ruleset_publish(actor=None, rule_set=rule_set)

    assert exc.value.messages == [
        "Rule set THC-TEST basic v1 (national): must-pass items 9.9.9 do not exist in "
        "edition THC-TEST."
    ]
    rule_set.refresh_from_db()
    assert rule_set.status == "draft"
