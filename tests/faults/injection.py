"""Inject a database error at a chosen write of a service, and compare the whole state
before and after.

A write is any INSERT, UPDATE or DELETE statement (also inside a ``WITH`` prefix) that
reaches the default connection, whether the ORM, viewflow or raw SQL issues it; the
error is raised instead of running the statement, as a dropped connection or a full
disk would.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction

#: Apps whose tables a state snapshot covers: the domain, its process, the catalogue,
#: background tasks and API tokens.
STATE_APPS = ("accreditation", "workflows", "viewflow", "standards", "django_tasks_database")

_WRITE = re.compile(r"^\s*(?:WITH\b.*?\)\s*)?(INSERT|UPDATE|DELETE)\b", re.IGNORECASE | re.DOTALL)


def is_write(sql: str) -> bool:
    return bool(_WRITE.match(sql))


class InjectedFault(OperationalError):
    """The error a fault injection raises in place of a write."""


class WriteFault:
    """An ``execute_wrapper`` that counts writes and fails the ``fail_at``-th (1-based;
    0 only counts)."""

    def __init__(self, fail_at: int = 0) -> None:
        self.fail_at = fail_at
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        if is_write(sql):
            self.writes.append(sql)
            if len(self.writes) == self.fail_at:
                raise InjectedFault(f"injected at write {self.fail_at}: {sql[:80]}")
        return execute(sql, params, many, context)


class _DryRun(Exception):
    pass


def writes_of(action: Callable[[], Any]) -> list[str]:
    """The write statements ``action`` issues, found by running it in a savepoint that
    is rolled back afterwards."""
    counter = WriteFault()
    try:
        with transaction.atomic(), connection.execute_wrapper(counter):
            action()
            raise _DryRun
    except _DryRun:
        pass
    return counter.writes


@contextmanager
def failing_write(position: int) -> Iterator[WriteFault]:
    fault = WriteFault(position)
    with connection.execute_wrapper(fault):
        yield fault


def positions(count: int, limit: int = 40) -> list[int]:
    """Every write position when there are at most ``limit``, else ``limit`` of them
    spread evenly, the first and the last included."""
    if count <= limit:
        return list(range(1, count + 1))
    step = (count - 1) / (limit - 1)
    return sorted({1 + round(i * step) for i in range(limit)})


def _files() -> list[tuple[str, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(
        (str(path.relative_to(root)), hashlib.sha256(path.read_bytes()).hexdigest())
        for path in root.rglob("*")
        if path.is_file()
    )


def db_state() -> dict[str, Any]:
    """Every row of every table of ``STATE_APPS`` (all columns, by primary key), plus
    the stored files with their SHA-256."""
    state: dict[str, Any] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in STATE_APPS or model._meta.proxy:
            continue
        state[model._meta.label] = list(model._base_manager.order_by("pk").values())
    state["files"] = _files()
    return state


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The tables whose rows differ, with the rows that appeared and disappeared."""
    changed = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, []), after.get(key, [])
        if old != new:
            changed[key] = {
                "gone": [row for row in old if row not in new],
                "new": [row for row in new if row not in old],
            }
    return changed


__all__ = [
    "DatabaseError",
    "InjectedFault",
    "WriteFault",
    "db_state",
    "diff",
    "failing_write",
    "is_write",
    "positions",
    "writes_of",
]
