"""Write one cycle, with what it refers to and its stored files, to an archive."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from accreditation.backup import archive
from accreditation.backup.plan import AUDITED, OWNED, REFERENCE, TABLES, Table, by_model
from accreditation.models import Cycle

#: Primary keys per query (below SQLite's bound on variables).
CHUNK = 500


@dataclass(frozen=True)
class BackupResult:
    path: Path
    sha256: str
    rows: dict[str, int]
    files: int
    warnings: list[str]


def _chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _relations(entry: Table) -> list[models.ForeignKey]:
    """The table's links (foreign keys and one-to-one keys: its only relation columns)."""
    return [f for f in entry.fields() if isinstance(f, models.ForeignKey)]


def _owned_ids(cycle_id: int) -> dict[str, set[Any]]:
    ids: dict[str, set[Any]] = {}
    for entry in TABLES:
        if entry.role != OWNED or entry.label == "accreditation.AuditEvent":
            continue
        assert entry.select is not None
        qs = entry.model._base_manager.filter(entry.select(cycle_id))
        ids[entry.label] = set(qs.values_list("pk", flat=True).distinct())
    audit = Q(assessment__cycle_id=cycle_id)
    for label in AUDITED:
        model_label = next(t.model._meta.label_lower for t in TABLES if t.label == label)
        targets = [str(pk) for pk in ids[label]]
        for batch in _chunks(targets):
            audit |= Q(target_type=model_label, target_id__in=batch)
    audit_model = next(t.model for t in TABLES if t.label == "accreditation.AuditEvent")
    ids["accreditation.AuditEvent"] = set(
        audit_model._base_manager.filter(audit).values_list("pk", flat=True).distinct()
    )
    return ids


def _references(cycle_id: int, owned: dict[str, set[Any]]) -> dict[str, set[Any]]:
    """Every reference row the owned rows need, followed through reference rows until
    nothing new turns up."""
    tables = by_model()
    needed: dict[str, set[Any]] = defaultdict(set)
    for entry in TABLES:
        if entry.role == REFERENCE and entry.extra is not None:
            qs = entry.model._base_manager.filter(entry.extra(cycle_id))
            needed[entry.label] |= set(qs.values_list("pk", flat=True).distinct())

    def follow(entry: Table, pks: set[Any]) -> None:
        for field in _relations(entry):
            target = tables.get(field.related_model)
            if target is None or target.role != REFERENCE:
                continue
            for batch in _chunks(sorted(pks)):
                values = (
                    entry.model._base_manager.filter(pk__in=batch)
                    .exclude(**{field.attname: None})
                    .values_list(field.attname, flat=True)
                    .distinct()
                )
                new = set(values) - needed[target.label]
                if new:
                    needed[target.label] |= new
                    pending[target.label] |= new

    pending: dict[str, set[Any]] = defaultdict(set)
    for entry in TABLES:
        if entry.role == OWNED:
            follow(entry, owned[entry.label])
    for label, pks in list(needed.items()):
        pending[label] |= pks
    while pending:
        label, pks = pending.popitem()
        follow(next(t for t in TABLES if t.label == label), pks)
    return needed


def _rows(entry: Table, pks: set[Any], owned: dict[str, set[Any]]) -> Iterator[list[Any]]:
    """The rows' column values by primary key; a nullable link to an owned row of
    another cycle is stored empty (nothing outside the cycle is restored)."""
    fields = entry.fields()
    tables = by_model()
    detach = {
        i: target.label
        for i, f in enumerate(fields)
        if isinstance(f, models.ForeignKey)
        and f.null
        and (target := tables.get(f.related_model)) is not None
        and target.role == OWNED
    }
    # Values as the database stores them (viewflow's flow and task references are
    # classes in Python and strings in the database); JSON as it is.
    prepare = [
        None if f.is_relation or isinstance(f, models.JSONField) else f.get_prep_value
        for f in fields
    ]
    for batch in _chunks(sorted(pks)):
        qs = entry.model._base_manager.filter(pk__in=batch).order_by("pk")
        for values in qs.values_list(*[f.attname for f in fields]):
            row = [
                v if p is None or v is None else p(v) for p, v in zip(prepare, values, strict=True)
            ]
            for i, label in detach.items():
                if row[i] is not None and row[i] not in owned[label]:
                    row[i] = None
            yield row


