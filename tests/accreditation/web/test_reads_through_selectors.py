"""The web pages read through selectors only: no module under accreditation/web/ touches
the ORM itself (no manager, no queryset method, nothing from django.db, no
get_object_or_404), so every read has a name, a contract and a query budget in
accreditation/selectors/.

Why a scan and not an import-linter contract: the views must import the models (their
status enums, ``DoesNotExist``), and a model's manager or a queryset method is not an
import. The scan reads the syntax tree, so strings and comments do not count; what it
cannot see (a queryset passed in and iterated) is held by the query budgets."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[3] / "accreditation" / "web"

#: Queryset and manager methods that have no namesake on Python's own types.
QUERYSET_METHODS = frozenset(
    {
        "aggregate",
        "alias",
        "annotate",
        "bulk_create",
        "bulk_update",
        "dates",
        "defer",
        "distinct",
        "earliest",
        "exclude",
        "exists",
        "extra",
        "filter",
        "first",
        "get_or_create",
        "in_bulk",
        "last",
        "latest",
        "none",
        "only",
        "order_by",
        "prefetch_related",
        "raw",
        "select_for_update",
        "select_related",
        "update_or_create",
        "values_list",
    }
)
FORBIDDEN_SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})


def orm_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for every ORM access in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "django.db" or node.module.startswith("django.db."):
                found.append((node.lineno, f"from {node.module} import"))
            if node.module == "django.shortcuts":
                found += [
                    (node.lineno, alias.name)
                    for alias in node.names
                    if alias.name in FORBIDDEN_SHORTCUTS
                ]
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, f"import {alias.name}")
                for alias in node.names
                if alias.name == "django.db" or alias.name.startswith("django.db.")
            ]
        elif isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append((node.lineno, ".objects"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            # list.count, str.count and dict.get take a positional argument; a
            # queryset's count() and all() take none and its get() takes lookups.
            if name in QUERYSET_METHODS or (
                name in ("count", "all") and not node.args and not node.keywords
            ):
                found.append((node.lineno, f".{name}()"))
            elif name == "get" and not node.args and node.keywords:
                found.append((node.lineno, ".get(lookups)"))
    return sorted(found)


def test_the_scan_finds_each_kind_of_orm_access():
    source = (
        "from django.db.models import Prefetch\n"
        "from django.shortcuts import get_object_or_404, redirect\n"
        "a = Assessment.objects\n"
        "b = qs.filter(pk=1).select_related('cycle')\n"
        "c = assessment.grades.count()\n"
        "d = qs.get(pk=1)\n"
        "e = rows.all()\n"
        "f = {}.get('x', 1) + [1].count(1) + 'ab'.count('a')\n"
    )
    assert orm_uses(source) == [
        (1, "from django.db.models import"),
        (2, "get_object_or_404"),
        (3, ".objects"),
        (4, ".filter()"),
        (4, ".select_related()"),
        (5, ".count()"),
        (6, ".get(lookups)"),
        (7, ".all()"),
    ]


def test_web_modules_touch_no_orm():
    modules = sorted(WEB.rglob("*.py"))
    assert len(modules) > 10
    found = {
        str(path.relative_to(WEB)): uses
        for path in modules
        if (uses := orm_uses(path.read_text(encoding="utf-8")))
    }
    assert found == {}
