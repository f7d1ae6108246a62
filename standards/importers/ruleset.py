"""Validation of a rule-set document into :class:`RuleSetFileData`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from standards.importers.errors import Checker, Path
from standards.importers.fields import (
    EDITION_CODE,
    LEVEL_ORDER,
    MISSING,
    PROVINCE_CODE,
    TREE_CODE,
    Obj,
    condition,
    decimal_value,
    one_of,
    show,
)
from standards.importers.types import (
    GRADES,
    RULESET_FORMAT,
    ConditionData,
    MustPassData,
    RuleSetData,
    RuleSetFileData,
)
from standards.models import Level, PublicationStatus, RuleSet

RULE_SET_FIELDS = (
    "level",
    "province_code",
    "version",
    "status",
    "provisional",
    "source_note",
    "basic_min",
    "recommended_min_C",
    "includes",
    "na_excluded",
    "eligibility",
    "must_pass",
)


def ruleset_file_from_document(
    doc: Any, ck: Checker, *, item_codes: Collection[str] | None = None
) -> RuleSetFileData | None:
    """Validate a rule-set document; ``None`` when ``ck`` holds errors. With
    ``item_codes`` (the edition's items), must-pass items are checked against it."""
    top = Obj(ck, doc, (), ("format", "edition", "rule_sets"))
    fmt = top.get("format", required=True)
    if fmt is not MISSING and fmt != RULESET_FORMAT:
        top.error("format", f"{show(fmt)} is not {RULESET_FORMAT}")
    edition = top.text("edition", max_length=40, pattern=EDITION_CODE)
    nodes = top.items_list("rule_sets", required=True)
    defined = {
        (node.get("level"), node.get("province_code") or "")
        for node in nodes
        if isinstance(node, Mapping)
    }
    seen: dict[tuple[str, str, int], Path] = {}
    rule_sets = []
    for i, node in enumerate(nodes):
        rs = _rule_set(ck, node, ("rule_sets", i), edition, defined, item_codes)
        if rs is not None:
            if rs.key in seen:
                scope = f"province {rs.province_code}" if rs.province_code else "national"
                ck.add(
                    ("rule_sets", i),
                    (),
                    f"duplicate rule set {rs.level} v{rs.version} {scope} "
                    f"(also {ck.locator.ref(seen[rs.key])})",
                )
            seen.setdefault(rs.key, ("rule_sets", i))
            rule_sets.append(rs)
    if ck.errors:
        return None
    return RuleSetFileData(edition=edition, rule_sets=tuple(rule_sets), source=ck.source)


def _rule_set(
    ck: Checker,
    node: Any,
    path: Path,
    edition: str,
    defined: set[tuple[Any, str]],
    item_codes: Collection[str] | None,
) -> RuleSetData | None:
    obj = Obj(ck, node, path, RULE_SET_FIELDS)
    level = obj.choice("level", Level.values)
    province = obj.text("province_code", required=False, pattern=PROVINCE_CODE)
    version = obj.integer("version", minimum=1, maximum=2**31 - 1)
    status = obj.choice("status", PublicationStatus.values, default=PublicationStatus.DRAFT)
    provisional = obj.flag("provisional", default=False)
    source_note = obj.text("source_note", required=False)
    shares = Obj(ck, obj.get("basic_min", required=True), path, GRADES, prefix=("basic_min",))
    mins: dict[str, Decimal | None] = {}
    for grade in GRADES:
        value = shares.get(grade, required=True)
        mins[grade] = (
            None if value is MISSING else decimal_value(shares, (grade,), value, share=True)
        )
    obj.ok = obj.ok and shares.ok
    raw = obj.get("recommended_min_C", required=False)
    min_rec = None
    if raw is not MISSING and raw is not None:
        min_rec = decimal_value(obj, ("recommended_min_C",), raw, share=True)
    includes: list[str] = []
    for n, included in enumerate(obj.items_list("includes", required=False)):
        field = ("includes", n)
        if included not in Level.values:
            obj.error(field, f"{show(included)} is not one of {one_of(Level.values)}")
        elif level and LEVEL_ORDER.index(included) >= LEVEL_ORDER.index(level):
            obj.error(field, f"{show(included)} is not a level below {level}")
        elif (included, province) not in defined and (included, "") not in defined:
            obj.error(
                field, f"{show(included)}: the file defines no {included} rule set to include"
            )
        elif included in includes:
            obj.error(field, f"{show(included)} is listed twice")
        else:
            includes.append(included)
    na_excluded = obj.flag("na_excluded", default=True)
    combine, eligibility = _eligibility(obj)
    must_pass = _must_pass(obj, edition, item_codes)
    if not obj.ok:
        return None
    return RuleSetData(
        level=level,
        province_code=province,
        version=version,
        status=status,
        provisional=provisional,
        source_note=source_note,
        min_basic_c=mins["C"] or Decimal(0),
        min_basic_b=mins["B"] or Decimal(0),
        min_basic_a=mins["A"] or Decimal(0),
        min_recommended_c=min_rec,
        includes=tuple(includes),
        na_excluded=na_excluded,
        eligibility_combine=combine,
        eligibility=eligibility,
        must_pass=must_pass,
        where=ck.locator.where(path, ()),
    )


def _eligibility(obj: Obj) -> tuple[str, tuple[ConditionData, ...]]:
    raw = obj.get("eligibility", required=False)
    if raw is MISSING or raw is None:
        return str(RuleSet.Combine.ALL), ()
    elig = Obj(obj.ck, raw, obj.path, ("combine", "conditions"), prefix=("eligibility",))
    combine = elig.choice("combine", RuleSet.Combine.values, default=RuleSet.Combine.ALL)
    conditions = [
        condition(elig, ("conditions", n), node)
        for n, node in enumerate(elig.items_list("conditions", required=False))
    ]
    obj.ok = obj.ok and elig.ok
    return combine, tuple(c for c in conditions if c is not None)


def _must_pass(
    obj: Obj, edition: str, item_codes: Collection[str] | None
) -> tuple[MustPassData, ...]:
    out: list[MustPassData] = []
    for n, node in enumerate(obj.items_list("must_pass", required=False)):
        mp = Obj(obj.ck, node, obj.path, ("item", "grade"), prefix=("must_pass", n))
        item = mp.text("item", max_length=20, pattern=TREE_CODE)
        grade = mp.choice("grade", GRADES)
        if item and item_codes is not None and item not in item_codes:
            mp.error("item", f"item {show(item)} does not exist in edition {edition}")
        if any(m.item == item for m in out):
            mp.error("item", f"item {show(item)} is listed twice")
        out.append(MustPassData(item=item, grade=grade))
        obj.ok = obj.ok and mp.ok
    return tuple(out)
