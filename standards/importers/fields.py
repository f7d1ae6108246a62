"""Field-by-field reading of a parsed document (the YAML/JSON shape of
docs/catalogue-format.md), collecting every problem. The Excel reader builds the same
shape, so the rules live once; a value the reader already reported as unreadable is
the ``INVALID`` marker and is skipped."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from standards.importers.errors import Checker, Path
from standards.importers.types import BOOLEAN_FACTS, CONDITION_OPS, FACTS, ConditionData
from standards.models import Level


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


#: A value the reader has already reported as unreadable.
INVALID: Any = _Invalid()
MISSING: Any = object()

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


class Obj:
    """One mapping of the document, read field by field; ``ok`` turns False on any problem.
    When the node is not a mapping at all, that is reported once and its fields are
    not reported as missing."""

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
        self.node: Mapping[str, Any] = {}
        if node is INVALID or node is MISSING:  # already reported
            self.ok = False
            return
        if not isinstance(node, Mapping):
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
        value = self.node.get(key, MISSING)
        if value is INVALID or (value is MISSING and not self.ok and not self.node):
            self.ok = False
            return MISSING
        if value is MISSING or (value is None and required):
            if required:
                self.error(key, "is required")
            return MISSING
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
        if value is MISSING or (value is None and not required):
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
        if value is MISSING or value is None:
            return str(default or "")
        if value not in choices:
            self.error(key, f"{show(value)} is not one of {one_of(choices)}")
        return value if isinstance(value, str) else ""

    def flag(self, key: str, *, default: bool) -> bool:
        value = self.get(key, required=False)
        if value is MISSING or value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"must be true or false, not {show(value)}")
            return default
        return value

    def integer(self, key: str, *, minimum: int, maximum: int) -> int:
        value = self.get(key, required=True)
        if value is MISSING:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"must be a whole number, not {show(value)}")
            return 0
        if not minimum <= value <= maximum:
            self.error(key, f"{value} is not between {minimum} and {maximum}")
        return value

    def items_list(self, key: str, *, required: bool) -> list[Any]:
        value = self.get(key, required=required)
        if value is MISSING or value is None:
            return []
        if not isinstance(value, list):
            self.error(key, f"must be a list, not {show(value)}")
            return []
        if required and not value:
            self.error(key, "must not be empty")
        return value


def decimal_value(obj: Obj, field: Path, value: Any, *, share: bool) -> Decimal | None:
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


def condition(obj: Obj, field: Path, node: Any) -> ConditionData | None:
    """A ``{fact, op, value}`` condition at ``field`` of ``obj``."""
    cond = Obj(obj.ck, node, obj.path, ("fact", "op", "value"), prefix=obj.prefix + field)
    fact = cond.choice("fact", FACTS)
    op = cond.choice("op", CONDITION_OPS)
    value = cond.get("value", required=True)
    if value is not MISSING and fact in FACTS:
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
