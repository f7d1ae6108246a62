"""Validation of a parsed document (the YAML/JSON shape of docs/catalogue-format.md) into
the dataclasses of ``types``. Every problem is collected; nothing stops at the first.

The Excel reader builds the same shape, so the rules live here once. A value the
reader already reported as unreadable is the ``INVALID`` marker and is skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from standards.importers.errors import Checker, Path, render_path
from standards.importers.types import (
    BOOLEAN_FACTS,
    CONDITION_OPS,
    EDITION_FORMAT,
    FACTS,
    GRADES,
    RULESET_FORMAT,
    THRESHOLD_OPS,
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
    InstitutionKind,
    ItemKind,
    Level,
    PublicationStatus,
    ReviewMethod,
    RuleSet,
    Tier,
)


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


#: A value the reader has already reported as unreadable.
INVALID: Any = _Invalid()
_MISSING: Any = object()

EDITION_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
TREE_CODE = re.compile(r"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$")
TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
PROVINCE_CODE = re.compile(r"^[0-9]{2,12}$")
LEVEL_ORDER: tuple[str, ...] = tuple(Level.values)
MAX_THRESHOLD = Decimal(10) ** 10


def show(value: Any) -> str:
    """A value as it would be written in the file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def one_of(choices: Collection[str]) -> str:
    return ", ".join(choices)


class _Obj:
    """One mapping of the document, read field by field; ``ok`` turns False on any problem."""

    def __init__(
        self,
        ck: Checker,
        node: Any,
        path: Path,
        allowed: Collection[str],
        *,
        prefix: Path = (),
    ):
        self.ck, self.path, self.prefix, self.ok = ck, path, prefix, True
        if node is INVALID:
            self.node: Mapping[str, Any] = {}
            self.ok = False
            return
        if not isinstance(node, Mapping):
            self.node = {}
            self.error((), f"must be a mapping of fields, not {show(node)}")
            return
        self.node = node
        for key in node:
            if key not in allowed:
                self.error((str(key),), f"unknown field (expected one of {one_of(allowed)})")

    def error(self, field: Path | str, reason: str) -> None:
        self.ok = False
        self.ck.add(
            self.path, self.prefix + ((field,) if isinstance(field, str) else field), reason
        )

    def get(self, key: str, *, required: bool) -> Any:
        value = self.node.get(key, _MISSING)
        if value is INVALID:
            self.ok = False
            return _MISSING
        if value is _MISSING or (value is None and required):
            if required:
                self.error(key, "is required")
            return _MISSING
        return value

    def text(
        self,
        key: str,
        *,
        required: bool = True,
        max_length: int | None = None,
        pattern: re.Pattern[str] | None = None,
        default: str = "",
    ) -> str:
        value = self.get(key, required=required)
        if value is _MISSING or (value is None and not required):
            return default
        if not isinstance(value, str):
            hint = f' (quote it: "{value}")' if isinstance(value, int | float) else ""
            self.error(key, f"must be text, not {show(value)}{hint}")
            return default
        if required and not value.strip():
            self.error(key, "is required (empty)")
        elif max_length is not None and len(value) > max_length:
            self.error(key, f"is {len(value)} characters long; at most {max_length} allowed")
        elif pattern is not None and value and not pattern.match(value):
            self.error(key, f"{show(value)} is not a valid code")
        return value

    def choice(self, key: str, choices: Collection[str], *, default: str | None = None) -> str:
        value = self.get(key, required=default is None)
        if value is _MISSING or value is None:
            return str(default or "")
        if value not in choices:
            self.error(key, f"{show(value)} is not one of {one_of(choices)}")
        return value if isinstance(value, str) else ""

    def flag(self, key: str, *, default: bool) -> bool:
        value = self.get(key, required=False)
        if value is _MISSING or value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"must be true or false, not {show(value)}")
            return default
        return value

    def integer(self, key: str, *, minimum: int, maximum: int) -> int:
        value = self.get(key, required=True)
        if value is _MISSING:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"must be a whole number, not {show(value)}")
            return 0
        if not minimum <= value <= maximum:
            self.error(key, f"{value} is not between {minimum} and {maximum}")
        return value

    def items_list(self, key: str, *, required: bool) -> list[Any]:
        value = self.get(key, required=required)
        if value is _MISSING or value is None:
            return []
        if not isinstance(value, list):
            self.error(key, f"must be a list, not {show(value)}")
            return []
        if required and not value:
            self.error(key, "must not be empty")
        return value


