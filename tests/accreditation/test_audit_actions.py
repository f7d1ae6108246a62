"""The audit log's one vocabulary of actions (``AuditAction``): every place that
records reaches a member, and no two members share a stored value."""

from __future__ import annotations

import pytest
from django.contrib import admin

from accreditation.admin import AuditedAdmin
from accreditation.core.audit import AuditAction
from standards.admin import CatalogueAdmin


def test_no_two_actions_share_a_stored_value():
    assert len(AuditAction.__members__) == len({a.value for a in AuditAction})


def test_every_model_the_admin_audits_has_its_actions():
    audited = [m for m, a in admin.site._registry.items() if isinstance(a, AuditedAdmin)]
    assert audited
    for model in audited:
        for verb in ("add", "change"):
            AuditAction(f"admin.{model._meta.model_name}.{verb}")


def test_every_catalogue_model_edited_in_the_admin_has_its_actions():
    catalogue = [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, CatalogueAdmin)
    ]
    assert catalogue
    models = {m for m, _ in catalogue} | {
        inline.model for _, a in catalogue for inline in a.inlines
    }
    for model in models:
        for verb in ("add", "change", "delete"):
            AuditAction(f"{model._meta.model_name}.admin_{verb}")


@pytest.mark.parametrize("value", ["", "region", "region.renamed", "admin.cycle.add"])
def test_values_outside_the_vocabulary_are_not_actions(value):
    with pytest.raises(ValueError):
        AuditAction(value)
