"""Validation of an edition document into :class:`EditionData`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from standards.importers.errors import Checker, Path
from standards.importers.fields import (
    EDITION_CODE,
    MISSING,
    TOKEN,
    TREE_CODE,
    Obj,
    condition,
    decimal_value,
    one_of,
    show,
)
from standards.importers.types import (
    EDITION_FORMAT,
    GRADES,
    THRESHOLD_OPS,
    ChapterData,
    CriterionData,
    EditionData,
    ItemData,
    MetricData,
    SectionData,
    StepData,
    ThresholdData,
)
from standards.models import InstitutionKind, ItemKind, PublicationStatus, ReviewMethod, Tier


def edition_from_document(doc: Any, ck: Checker) -> EditionData | None:
    """Validate a whole edition document; ``None`` when ``ck`` holds errors."""
    top = Obj(ck, doc, (), ("format", "edition", "chapters"))
    fmt = top.get("format", required=True)
    if fmt is not MISSING and fmt != EDITION_FORMAT:
        top.error("format", f"{show(fmt)} is not {EDITION_FORMAT}")
    head = Obj(
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


def _unique(obj: Obj, code: str, seen: dict[str, Path], what: str) -> None:
    if not code:
        return
    if code in seen:
        obj.error(
            "code", f"duplicate {what} code {show(code)} (also {obj.ck.locator.ref(seen[code])})"
        )
    else:
        seen[code] = obj.path


def _child_code(obj: Obj, code: str, parent: str, what: str) -> None:
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
    obj = Obj(ck, node, path, ("code", "title", "sections"))
    code = obj.text("code", max_length=20, pattern=TREE_CODE)
    _unique(obj, code, seen, "chapter")
    title = obj.text("title", max_length=200)
    sections: list[SectionData] = []
    seen_sections: dict[str, Path] = {}
    for j, sec_node in enumerate(obj.items_list("sections", required=True)):
        sec = Obj(ck, sec_node, (*path, "sections", j), ("code", "title", "items"))
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
    obj = Obj(ck, node, path, ITEM_FIELDS)
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
    if raw is not MISSING and raw is not None:
        applicability = condition(obj, ("applicability",), raw)
    evidence_required = obj.flag("evidence_required", default=True)
    evidence_hint = obj.text("evidence_hint", required=False)
    metric = None
    raw = obj.get("metric", required=False)
    if raw is not MISSING and raw is not None:
        m = Obj(ck, raw, path, ("code", "label", "unit"), prefix=("metric",))
        metric = MetricData(
            code=m.text("code", max_length=60, pattern=TOKEN),
            label=m.text("label", max_length=120),
            unit=m.text("unit", required=False, max_length=30),
        )
        obj.ok = obj.ok and m.ok
    criteria = _criteria(obj, has_metric=raw is not MISSING and raw is not None)
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


def _criteria(obj: Obj, *, has_metric: bool) -> tuple[CriterionData, ...]:
    raw = obj.get("criteria", required=True)
    if raw is MISSING:
        return ()
    grades = Obj(obj.ck, raw, obj.path, GRADES, prefix=("criteria",))
    out: list[CriterionData] = []
    step_codes: set[str] = set()
    for grade in GRADES if isinstance(raw, Mapping) else ():
        if grade not in grades.node:
            grades.error((), f"grade {grade} is missing; C, B and A are all required")
            continue
        crit = Obj(
            obj.ck,
            grades.node.get(grade),
            obj.path,
            ("text", "threshold", "steps"),
            prefix=("criteria", grade),
        )
        text = crit.text("text")
        threshold = None
        raw_threshold = crit.get("threshold", required=False)
        if raw_threshold is not MISSING and raw_threshold is not None:
            th = Obj(
                obj.ck,
                raw_threshold,
                obj.path,
                ("op", "value"),
                prefix=("criteria", grade, "threshold"),
            )
            op = th.choice("op", THRESHOLD_OPS)
            value = th.get("value", required=True)
            number = None if value is MISSING else decimal_value(th, ("value",), value, share=False)
            if not has_metric:
                crit.error("threshold", "a threshold needs a metric on the item")
            if th.ok and number is not None:
                threshold = ThresholdData(op=op, value=number)
            crit.ok = crit.ok and th.ok
        steps: list[StepData] = []
        for n, raw_step in enumerate(crit.items_list("steps", required=False)):
            step = Obj(
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