def _decimal(obj: _Obj, field: Path, value: Any, *, share: bool) -> Decimal | None:
    if value is INVALID:
        obj.ok = False
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        obj.error(field, f"must be a number, not {show(value)}")
        return None
    number = Decimal(str(value))
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        obj.error(field, f"{value} has more than 4 decimal places")
    elif share and not 0 <= number <= 1:
        obj.error(field, f"{value} is not a share between 0 and 1")
    elif not share and abs(number) >= MAX_THRESHOLD:
        obj.error(field, f"{value} is too large")
    return number


def condition(obj: _Obj, field: Path, node: Any) -> ConditionData | None:
    """A ``{fact, op, value}`` condition at ``field`` of ``obj``."""
    cond = _Obj(obj.ck, node, obj.path, ("fact", "op", "value"), prefix=obj.prefix + field)
    fact = cond.choice("fact", FACTS)
    op = cond.choice("op", CONDITION_OPS)
    value = cond.get("value", required=True)
    if value is not _MISSING and fact in FACTS:
        if fact in BOOLEAN_FACTS:
            if not isinstance(value, bool):
                cond.error("value", f"{fact} is true or false, not {show(value)}")
            elif op not in ("==", "!=", ""):
                cond.error("op", f"{fact} is true or false; use == or !=, not {op}")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            cond.error("value", f"{fact} is a number, not {show(value)}")
    if not cond.ok:
        obj.ok = False
        return None
    return ConditionData(fact=fact, op=op, value=value)


# --- editions -------------------------------------------------------------------------


def edition_from_document(doc: Any, ck: Checker) -> EditionData | None:
    """Validate a whole edition document; ``None`` when ``ck`` holds errors."""
    top = _Obj(ck, doc, (), ("format", "edition", "chapters"))
    fmt = top.get("format", required=True)
    if fmt is not _MISSING and fmt != EDITION_FORMAT:
        top.error("format", f"{show(fmt)} is not {EDITION_FORMAT}")
    head = _Obj(
        ck,
        top.get("edition", required=True),
        ("edition",),
        ("code", "kind", "year", "title", "status", "provisional", "source_note"),
    )
    code = head.text("code", max_length=40, pattern=EDITION_CODE)
    kind = head.choice("kind", InstitutionKind.values)
    year = head.integer("year", minimum=1900, maximum=2100)
    title = head.text("title", max_length=200)
    status = head.choice("status", PublicationStatus.values, default=PublicationStatus.DRAFT)
    provisional = head.flag("provisional", default=False)
    source_note = head.text("source_note", required=False)

    chapters: list[ChapterData] = []
    seen_items: dict[str, Path] = {}
    seen_chapters: dict[str, Path] = {}
    for i, node in enumerate(top.items_list("chapters", required=True)):
        chapter = _chapter(ck, node, ("chapters", i), seen_chapters, seen_items)
        if chapter is not None:
            chapters.append(chapter)
    if ck.errors:
        return None
    return EditionData(
        code=code,
        kind=kind,
        year=year,
        title=title,
        status=status,
        provisional=provisional,
        source_note=source_note,
        chapters=tuple(chapters),
        source=ck.source,
    )


def _unique(obj: _Obj, code: str, seen: dict[str, Path], what: str) -> None:
    if not code:
        return
    if code in seen:
        obj.error(
            "code", f"duplicate {what} code {show(code)} (also {obj.ck.locator.ref(seen[code])})"
        )
    else:
        seen[code] = obj.path


def _child_code(obj: _Obj, code: str, parent: str, what: str) -> None:
    """A section code is its chapter's code plus one part; an item's, its section's."""
    if not code or not parent:
        return
    rest = code.removeprefix(parent + ".")
    if rest == code or not rest or "." in rest:
        obj.error(
            "code", f"{show(code)} must be the {what} code {show(parent)} followed by one part"
        )