def _stored_files(entry: Table, pks: set[Any]) -> Iterator[tuple[str, Any]]:
    for field in entry.fields():
        if isinstance(field, models.FileField):
            for batch in _chunks(sorted(pks)):
                qs = entry.model._base_manager.filter(pk__in=batch).exclude(**{field.attname: ""})
                for pk, name in qs.values_list("pk", field.attname):
                    yield name, pk


#: Rows that record their stored file's SHA-256, and the column that holds it.
RECORDED_SHA256 = {"accreditation.Evidence": "sha256", "accreditation.CertificateRecord": "sha256"}


def _mismatches(file: dict[str, Any]) -> list[str]:
    """Rows whose recorded SHA-256 differs from the stored file's (the file is archived
    as it is; the backup reports it)."""
    found = []
    for label, pk in file["rows"]:
        column = RECORDED_SHA256.get(label)
        if column is None:
            continue
        model = next(t.model for t in TABLES if t.label == label)
        recorded = model._base_manager.filter(pk=pk).values_list(column, flat=True).first()
        if recorded and recorded != file["sha256"]:
            found.append(
                f"{file['name']}: stored content {file['sha256']}, {label} {pk} records {recorded}"
            )
    return found


def cycle_backup(*, cycle: Cycle, output: Path) -> BackupResult:
    """Write ``cycle`` to a gzip-compressed tar at ``output`` (a file name ending in
    ``.tar.gz`` or ``.tgz``, else a folder that receives
    ``cycle-<province>-<year>-<time>.tar.gz``): every owned row, every reference row
    they need (by natural key), every stored file of its evidence and certificates, and
    a manifest with the SHA-256 and size of every member and the row count of every
    table. Reads in one repeatable snapshot on PostgreSQL; writes nothing to the
    database. Raises ``FileNotFoundError`` when a stored file is missing."""
    path = _target(cycle, output)
    connection = transaction.get_connection()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        owned = _owned_ids(cycle.pk)
        references = _references(cycle.pk, owned)
        rows: dict[str, int] = {}
        tables: list[dict[str, Any]] = []
        files: dict[str, dict[str, Any]] = {}
        warnings: list[str] = []
        with archive.Writer(path) as writer:
            for position, entry in enumerate(TABLES, start=1):
                pks = owned[entry.label] if entry.role == OWNED else references[entry.label]
                member = f"data/{position:02d}-{entry.label.lower()}.jsonl"
                _, count = writer.add_rows(member, _rows(entry, pks, owned))
                rows[entry.label] = count
                tables.append(
                    {
                        "model": entry.label,
                        "role": entry.role,
                        "key": list(entry.key),
                        "columns": [f.attname for f in entry.fields()],
                        "member": member,
                        "rows": count,
                    }
                )
                for name, pk in _stored_files(entry, pks):
                    files.setdefault(name, {"name": name, "rows": []})["rows"].append(
                        [entry.label, archive.encode(pk)]
                    )
            for name in sorted(files):
                member = f"files/{name}"
                with default_storage.open(name, "rb") as stream:
                    stored = writer.add_stream(member, stream, default_storage.size(name))
                files[name].update(member=member, sha256=stored["sha256"], size=stored["size"])
                warnings += _mismatches(files[name])
            manifest = {
                "format": archive.FORMAT,
                "version": archive.VERSION,
                "created_at": timezone.now().isoformat(),
                "cycle": {
                    "id": cycle.pk,
                    "province": cycle.province.code,
                    "year": cycle.year,
                    "name": cycle.name,
                },
                "tables": tables,
                "files": [files[name] for name in sorted(files)],
                "members": dict(writer.members),
                "warnings": warnings,
            }
            writer.add_manifest(manifest)
    return BackupResult(path, archive.sha256_file(path), rows, len(files), warnings)


def _target(cycle: Cycle, output: Path) -> Path:
    if output.name.endswith((".tar.gz", ".tgz")):
        output.parent.mkdir(parents=True, exist_ok=True)
        return output
    output.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    return output / f"cycle-{cycle.province.code}-{cycle.year}-{stamp}.tar.gz"
