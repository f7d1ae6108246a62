"""The hash chain of the audit log: canonical row content and chained hashes.

Pure functions, no ORM: ``core.audit`` (the writer), the data migration that
chained the rows written before the chain existed, and ``manage.py verify_audit`` (the
reader) all compute hashes here, so the three cannot disagree.

Each row stores ``prev_hash`` (the hash of the row before it in id order, ``""`` for
the first row) and ``hash``::

    hash = sha256_hex(prev_hash + "\\n" + str(id) + "\\n" + canonical_content(row))

``canonical_content`` is sorted-key, compact, ASCII-only JSON of everything the row
says: actor id, action, target type, id and label, assessment id, before, after, note
and the time in UTC. The id and the previous hash stay outside the JSON so that the
database can append them inside the INSERT, where both are first known (see
``core.audit``). Editing any field, the id or the link of a row changes its hash;
deleting or inserting a row breaks the link of the row after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: ``prev_hash`` of the first row.
GENESIS = ""

#: Key of the PostgreSQL transaction-level advisory lock that serialises appends
#: (an arbitrary constant: "audit" in ASCII).
ADVISORY_LOCK_KEY = 0x6175646974

#: The row fields that ``canonical_content`` covers, as stored (foreign keys by id).
CONTENT_FIELDS: tuple[str, ...] = (
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "assessment_id",
    "before",
    "after",
    "note",
    "created_at",
)


def _normalised(value: Any) -> Any:
    """JSON values as they read back from any backend: PostgreSQL's jsonb prints an
    integral float of 1e16 or more as an integer, so integral floats become integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _normalised(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalised(v) for v in value]
    return value


def utc_iso(moment: dt.datetime) -> str:
    """``2026-05-01T08:00:00.000000+00:00``: always UTC, always with microseconds."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical_content(
    *,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    assessment_id: int | None,
    before: Any,
    after: Any,
    note: str,
    created_at: dt.datetime,
) -> str:
    """The row's content as canonical JSON (sorted keys, no spaces, ASCII only)."""
    return json.dumps(
        {
            "actor": actor_id,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "target_label": target_label,
            "assessment": assessment_id,
            "before": _normalised(before),
            "after": _normalised(after),
            "note": note,
            "created_at": utc_iso(created_at),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
    )


def chain_hash(prev_hash: str, event_id: int, content: str) -> str:
    """The row's hash: hex sha256 over the previous hash, the id and the content."""
    return hashlib.sha256(f"{prev_hash}\n{event_id}\n{content}".encode()).hexdigest()


def row_hash(prev_hash: str, event_id: int, fields: Mapping[str, Any]) -> str:
    """``chain_hash`` of a row given as a mapping with the ``CONTENT_FIELDS``."""
    return chain_hash(
        prev_hash, event_id, canonical_content(**{name: fields[name] for name in CONTENT_FIELDS})
    )


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first place where the chain does not hold.

    ``kind`` is ``edited`` (a row does not match its hash: a field, its id or its link
    was changed, or it was forged without the right hash), ``inserted`` (a row sits
    between two rows that link to each other) or ``deleted`` (a row does not link to
    the row before it: rows were removed between them, or at the start of the log).
    """

    kind: str
    event_id: int
    message: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    rows: int
    head_id: int | None
    head_hash: str
    problem: ChainBreak | None
    #: ``None`` without an anchor; else whether the anchored row still has its hash.
    anchor_ok: bool | None = None


def verify_chain(
    rows: Iterable[Mapping[str, Any]], *, anchor: tuple[int, str] | None = None
) -> ChainReport:
    """Walk the rows in id order (each with ``id``, ``prev_hash``, ``hash`` and the
    ``CONTENT_FIELDS``) and report the first break. Constant memory: it keeps only the
    last two hashes. ``anchor`` is an (id, hash) pair recorded earlier outside the
    database; a rewrite of the whole chain from that row on is caught only this way."""
    count = 0
    expected = GENESIS  # hash the next row must link to
    before_last: str | None = None  # hash of the row before the last one
    last_id: int | None = None
    anchor_ok: bool | None = None if anchor is None else False
    for row in rows:
        count += 1
        event_id = row["id"]
        if row_hash(row["prev_hash"], event_id, row) != row["hash"]:
            problem = ChainBreak(
                "edited",
                event_id,
                f"row {event_id} does not match its hash: it was edited, moved from "
                "another position, or forged",
            )
            return ChainReport(count, last_id, expected, problem, anchor_ok)
        if row["prev_hash"] != expected:
            if last_id is not None and row["prev_hash"] == before_last:
                problem = ChainBreak(
                    "inserted",
                    last_id,
                    f"row {last_id} was inserted: row {event_id} links to the row before it",
                )
            elif last_id is None:
                problem = ChainBreak(
                    "deleted",
                    event_id,
                    f"rows were deleted before row {event_id}, the first row left",
                )
            else:
                problem = ChainBreak(
                    "deleted",
                    event_id,
                    f"rows were deleted between row {last_id} and row {event_id}",
                )
            return ChainReport(count, last_id, expected, problem, anchor_ok)
        if anchor is not None and event_id == anchor[0]:
            anchor_ok = row["hash"] == anchor[1]
        before_last, expected, last_id = expected, row["hash"], event_id
    return ChainReport(count, last_id, expected, None, anchor_ok)
