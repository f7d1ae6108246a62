"""Reading a catalogue file into a document (the YAML/JSON shape) and telling editions
from rule sets: ``.xlsx`` is an edition workbook; otherwise the ``format:`` key
decides (``.json`` is read as JSON, anything else as YAML)."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path as FilePath
from typing import Any

import yaml

from standards.importers.edition import edition_from_document
from standards.importers.errors import CatalogueFileError, Checker, MappingLocator, Path
from standards.importers.excel import read_workbook
from standards.importers.fields import show
from standards.importers.ruleset import ruleset_file_from_document
from standards.importers.types import (
    EDITION,
    EDITION_FORMAT,
    RULESET,
    RULESET_FORMAT,
    Document,
    EditionData,
    RuleSetFileData,
)

FORMATS = {EDITION_FORMAT: EDITION, RULESET_FORMAT: RULESET}

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_lines(node: yaml.Node | None, path: Path, lines: dict[Path, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, key.value)
            lines[child] = key.start_mark.line + 1
            _yaml_lines(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            child = (*path, i)
            lines[child] = value.start_mark.line + 1
            _yaml_lines(value, child, lines)


def _parse_yaml(text: str, source: str) -> tuple[Any, dict[Path, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CatalogueFileError(
            [": ".join(p for p in (source, where, f"not valid YAML: {exc.problem}") if p)]
        ) from exc
    except yaml.YAMLError as exc:
        raise CatalogueFileError([f"{source}: not valid YAML: {exc}"]) from exc
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    _yaml_lines(node, (), lines)
    return data, lines


def _parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueFileError(
            [f"{source}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}"]
        ) from exc


def load_document(path: str | FilePath, *, source: str | None = None) -> Document:
    """Read ``path`` and detect its kind. Raises :class:`CatalogueFileError` when the
    file cannot be read, is not well-formed or has no known ``format:``."""
    path = FilePath(path)
    source = source or path.name
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path, source=source)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueFileError([f"{source}: cannot read the file: {exc}"]) from exc
    return document_from_text(text, source=source, json_syntax=path.suffix.lower() == ".json")


def document_from_text(text: str, *, source: str, json_syntax: bool = False) -> Document:
    """A document from YAML (or, with ``json_syntax``, JSON) text."""
    if json_syntax:
        data, lines = _parse_json(text, source), None
    else:
        data, lines = _parse_yaml(text, source)
    checker = Checker(source, MappingLocator(data, lines))
    fmt = data.get("format") if isinstance(data, dict) else None
    kind = FORMATS.get(fmt) if isinstance(fmt, str) else None
    if kind is None:
        checker.add((), "format", f"{show(fmt)} is not one of {', '.join(FORMATS)}")
        checker.raise_if_any()
    return Document(kind=kind or "", data=data, checker=checker)


def parse_document(
    document: Document, *, item_codes: Collection[str] | None = None
) -> EditionData | RuleSetFileData:
    """Validate a document into dataclasses. Raises :class:`CatalogueFileError` with
    every problem found. ``item_codes`` (the named edition's items) lets a rule-set
    file's must-pass items be checked too."""
    ck = document.checker
    result: EditionData | RuleSetFileData | None
    if document.kind == EDITION:
        result = edition_from_document(document.data, ck)
    else:
        result = ruleset_file_from_document(document.data, ck, item_codes=item_codes)
    ck.raise_if_any()
    assert result is not None
    return result


def read_file(
    path: str | FilePath, *, source: str | None = None, item_codes: Collection[str] | None = None
) -> EditionData | RuleSetFileData:
    """:func:`load_document` then :func:`parse_document`."""
    return parse_document(load_document(path, source=source), item_codes=item_codes)
