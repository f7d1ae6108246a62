"""Writes to rule sets: import from file data, publish, retire. A published rule set
version never changes; a changed rule set comes with a new version number."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import audit_record
from accreditation.models import User
from standards.importers.types import RuleSetData, RuleSetFileData
from standards.models import Edition, Item, PublicationStatus, RuleSet
from standards.selectors import rule_set_data
from standards.services.common import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportResult,
    file_status_target,
    prefixed,
    publication_status_set,
    transition_check,
)

CONTENT_FIELDS = (
    "provisional",
    "source_note",
    "min_basic_c",
    "min_basic_b",
    "min_basic_a",
    "min_recommended_c",
    "includes",
    "na_excluded",
    "eligibility_combine",
    "eligibility",
    "must_pass",
)


def ruleset_payload(data: RuleSetData) -> dict[str, Any]:
    """A rule set as a JSON-serialisable audit payload."""

    def share(value: Any) -> str | None:
        return None if value is None else format(value.normalize(), "f")

    return {
        "level": data.level,
        "province_code": data.province_code,
        "version": data.version,
        "status": data.status,
        "provisional": data.provisional,
        "basic_min": {
            "C": share(data.min_basic_c),
            "B": share(data.min_basic_b),
            "A": share(data.min_basic_a),
        },
        "recommended_min_C": share(data.min_recommended_c),
        "includes": list(data.includes),
        "na_excluded": data.na_excluded,
        "eligibility": {
            "combine": data.eligibility_combine,
            "conditions": [c.as_dict() for c in data.eligibility],
        },
        "must_pass": [{"item": m.item, "grade": m.grade} for m in data.must_pass],
    }


def _model_values(data: RuleSetData) -> dict[str, Any]:
    return {
        "provisional": data.provisional,
        "source_note": data.source_note,
        "min_basic_c": data.min_basic_c,
        "min_basic_b": data.min_basic_b,
        "min_basic_a": data.min_basic_a,
        "min_recommended_c": data.min_recommended_c,
        "includes": list(data.includes),
        "na_excluded": data.na_excluded,
        "eligibility_combine": data.eligibility_combine,
        "eligibility": [c.as_dict() for c in data.eligibility],
        "must_pass": [{"item": m.item, "grade": m.grade} for m in data.must_pass],
    }


@transaction.atomic
def ruleset_import(*, actor: User | None, data: RuleSetFileData) -> ImportResult:
    """Create or update the rule sets of ``data`` for edition ``data.edition``.

    Guarantees: all or nothing; a rule set (level, province, version) that exists with
    the same content is left alone (no rows, no audit); a new one is created; a draft
    with different content is updated; the file's status is applied when it is later
    than the stored one. Rule sets in the database but not in the file are kept.

    Raises ``ValidationError`` listing every problem: unknown edition, must-pass items
    missing from the edition, a published or retired rule set whose content differs
    (it needs a new version number), or a status change that is not allowed.
    """
    edition = Edition.objects.filter(code=data.edition).first()
    if edition is None:
        raise ValidationError(
            prefixed(
                data.source,
                _("Edition %(code)s does not exist; import it first.") % {"code": data.edition},
            )
        )
    item_codes = set(Item.objects.filter(edition=edition).values_list("code", flat=True))
    existing = {
        (rs.level, rs.province_code, rs.version): rs
        for rs in RuleSet.objects.select_for_update().filter(edition=edition)
    }
    errors: list[str] = []
    plan: list[tuple[RuleSetData, RuleSet | None, str | None]] = []
    for rs in data.rule_sets:
        where = prefixed(data.source, rs.where) if rs.where else data.source
        label = rs.label(data.edition)
        errors += [
            prefixed(
                where,
                _("must-pass item %(item)s does not exist in edition %(code)s")
                % {"item": m.item, "code": data.edition},
            )
            for m in rs.must_pass
            if m.item not in item_codes
        ]
        current = existing.get(rs.key)
        if current is None:
            plan.append((rs, None, None))
            continue
        try:
            target = file_status_target(label=label, current=current.status, wanted=rs.status)
        except ValidationError as exc:
            errors += [prefixed(where, m) for m in exc.messages]
            continue
        if rule_set_data(current).same_content(rs):
            plan.append((rs, current, target))
        elif not current.is_editable:
            keys = [*existing, *(r.key for r in data.rule_sets)]
            latest = max(v for (lv, pc, v) in keys if (lv, pc) == rs.key[:2])
            errors.append(
                prefixed(
                    where,
                    _(
                        "%(label)s is %(status)s and cannot change; give the changed rule "
                        "set a new version number (v%(version)s)."
                    )
                    % {"label": label, "status": current.status, "version": latest + 1},
                )
            )
        else:
            plan.append((rs, current, target))
    if errors:
        raise ValidationError(errors)

    outcomes: Counter[str] = Counter()
    for rs, current, target in plan:
        if current is None:
            created = RuleSet.objects.create(
                edition=edition,
                level=rs.level,
                province_code=rs.province_code,
                version=rs.version,
                status=rs.status,
                published_at=None if rs.status == PublicationStatus.DRAFT else timezone.now(),
                **_model_values(rs),
            )
            audit_record(
                actor=actor,
                action="ruleset.import",
                target=created,
                after=ruleset_payload(rs),
                note=data.source,
            )
            outcomes[CREATED] += 1
            continue
        old = rule_set_data(current)
        if not old.same_content(rs):
            for name, value in _model_values(rs).items():
                setattr(current, name, value)
            current.save(update_fields=[*CONTENT_FIELDS, "updated_at"])
            audit_record(
                actor=actor,
                action="ruleset.update",
                target=current,
                before=ruleset_payload(old),
                after=ruleset_payload(rs),
                note=data.source,
            )
        if target is not None:
            publication_status_set(actor=actor, obj=current, target=target, note=data.source)
        outcomes[UPDATED if target is not None or not old.same_content(rs) else UNCHANGED] += 1
    counts = ", ".join(f"{outcomes[k]} {k}" for k in (CREATED, UPDATED, UNCHANGED) if outcomes[k])
    overall = CREATED if outcomes[CREATED] else UPDATED if outcomes[UPDATED] else UNCHANGED
    return ImportResult(
        overall,
        f"{len(data.rule_sets)} rule sets for {data.edition}: {counts}",
        created=outcomes[CREATED],
        changed=outcomes[UPDATED],
    )


@transaction.atomic
def ruleset_publish(*, actor: User | None, rule_set: RuleSet) -> RuleSet:
    """Publish a draft rule set; from then on it is immutable. Raises
    ``ValidationError`` for any other status or when a must-pass item is missing."""
    rule_set = RuleSet.objects.select_for_update().select_related("edition").get(pk=rule_set.pk)
    transition_check(
        label=_("Rule set %(rule_set)s") % {"rule_set": rule_set},
        current=rule_set.status,
        target=PublicationStatus.PUBLISHED,
    )
    codes = set(Item.objects.filter(edition=rule_set.edition_id).values_list("code", flat=True))
    missing = [m["item"] for m in rule_set.must_pass if m["item"] not in codes]
    if missing:
        raise ValidationError(
            _("Rule set %(rule_set)s: must-pass items %(items)s do not exist in edition %(code)s.")
            % {"rule_set": rule_set, "items": ", ".join(missing), "code": rule_set.edition.code}
        )
    publication_status_set(actor=actor, obj=rule_set, target=PublicationStatus.PUBLISHED)
    return rule_set


@transaction.atomic
def ruleset_retire(*, actor: User | None, rule_set: RuleSet) -> RuleSet:
    """Retire a published rule set. Raises ``ValidationError`` for any other status."""
    rule_set = RuleSet.objects.select_for_update().select_related("edition").get(pk=rule_set.pk)
    transition_check(
        label=_("Rule set %(rule_set)s") % {"rule_set": rule_set},
        current=rule_set.status,
        target=PublicationStatus.RETIRED,
    )
    publication_status_set(actor=actor, obj=rule_set, target=PublicationStatus.RETIRED)
    return rule_set
