"""Error collection for catalogue files: every problem is reported, each with the file,
where in it (path and line for YAML/JSON, sheet, row and column for Excel), the field
and the reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from accreditation.core.errors import DomainError

Path = tuple[str | int, ...]


class CatalogueFileError(DomainError):
    """A catalogue file cannot be imported; ``errors`` lists every problem, one line each
    (also in ``details.errors``). Answers 400 ``catalogue_file_invalid``: the file is
    the caller's input. ``str()`` is the problems, one per line, as the commands print
    them."""

    code = "catalogue_file_invalid"
    status = 400

    def __init__(self, errors: Sequence[str]):
        super().__init__(
            _("The catalogue file cannot be imported; see details.errors."),
            details={"errors": list(errors)},
        )
        self.errors = list(errors)

    def __str__(self) -> str:
        return "\n".join(self.errors)


def render_path(path: Path) -> str:
    """``("chapters", 1, "items", 0, "code")`` -> ``chapters[1].items[0].code``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class Locator(Protocol):
    def where(self, path: Path, field: Path) -> str:
        """Where the value at ``path`` + ``field`` came from, for an error message."""

    def ref(self, path: Path) -> str:
        """A short reference to the object at ``path`` ("chapters[0]", "row 4")."""

    def field_label(self, path: Path, field: Path) -> str:
        """How the field is named in this format ("field 'tier'", "column 'tier' (E)")."""


class MappingLocator:
    """Locations in a YAML or JSON document: the object path, its code and, for YAML,
    the line (``lines`` maps a path to a 1-based line number)."""

    def __init__(self, document: Any, lines: Mapping[Path, int] | None = None):
        self.document = document
        self.lines = lines or {}

    def _node(self, path: Path) -> Any:
        node = self.document
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def _label(self, path: Path) -> str:
        node = self._node(path)
        if not isinstance(node, Mapping) or not path:
            return ""
        if path[0] == "rule_sets" and len(path) == 2:
            level, version = node.get("level"), node.get("version")
            return f" (level {level} v{version})" if level is not None else ""
        code = node.get("code")
        return f" (code {code})" if isinstance(code, str | int | float) and code != "" else ""

    def _line(self, full: Path) -> int | None:
        for end in range(len(full), -1, -1):
            line = self.lines.get(full[:end])
            if line is not None:
                return line
        return None

    def where(self, path: Path, field: Path) -> str:
        text = render_path(path) + self._label(path)
        line = self._line(path + field)
        if line is not None:
            text = f"{text}, line {line}" if text else f"line {line}"
        return text

    def ref(self, path: Path) -> str:
        line = self._line(path)
        return render_path(path) + (f" (line {line})" if line is not None else "")

    def field_label(self, path: Path, field: Path) -> str:
        return f"field '{render_path(field)}'"


class Checker:
    """Collects problems against one file; ``errors`` is the rendered list."""

    def __init__(self, source: str, locator: Locator):
        self.source = source
        self.locator = locator
        self.errors: list[str] = []

    def add(self, path: Path, field: Path | str, reason: str) -> None:
        field_path: Path = (field,) if isinstance(field, str) else field
        where = self.locator.where(path, field_path)
        parts = [self.source]
        if where:
            parts.append(where)
        label = self.locator.field_label(path, field_path) if field_path else ""
        if label:
            parts.append(label)
        self.errors.append(": ".join([*parts, reason]))

    def add_raw(self, where: str, reason: str) -> None:
        """A problem found before the document had a shape (syntax, missing sheet...)."""
        self.errors.append(": ".join(p for p in (self.source, where, reason) if p))

    def raise_if_any(self) -> None:
        if self.errors:
            raise CatalogueFileError(self.errors)
