"""Reads of the catalogue, shaped as the scoring engine's inputs.

Published editions and rule sets never change, so their compiled specs are cached per
process; drafts are always read fresh.
"""

from __future__ import annotations

from fractions import Fraction
from threading import Lock
from typing import Any

from django.db.models import QuerySet

from standards.importers.types import (
    GRADES,
    ChapterData,
    ConditionData,
    CriterionData,
    EditionData,
    ItemData,
    MetricData,
    MustPassData,
    RuleSetData,
    RuleSetFileData,
    SectionData,
    StepData,
    ThresholdData,
)
from standards.models import (
    Chapter,
    Criterion,
    Edition,
    Item,
    Level,
    PublicationStatus,
    RuleSet,
    Section,
)
from standards.permissions import may_view, sees_drafts
from standards.scoring import Condition, EditionSpec, ItemSpec, MustPass, RuleSpec


def editions_visible_to(user: Any) -> QuerySet[Edition]:
    """The editions ``user`` may see (``standards.permissions.may_view``): published and
    retired ones for every user acting in a role, drafts too for administrators."""
    qs = Edition.objects.all()
    if not may_view(user):
        return qs.none()
    if sees_drafts(user):
        return qs
    return qs.exclude(status=PublicationStatus.DRAFT)


def rule_sets_visible_to(user: Any) -> QuerySet[RuleSet]:
    """As :func:`editions_visible_to`; a rule set of a draft edition is a draft too."""
    qs = RuleSet.objects.all()
    if not may_view(user):
        return qs.none()
    if sees_drafts(user):
        return qs
    return qs.exclude(status=PublicationStatus.DRAFT).exclude(
        edition__status=PublicationStatus.DRAFT
    )


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


# --- catalogue documents (the file shape of docs/catalogue-format.md) -------------------


def edition_document(*, edition: Edition) -> EditionData:
    """The edition and its whole tree as the importer's dataclasses, in catalogue order
    (four queries). Compares equal to the same edition read from a file."""
    chapters = list(
        Chapter.objects.filter(edition=edition)
        .order_by("position")
        .values_list("pk", "code", "title")
    )
    sections = list(
        Section.objects.filter(chapter__edition=edition)
        .order_by("chapter__position", "position")
        .values_list("pk", "chapter_id", "code", "title")
    )
    items = list(Item.objects.filter(edition=edition).order_by("position"))
    criteria: dict[int, dict[str, CriterionData]] = {}
    for crit in Criterion.objects.filter(item__edition=edition):
        threshold = (
            ThresholdData(op=crit.threshold_operator, value=crit.threshold_value)
            if crit.threshold_operator and crit.threshold_value is not None
            else None
        )
        steps = tuple(StepData(code=s["code"], text=s["text"]) for s in crit.steps)
        criteria.setdefault(crit.item_id, {})[crit.grade] = CriterionData(
            grade=crit.grade, text=crit.text, threshold=threshold, steps=steps
        )
    items_by_section: dict[int, list[ItemData]] = {}
    for item in items:
        items_by_section.setdefault(item.section_id, []).append(_item_data(item, criteria))
    sections_by_chapter: dict[int, list[SectionData]] = {}
    for pk, chapter_id, code, title in sections:
        sections_by_chapter.setdefault(chapter_id, []).append(
            SectionData(code=code, title=title, items=tuple(items_by_section.get(pk, ())))
        )
    return EditionData(
        code=edition.code,
        kind=edition.kind,
        year=edition.year,
        title=edition.title,
        status=edition.status,
        provisional=edition.provisional,
        source_note=edition.source_note,
        chapters=tuple(
            ChapterData(code=code, title=title, sections=tuple(sections_by_chapter.get(pk, ())))
            for pk, code, title in chapters
        ),
    )


def _item_data(item: Item, criteria: dict[int, dict[str, CriterionData]]) -> ItemData:
    by_grade = criteria.get(item.pk, {})
    return ItemData(
        code=item.code,
        title=item.title,
        tier=item.tier,
        starred=item.starred,
        kind=item.kind,
        review_methods=tuple(item.review_methods),
        applicability=ConditionData(**item.applicability) if item.applicability else None,
        evidence_required=item.evidence_required,
        evidence_hint=item.evidence_hint,
        metric=(
            MetricData(code=item.metric_code, label=item.metric_label, unit=item.metric_unit)
            if item.metric_code
            else None
        ),
        criteria=tuple(by_grade[g] for g in GRADES if g in by_grade),
    )


def rule_set_data(rule_set: RuleSet) -> RuleSetData:
    """One rule set as the importer's dataclass."""
    return RuleSetData(
        level=rule_set.level,
        province_code=rule_set.province_code,
        version=rule_set.version,
        status=rule_set.status,
        provisional=rule_set.provisional,
        source_note=rule_set.source_note,
        min_basic_c=rule_set.min_basic_c,
        min_basic_b=rule_set.min_basic_b,
        min_basic_a=rule_set.min_basic_a,
        min_recommended_c=rule_set.min_recommended_c,
        includes=tuple(rule_set.includes),
        na_excluded=rule_set.na_excluded,
        eligibility_combine=rule_set.eligibility_combine,
        eligibility=tuple(ConditionData(**c) for c in rule_set.eligibility),
        must_pass=tuple(MustPassData(item=m["item"], grade=m["grade"]) for m in rule_set.must_pass),
    )


def ruleset_file_document(*, edition: Edition) -> RuleSetFileData:
    """Every rule set of the edition (all levels, provinces, versions and statuses) as a
    rule-set file. One query."""
    rule_sets = RuleSet.objects.filter(edition=edition)
    level_order = {level: i for i, level in enumerate(Level.values)}
    ordered = sorted(rule_sets, key=lambda r: (r.province_code, level_order[r.level], r.version))
    return RuleSetFileData(edition=edition.code, rule_sets=tuple(rule_set_data(r) for r in ordered))


def edition_item_codes(*, code: str) -> set[str] | None:
    """The item codes of the edition with ``code``; ``None`` when there is no such
    edition. Two queries."""
    if not Edition.objects.filter(code=code).exists():
        return None
    return set(Item.objects.filter(edition__code=code).values_list("code", flat=True))
