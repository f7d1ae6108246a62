"""Reads of the catalogue, shaped as the scoring engine's inputs.

Published editions and rule sets never change, so their compiled specs are cached per
process; drafts are always read fresh.
"""

from __future__ import annotations

from fractions import Fraction
from threading import Lock

from standards.models import Edition, Item, PublicationStatus, RuleSet
from standards.scoring import Condition, EditionSpec, ItemSpec, MustPass, RuleSpec

_cache_lock = Lock()
_edition_specs: dict[int, EditionSpec] = {}


def edition_spec(*, edition: Edition) -> EditionSpec:
    """The edition's items in catalogue order as an :class:`EditionSpec` (one query,
    none when a published edition is already cached)."""
    cached = _edition_specs.get(edition.pk)
    if cached is not None:
        return cached
    rows = (
        Item.objects.filter(edition=edition)
        .order_by("position")
        .values_list("code", "section__chapter__code", "tier", "applicability")
    )
    spec = EditionSpec(
        edition.code,
        [
            ItemSpec(
                code=code,
                chapter=chapter,
                tier=tier,
                applicability=Condition.from_mapping(cond) if cond else None,
            )
            for code, chapter, tier, cond in rows
        ],
    )
    if edition.status != PublicationStatus.DRAFT:
        with _cache_lock:
            _edition_specs[edition.pk] = spec
    return spec


def clear_spec_cache() -> None:
    with _cache_lock:
        _edition_specs.clear()


def rule_spec(rule_set: RuleSet) -> RuleSpec:
    """A rule set model as the engine's :class:`RuleSpec`."""
    return RuleSpec(
        level=rule_set.level,
        min_basic_c=Fraction(rule_set.min_basic_c),
        min_basic_b=Fraction(rule_set.min_basic_b),
        min_basic_a=Fraction(rule_set.min_basic_a),
        min_recommended_c=(
            None if rule_set.min_recommended_c is None else Fraction(rule_set.min_recommended_c)
        ),
        includes=tuple(rule_set.includes),
        na_excluded=rule_set.na_excluded,
        eligibility=tuple(Condition.from_mapping(c) for c in rule_set.eligibility),
        eligibility_combine=rule_set.eligibility_combine,
        must_pass=tuple(MustPass(item=m["item"], grade=m["grade"]) for m in rule_set.must_pass),
        version=rule_set.version,
        rule_set_id=rule_set.pk,
        provisional=rule_set.provisional,
    )


def rule_sets_in_force(*, edition: Edition, province_code: str = "") -> dict[str, RuleSet]:
    """Per level, the newest published rule set: the province's override when it has
    one, else the national default. One query."""
    candidates = RuleSet.objects.filter(
        edition=edition,
        status=PublicationStatus.PUBLISHED,
        province_code__in={"", province_code},
    ).order_by("level", "-version")
    chosen: dict[str, RuleSet] = {}
    for rule_set in candidates:
        current = chosen.get(rule_set.level)
        if current is None or (rule_set.province_code and not current.province_code):
            chosen[rule_set.level] = rule_set
    return chosen


def rule_specs_in_force(*, edition: Edition, province_code: str = "") -> dict[str, RuleSpec]:
    return {
        level: rule_spec(rs)
        for level, rs in rule_sets_in_force(edition=edition, province_code=province_code).items()
    }