def _chapter(
    ck: Checker, node: Any, path: Path, seen: dict[str, Path], seen_items: dict[str, Path]
) -> ChapterData | None:
    obj = _Obj(ck, node, path, ("code", "title", "sections"))
    code = obj.text("code", max_length=20, pattern=TREE_CODE)
    _unique(obj, code, seen, "chapter")
    title = obj.text("title", max_length=200)
    sections: list[SectionData] = []
    seen_sections: dict[str, Path] = {}
    for j, sec_node in enumerate(obj.items_list("sections", required=True)):
        sec = _Obj(ck, sec_node, (*path, "sections", j), ("code", "title", "items"))
        sec_code = sec.text("code", max_length=20, pattern=TREE_CODE)
        _unique(sec, sec_code, seen_sections, "section")
        _child_code(sec, sec_code, code, "chapter")
        sec_title = sec.text("title", max_length=200)
        items = [
            _item(ck, item_node, (*sec.path, "items", k), sec_code, seen_items)
            for k, item_node in enumerate(sec.items_list("items", required=True))
        ]
        if sec.ok and all(items):
            sections.append(SectionData(sec_code, sec_title, tuple(i for i in items if i)))
        else:
            obj.ok = False
    return ChapterData(code, title, tuple(sections)) if obj.ok else None


ITEM_FIELDS = (
    "code",
    "title",
    "tier",
    "starred",
    "kind",
    "review_methods",
    "applicability",
    "evidence_required",
    "evidence_hint",
    "metric",
    "criteria",
)


def _item(
    ck: Checker, node: Any, path: Path, section: str, seen: dict[str, Path]
) -> ItemData | None:
    obj = _Obj(ck, node, path, ITEM_FIELDS)
    code = obj.text("code", max_length=20, pattern=TREE_CODE)
    _unique(obj, code, seen, "item")
    _child_code(obj, code, section, "section")
    title = obj.text("title", max_length=300)
    tier = obj.choice("tier", Tier.values)
    starred = obj.flag("starred", default=False)
    kind = obj.choice("kind", ItemKind.values, default=ItemKind.DOCUMENTARY)
    methods: list[str] = []
    for n, method in enumerate(obj.items_list("review_methods", required=False)):
        if method not in ReviewMethod.values:
            obj.error(
                ("review_methods", n), f"{show(method)} is not one of {one_of(ReviewMethod.values)}"
            )
        elif method in methods:
            obj.error(("review_methods", n), f"{show(method)} is listed twice")
        else:
            methods.append(method)
    applicability = None
    raw = obj.get("applicability", required=False)
    if raw is not _MISSING and raw is not None:
        applicability = condition(obj, ("applicability",), raw)
    evidence_required = obj.flag("evidence_required", default=True)
    evidence_hint = obj.text("evidence_hint", required=False)
    metric = None
    raw = obj.get("metric", required=False)
    if raw is not _MISSING and raw is not None:
        m = _Obj(ck, raw, path, ("code", "label", "unit"), prefix=("metric",))
        metric = MetricData(
            code=m.text("code", max_length=60, pattern=TOKEN),
            label=m.text("label", max_length=120),
            unit=m.text("unit", required=False, max_length=30),
        )
        obj.ok = obj.ok and m.ok
    criteria = _criteria(obj, has_metric=raw is not _MISSING and raw is not None)
    if not obj.ok:
        return None
    return ItemData(
        code=code,
        title=title,
        tier=tier,
        starred=starred,
        kind=kind,
        review_methods=tuple(methods),
        applicability=applicability,
        evidence_required=evidence_required,
        evidence_hint=evidence_hint,
        metric=metric,
        criteria=criteria,
        where=ck.locator.where(path, ()),
    )


