"""The one writer of the audit log.

Every row is appended to a hash chain (``accreditation.audit_chain``) in one INSERT
statement: the database hands out the id and the previous row's hash and computes the
new hash, so the chain costs no extra query on the services' hot paths. Appends are
serialised: on PostgreSQL by a transaction-level advisory lock taken inside the INSERT
(held until commit, so a concurrent writer waits and then links to this row); on
SQLite by the database's single writer (transactions begin IMMEDIATE).
"""

from __future__ import annotations

from typing import Any

from django.db import connections, models, router
from django.utils import timezone

from accreditation import audit_chain
from accreditation.models import Assessment, AuditEvent, User

# Every field the INSERT writes besides id and the hashes.
_FIELDS = tuple(
    field
    for field in AuditEvent._meta.concrete_fields
    if field.attname not in {"id", "prev_hash", "hash"}
)

# The chain's next id and previous hash, as the one-row CTE "c" of the INSERT. On
# PostgreSQL the function takes the advisory lock first (see migration 0004).
_NEXT = {
    "postgresql": "SELECT next_id, prev_hash FROM accreditation_audit_chain_next()",
    "sqlite": (
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0) + 1"
        " AS next_id, COALESCE((SELECT hash FROM {table} ORDER BY id DESC LIMIT 1), '')"
        " AS prev_hash"
    ),
}
# hash = sha256_hex(prev_hash || "\n" || id || "\n" || content), as audit_chain.chain_hash.
_HASH = {
    "postgresql": (
        "encode(sha256(convert_to(c.prev_hash || chr(10) || c.next_id::text || chr(10) || %s,"
        " 'UTF8')), 'hex')"
    ),
    # SHA256 is registered on every SQLite connection by Django.
    "sqlite": "SHA256(c.prev_hash || char(10) || c.next_id || char(10) || %s)",
}


def _append_sql(vendor: str) -> str:
    if vendor not in _NEXT:
        raise NotImplementedError(f"The audit chain does not support {vendor}.")
    table = AuditEvent._meta.db_table
    columns = ", ".join(field.column for field in _FIELDS if field.column)  # concrete: all
    placeholders = ", ".join("%s" for _ in _FIELDS)
    return (
        f"WITH c AS ({_NEXT[vendor].format(table=table)}) "
        f"INSERT INTO {table} (id, {columns}, prev_hash, hash) "
        f"VALUES ((SELECT next_id FROM c), {placeholders}, (SELECT prev_hash FROM c), "
        f"(SELECT {_HASH[vendor]} FROM c)) "
        "RETURNING id, prev_hash, hash"
    )


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    assessment: Assessment | None = None,
) -> AuditEvent:
    """Insert one audit row for ``target``, chained to the previous row. Call it inside
    the service's transaction so the row commits or rolls back with the change it
    records. ``before``/``after`` must be JSON-serialisable. Pass ``assessment`` for
    every change to an assessment or anything inside it (defaults to ``target`` when that
    is an assessment), so the assessment's history is one indexed query. One query."""
    if assessment is None and isinstance(target, Assessment):
        assessment = target
    event = AuditEvent(
        assessment=assessment,
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        before=before,
        after=after,
        note=note,
        created_at=timezone.now(),
    )
    content = audit_chain.canonical_content(
        **{name: getattr(event, name) for name in audit_chain.CONTENT_FIELDS}
    )
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    params = [
        field.get_db_prep_save(getattr(event, field.attname), connection) for field in _FIELDS
    ]
    with connection.cursor() as cursor:
        cursor.execute(_append_sql(connection.vendor), [*params, content])
        event.id, event.prev_hash, event.hash = cursor.fetchone()
    event._state.adding = False
    event._state.db = alias
    return event
