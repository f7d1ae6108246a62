"""Importing catalogue files from disk: one file, or a whole catalogue folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser

from standards.importers import EDITION, EditionData, load_document, parse_document
from standards.selectors import edition_item_codes
from standards.services.common import ImportResult
from standards.services.editions import edition_import
from standards.services.rulesets import ruleset_import

CATALOGUE_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".xlsx"})


def catalogue_file_import(
    *, actor: AbstractBaseUser | None, path: str | Path, source: str | None = None
) -> ImportResult:
    """Read, validate and import one edition or rule-set file (kind detected from the
    extension and the ``format:`` key).

    Raises ``standards.importers.CatalogueFileError`` when the file is malformed and
    ``ValidationError`` when the import is refused; in both cases nothing is written
    and every problem is listed, one per line."""
    document = load_document(path, source=source)
    if document.kind == EDITION:
        data = parse_document(document)
        assert isinstance(data, EditionData)
        return edition_import(actor=actor, data=data)
    code = document.edition_code
    item_codes = edition_item_codes(code=code) if code else None
    rule_sets = parse_document(document, item_codes=item_codes)
    assert not isinstance(rule_sets, EditionData)
    return ruleset_import(actor=actor, data=rule_sets)


@dataclass(frozen=True)
class CatalogueFile:
    path: Path
    source: str


def catalogue_files(*, directory: str | Path) -> list[CatalogueFile]:
    """The files ``catalogue_load`` reads: ``editions/*`` then ``rulesets/*``, each in
    name order, named relative to ``directory`` in messages."""
    root = Path(directory)
    files = []
    for folder in ("editions", "rulesets"):
        for path in sorted((root / folder).glob("*")):
            if path.is_file() and path.suffix.lower() in CATALOGUE_SUFFIXES:
                files.append(CatalogueFile(path=path, source=f"{folder}/{path.name}"))
    return files
