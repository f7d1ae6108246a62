"""Crosswalks between editions: which item codes changed from one edition to the next
(a mapping file, ``format: crosswalk/1``), and which items changed their text.

A crosswalk file::

    format: crosswalk/1
    from: THC-2022
    to: THC-2025
    provisional: true
    note: Where the codes come from.
    codes:
      "1.2.3": "1.2.4"    # old code: new code

Codes the file does not name keep their code. Every problem is reported with the file,
the line and the code, and nothing is written when there is one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

import yaml
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accreditation.core.audit import AuditAction, audit_record
from standards import permissions
from standards.importers.errors import CatalogueFileError
from standards.models import Criterion, Crosswalk, Edition, Item

CROSSWALK_FORMAT = "crosswalk/1"


@dataclass(frozen=True, slots=True)
class CodeMap:
    """How the items of ``to_edition`` relate to those of ``from_edition``:
    ``old_code(new)`` is the code of the same item in the older edition (None when the
    item is new); ``changed`` the new codes whose text or grading changed."""

    from_edition: str
    to_edition: str
    previous: Mapping[str, str | None]
    changed: frozenset[str]

    def old_code(self, new_code: str) -> str | None:
        return self.previous.get(new_code)


def item_fingerprints(edition: Edition) -> dict[str, str]:
    """Code -> a digest of what the item asks: title, tier, star, kind, metric and each
    grade's criterion (text, sub-steps, threshold). Two queries."""
    criteria: dict[int, list[tuple]] = {}
    for c in Criterion.objects.filter(item__edition=edition).order_by("item_id", "grade"):
        threshold = "" if c.threshold_value is None else str(c.threshold_value.normalize())
        criteria.setdefault(c.item_id, []).append(
            (c.grade, c.text.strip(), c.steps, c.threshold_operator, threshold)
        )
    prints = {}
    for item in Item.objects.filter(edition=edition).order_by("position"):
        content = [
            item.title.strip(),
            item.tier,
            item.starred,
            item.kind,
            item.metric_code,
            item.applicability,
            criteria.get(item.pk, []),
        ]
        blob = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
        prints[item.code] = hashlib.sha256(blob.encode()).hexdigest()
    return prints


def code_map(from_edition: Edition, to_edition: Edition) -> CodeMap:
    """The relation between two editions of the same kind, through their crosswalk
    when there is one. Five queries at most."""
    old = item_fingerprints(from_edition)
    new = item_fingerprints(to_edition)
    renamed: dict[str, str] = {}
    if from_edition.pk != to_edition.pk:
        crosswalk = Crosswalk.objects.filter(
            from_edition=from_edition, to_edition=to_edition
        ).first()
        renamed = dict(crosswalk.codes) if crosswalk is not None else {}
    new_to_old = {new_code: old_code for old_code, new_code in renamed.items()}
    previous: dict[str, str | None] = {}
    changed = set()
    for code, digest in new.items():
        old_code = new_to_old.get(code)
        if old_code is None and code in old and code not in renamed:
            old_code = code
        previous[code] = old_code
        if old_code is not None and old[old_code] != digest:
            changed.add(code)
    return CodeMap(from_edition.code, to_edition.code, previous, frozenset(changed))


# --- the file ---------------------------------------------------------------------


def _lines(text: str) -> dict[str, int]:
    """Line of each key under ``codes`` (1-based)."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "codes" and isinstance(value, yaml.MappingNode):
                for code, _v in value.value:
                    lines[str(code.value)] = code.start_mark.line + 1
    return lines


@dataclass(frozen=True, slots=True)
class CrosswalkResult:
    crosswalk: Crosswalk
    created: bool
    codes: int

    @property
    def summary(self) -> str:
        verb = "created" if self.created else "updated"
        return f"crosswalk {self.crosswalk} {verb} ({self.codes} changed codes)"


def crosswalk_file_import(
    *, actor: AbstractBaseUser | None, path: str | FilePath, source: str | None = None
) -> CrosswalkResult:
    """Read, check and store a crosswalk file (replacing the previous crosswalk of the
    same pair of editions). Raises ``CatalogueFileError`` listing every problem (not
    YAML, wrong format, unknown editions, editions of different institution kinds, an
    old code not in the older edition, a new code not in the newer one, two old codes
    on one new code) and writes nothing; ``PermissionDenied`` unless ``actor`` manages
    the catalogue (None: the command line)."""
    if actor is not None and not permissions.may_manage(actor):
        raise PermissionDenied
    source = source or FilePath(path).name
    text = FilePath(path).read_text(encoding="utf-8")
    try:
        document: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueFileError([f"{source}: not valid YAML: {exc}"]) from exc
    if not isinstance(document, dict) or document.get("format") != CROSSWALK_FORMAT:
        raise CatalogueFileError([f"{source}: format: expected {CROSSWALK_FORMAT!r}"])
    lines = _lines(text)
    errors: list[str] = []
    editions = {}
    for key in ("from", "to"):
        code = document.get(key)
        edition = Edition.objects.filter(code=str(code)).first() if code else None
        if edition is None:
            errors.append(f"{source}: {key}: no edition {code!r}")
        editions[key] = edition
    codes = document.get("codes") or {}
    if not isinstance(codes, dict):
        errors.append(f"{source}: codes: expected a mapping of old code to new code")
        codes = {}
    older, newer = editions["from"], editions["to"]
    if older is not None and newer is not None:
        if older.pk == newer.pk:
            errors.append(f"{source}: to: the same edition as from")
        elif older.kind != newer.kind:
            errors.append(
                f"{source}: to: {newer.code} is for {newer.kind}, {older.code} for "
                f"{older.kind}; a crosswalk joins editions of one institution kind"
            )
        old_codes = set(Item.objects.filter(edition=older).values_list("code", flat=True))
        new_codes = set(Item.objects.filter(edition=newer).values_list("code", flat=True))
        seen: dict[str, str] = {}
        for old_code, new_code in codes.items():
            old_code, new_code = str(old_code), str(new_code)
            where = f"{source}: line {lines.get(old_code, '?')}: codes.{old_code}"
            if old_code not in old_codes:
                errors.append(f"{where}: no item {old_code} in {older.code}")
            if new_code not in new_codes:
                errors.append(f"{where}: no item {new_code} in {newer.code}")
            if new_code in seen:
                errors.append(f"{where}: {new_code} is already the new code of {seen[new_code]}")
            seen[new_code] = old_code
    if errors:
        raise CatalogueFileError(errors)
    assert older is not None and newer is not None
    mapping = {str(k): str(v) for k, v in codes.items()}
    with transaction.atomic():
        crosswalk, created = Crosswalk.objects.update_or_create(
            from_edition=older,
            to_edition=newer,
            defaults={
                "codes": mapping,
                "provisional": bool(document.get("provisional", True)),
                "note": str(document.get("note") or ""),
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.CROSSWALK_IMPORT,
            target=crosswalk,
            after={"from": older.code, "to": newer.code, "codes": mapping},
            note=source,
        )
    return CrosswalkResult(crosswalk, created, len(mapping))
