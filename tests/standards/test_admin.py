"""The catalogue admin: browsable, editable only for drafts, actions call the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.models import AuditEvent
from standards.models import Edition, Item, RuleSet
from standards.services import catalogue_file_import
from tests.standards.factories import ItemFactory, RuleSetFactory
from tests.standards.helpers import EDITION_YAML, RULESET_YAML

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    catalogue_file_import(actor=None, path=EDITION_YAML)
    catalogue_file_import(actor=None, path=RULESET_YAML)
    return Edition.objects.get(code="THC-TEST")


@pytest.fixture
def draft_item():
    return ItemFactory(section__chapter__edition__code="DRAFT-1")


@pytest.mark.parametrize("model", ["edition", "chapter", "section", "item", "ruleset"])
def test_every_catalogue_list_and_page_opens(admin_client, published, model):
    obj = {
        "edition": published,
        "chapter": published.chapters.first(),
        "section": published.chapters.first().sections.first(),
        "item": published.items.first(),
        "ruleset": published.rule_sets.first(),
    }[model]

    listing = admin_client.get(reverse(f"admin:standards_{model}_changelist"))
    page = admin_client.get(reverse(f"admin:standards_{model}_change", args=[obj.pk]))

    assert (listing.status_code, page.status_code) == (200, 200)


def test_a_published_item_page_is_read_only(admin_client, published):
    item = Item.objects.get(code="1.2.1")

    page = admin_client.get(reverse("admin:standards_item_change", args=[item.pk]))

    content = page.content.decode()
    assert 'name="title"' not in content
    assert 'name="criteria-0-text"' not in content
    assert "开放床位不少于20张" in content


def test_a_draft_item_page_is_editable_with_its_criteria(admin_client, draft_item):
    page = admin_client.get(reverse("admin:standards_item_change", args=[draft_item.pk]))

    content = page.content.decode()
    assert 'name="title"' in content
    assert 'name="criteria-0-text"' in content


def test_changing_a_published_edition_is_refused(admin_client, published):
    response = admin_client.post(
        reverse("admin:standards_edition_change", args=[published.pk]),
        {"code": "THC-TEST", "kind": "thc", "year": 2030, "title": "改"},
    )

    assert response.status_code == 403
    published.refresh_from_db()
    assert (published.year, published.title) == (2022, "乡镇卫生院服务能力标准（测试版）")


def test_deleting_a_published_edition_is_refused(admin_client, published):
    response = admin_client.post(
        reverse("admin:standards_edition_delete", args=[published.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Edition.objects.filter(pk=published.pk).exists()


def test_editing_a_draft_rule_set_saves_and_is_audited(admin_client, admin_user, published):
    rule_set = RuleSetFactory(edition=published, version=2)

    response = admin_client.post(
        reverse("admin:standards_ruleset_change", args=[rule_set.pk]),
        {
            "edition": published.pk,
            "level": "basic",
            "province_code": "",
            "version": 2,
            "min_basic_c": "0.9",
            "min_basic_b": "0.65",
            "min_basic_a": "0.2",
            "includes": "[]",
            "na_excluded": "on",
            "eligibility_combine": "all",
            "eligibility": "[]",
            "must_pass": "[]",
            "source_note": "",
            # Fields with callable defaults carry their initial value, as a browser sends.
            "initial-includes": "[]",
            "initial-eligibility": "[]",
            "initial-must_pass": "[]",
        },
    )

    assert response.status_code == 302
    rule_set.refresh_from_db()
    assert str(rule_set.min_basic_b) == "0.6500"
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.action, event.after) == (
        admin_user,
        "ruleset.admin_change",
        {"fields": ["min_basic_b"]},
    )


def test_publish_action_publishes_a_draft_through_the_service(admin_client, admin_user, draft_item):
    response = admin_client.post(
        reverse("admin:standards_edition_changelist"),
        {"action": "publish", "_selected_action": [draft_item.edition.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert Edition.objects.get(code="DRAFT-1").status == "published"
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.action) == (admin_user, "edition.publish")
    assert [str(m) for m in response.context["messages"]] == [
        f"{Edition.objects.get(code='DRAFT-1')}: published."
    ]


def test_retire_action_reports_an_illegal_transition(admin_client, draft_item):
    response = admin_client.post(
        reverse("admin:standards_edition_changelist"),
        {"action": "retire", "_selected_action": [draft_item.edition.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",  # the site defaults to Chinese; read the English text
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Edition DRAFT-1 is draft; it cannot become retired (allowed from draft: published)."
    ]
    assert Edition.objects.get(code="DRAFT-1").status == "draft"


def test_clone_action_makes_a_draft_copy(admin_client, published):
    admin_client.post(
        reverse("admin:standards_edition_changelist"),
        {"action": "clone", "_selected_action": [published.pk]},
    )
    admin_client.post(
        reverse("admin:standards_edition_changelist"),
        {"action": "clone", "_selected_action": [published.pk]},
    )

    clones = Edition.objects.filter(cloned_from=published).order_by("code")
    assert [(e.code, e.status) for e in clones] == [
        ("THC-TEST-copy", "draft"),
        ("THC-TEST-copy2", "draft"),
    ]
    assert Item.objects.filter(edition=clones[0]).count() == 3


def test_rule_set_publish_action(admin_client, published):
    rule_set = RuleSet.objects.get(level="recommended")

    admin_client.post(
        reverse("admin:standards_ruleset_changelist"),
        {"action": "publish", "_selected_action": [rule_set.pk]},
    )

    rule_set.refresh_from_db()
    assert rule_set.status == "published"