def _criteria(obj: _Obj, *, has_metric: bool) -> tuple[CriterionData, ...]:
    raw = obj.get("criteria", required=True)
    if raw is _MISSING:
        return ()
    grades = _Obj(obj.ck, raw, obj.path, GRADES, prefix=("criteria",))
    out: list[CriterionData] = []
    step_codes: set[str] = set()
    for grade in GRADES if isinstance(raw, Mapping) else ():
        if grade not in grades.node:
            grades.error((), f"grade {grade} is missing; C, B and A are all required")
            continue
        crit = _Obj(
            obj.ck,
            grades.node.get(grade),
            obj.path,
            ("text", "threshold", "steps"),
            prefix=("criteria", grade),
        )
        text = crit.text("text")
        threshold = None
        raw_threshold = crit.get("threshold", required=False)
        if raw_threshold is not _MISSING and raw_threshold is not None:
            th = _Obj(
                obj.ck,
                raw_threshold,
                obj.path,
                ("op", "value"),
                prefix=("criteria", grade, "threshold"),
            )
            op = th.choice("op", THRESHOLD_OPS)
            value = th.get("value", required=True)
            number = None if value is _MISSING else _decimal(th, ("value",), value, share=False)
            if not has_metric:
                crit.error("threshold", "a threshold needs a metric on the item")
            if th.ok and number is not None:
                threshold = ThresholdData(op=op, value=number)
            crit.ok = crit.ok and th.ok
        steps: list[StepData] = []
        for n, raw_step in enumerate(crit.items_list("steps", required=False)):
            step = _Obj(
                obj.ck, raw_step, obj.path, ("code", "text"), prefix=("criteria", grade, "steps", n)
            )
            step_code = step.text("code", max_length=20, pattern=TOKEN)
            step_text = step.text("text")
            if "\n" in step_text:
                step.error("text", "must be a single line")
            if step_code in step_codes:
                step.error("code", f"duplicate step code {show(step_code)} in this item")
            step_codes.add(step_code)
            steps.append(StepData(step_code, step_text))
            crit.ok = crit.ok and step.ok
        out.append(CriterionData(grade, text, threshold, tuple(steps)))
        grades.ok = grades.ok and crit.ok
    obj.ok = obj.ok and grades.ok
    return tuple(out)


# --- rule sets ------------------------------------------------------------------------

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
    top = _Obj(ck, doc, (), ("format", "edition", "rule_sets"))
    fmt = top.get("format", required=True)
    if fmt is not _MISSING and fmt != RULESET_FORMAT:
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
    obj = _Obj(ck, node, path, RULE_SET_FIELDS)
    level = obj.choice("level", Level.values)
    province = obj.text("province_code", required=False, pattern=PROVINCE_CODE)
    version = obj.integer("version", minimum=1, maximum=2**31 - 1)
    status = obj.choice("status", PublicationStatus.values, default=PublicationStatus.DRAFT)
    provisional = obj.flag("provisional", default=False)
    source_note = obj.text("source_note", required=False)
    shares = _Obj(ck, obj.get("basic_min", required=True), path, GRADES, prefix=("basic_min",))
    mins: dict[str, Decimal | None] = {}
    for grade in GRADES:
        value = shares.get(grade, required=True)
        mins[grade] = None if value is _MISSING else _decimal(shares, (grade,), value, share=True)
    obj.ok = obj.ok and shares.ok
    raw = obj.get("recommended_min_C", required=False)
    min_rec = None
    if raw is not _MISSING and raw is not None:
        min_rec = _decimal(obj, ("recommended_min_C",), raw, share=True)
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


def _eligibility(obj: _Obj) -> tuple[str, tuple[ConditionData, ...]]:
    raw = obj.get("eligibility", required=False)
    if raw is _MISSING or raw is None:
        return str(RuleSet.Combine.ALL), ()
    elig = _Obj(obj.ck, raw, obj.path, ("combine", "conditions"), prefix=("eligibility",))
    combine = elig.choice("combine", RuleSet.Combine.values, default=RuleSet.Combine.ALL)
    conditions = [
        condition(elig, ("conditions", n), node)
        for n, node in enumerate(elig.items_list("conditions", required=False))
    ]
    obj.ok = obj.ok and elig.ok
    return combine, tuple(c for c in conditions if c is not None)


def _must_pass(
    obj: _Obj, edition: str, item_codes: Collection[str] | None
) -> tuple[MustPassData, ...]:
    out: list[MustPassData] = []
    for n, node in enumerate(obj.items_list("must_pass", required=False)):
        mp = _Obj(obj.ck, node, obj.path, ("item", "grade"), prefix=("must_pass", n))
        item = mp.text("item", max_length=20, pattern=TREE_CODE)
        grade = mp.choice("grade", GRADES)
        if item and item_codes is not None and item not in item_codes:
            mp.error("item", f"item {show(item)} does not exist in edition {edition}")
        if any(m.item == item for m in out):
            mp.error("item", f"item {show(item)} is listed twice")
        out.append(MustPassData(item=item, grade=grade))
        obj.ok = obj.ok and mp.ok
    return tuple(out)


__all__ = [
    "INVALID",
    "condition",
    "edition_from_document",
    "render_path",
    "ruleset_file_from_document",
    "show",
]
