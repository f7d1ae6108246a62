"""Restore a cycle archive: verify everything first, then write everything in one
transaction."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction

from accreditation.backup import archive
from accreditation.backup.archive import ArchiveError
from accreditation.backup.plan import OWNED, TABLES, Table, by_model
from accreditation.core.audit import AuditAction, audit_record
from accreditation.models import Cycle, Region

BATCH = 1000
#: Primary keys per existence query (below SQLite's bound on variables).
CHUNK = 500


class RestoreRefused(ArchiveError):
    """The archive is sound but the database cannot take it (the cycle or some of the
    archive's ids exist already)."""


@dataclass
class RestoreResult:
    cycle: Cycle
    created: dict[str, int] = field(default_factory=dict)
    reused: dict[str, int] = field(default_factory=dict)
    files_written: int = 0


def _chunks(values: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _concrete(model: type[models.Model], name: str) -> models.Field:
    """The concrete field ``name`` of ``model`` (a natural key's part)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model._meta.label}.{name} is not a column")
    return field


class _Loader:
    def __init__(self, manifest: dict[str, Any]) -> None:
        self.manifest = manifest
        self.tables = by_model()
        self.specs = {entry["member"]: entry for entry in manifest["tables"]}
        #: label -> archived pk -> pk in this database (reference tables).
        self.mapping: dict[str, dict[Any, Any]] = defaultdict(dict)
        self.created: dict[str, int] = defaultdict(int)
        self.reused: dict[str, int] = defaultdict(int)
        self.touched: set[type[models.Model]] = set()
        self.written: list[str] = []

    # Columns --------------------------------------------------------------------------

    def _columns(self, entry: Table, spec: dict[str, Any]) -> list[models.Field]:
        fields = {f.attname: f for f in entry.fields()}
        unknown = [c for c in spec["columns"] if c not in fields]
        if unknown:
            raise ArchiveError(
                f"{entry.label}: columns {', '.join(unknown)} are unknown to this version"
            )
        return [fields[c] for c in spec["columns"]]

    def _value(self, field: models.Field, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(field, models.ForeignKey):  # the only relation columns
            target = self.tables[field.related_model]
            value = field.target_field.to_python(value)
            if target.role == OWNED:
                return value
            try:
                return self.mapping[target.label][value]
            except KeyError:
                raise ArchiveError(
                    f"{field.model._meta.label}.{field.name} refers to {target.label} {value}, "
                    "which the archive does not hold"
                ) from None
        if isinstance(field, models.BinaryField):
            return bytes.fromhex(value)
        if isinstance(field, models.JSONField):
            return value
        return field.to_python(value)

    def _objects(self, entry: Table, fields: list[models.Field], rows: list[list[Any]]):
        missing = [f for f in entry.fields() if f not in fields]
        for row in rows:
            values = {f.attname: self._value(f, v) for f, v in zip(fields, row, strict=True)}
            for f in missing:
                values[f.attname] = f.get_default()
            yield values

    def _insert(self, entry: Table, objects: list[dict[str, Any]]) -> None:
        model = entry.model
        fields = entry.fields()
        instances = [model(**values) for values in objects]
        size = max(1, connection.ops.bulk_batch_size(fields, instances) or len(instances))
        for start in range(0, len(instances), size):
            # QuerySet._insert: Django's own raw INSERT keeping the archived primary keys
            # (bulk_create would not); private, so the stubs leave it out.
            model._base_manager._insert(  # type: ignore[attr-defined]
                instances[start : start + size], fields=fields, raw=True, using=connection.alias
            )
        self.touched.add(model)
        self.created[entry.label] += len(instances)

    # Reference tables ---------------------------------------------------------------

    def _existing(self, entry: Table, keys: list[tuple]) -> dict[tuple, Any]:
        """Primary keys of the rows already here, by natural key."""
        model = entry.model
        attnames = [_concrete(model, name).attname for name in entry.key]
        found: dict[tuple, Any] = {}
        firsts = sorted({k[0] for k in keys}, key=str)
        for batch in _chunks(firsts):
            qs = model._base_manager.filter(**{f"{attnames[0]}__in": batch})
            for *key, pk in qs.values_list(*attnames, "pk"):
                found[tuple(key)] = pk
        return found

    def _free(self, model: type[models.Model], pks: list[Any]) -> set[Any]:
        taken: set[Any] = set()
        for batch in _chunks(sorted(pks)):
            taken |= set(model._base_manager.filter(pk__in=batch).values_list("pk", flat=True))
        return set(pks) - taken

    def reference(self, entry: Table, spec: dict[str, Any], rows: list[list[Any]]) -> None:
        model = entry.model
        fields = self._columns(entry, spec)
        index = {f.attname: i for i, f in enumerate(fields)}
        pk_field = model._meta.pk
        key_fields = [_concrete(model, name) for name in entry.key]
        keys = [tuple(self._value(f, row[index[f.attname]]) for f in key_fields) for row in rows]
        existing = self._existing(entry, keys)
        mapping = self.mapping[entry.label]
        new_rows = []
        # A primary key that is a link (an expert profile's user) follows its target.
        pk_is_link = isinstance(pk_field, models.ForeignKey)
        pk_type = pk_field.target_field if isinstance(pk_field, models.ForeignKey) else pk_field
        for row, key in zip(rows, keys, strict=True):
            old = pk_type.to_python(row[index[pk_field.attname]])
            if key in existing:
                mapping[old] = existing[key]
                self.reused[entry.label] += 1
                for column in entry.merge_max:
                    value = self._value(fields[index[column]], row[index[column]])
                    model._base_manager.filter(pk=existing[key], **{f"{column}__lt": value}).update(
                        **{column: value}
                    )
            else:
                new_rows.append((old, row))
        if not new_rows:
            return
        if pk_is_link:
            for old, _ in new_rows:
                mapping[old] = self._value(pk_field, old)
        else:
            free = self._free(model, [old for old, _ in new_rows])
            top = model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0
            top = max([top, *[old for old, _ in new_rows if isinstance(old, int)]])
            for old, _ in new_rows:
                if old in free:
                    mapping[old] = old
                else:
                    top += 1
                    mapping[old] = top
        objects = []
        for values in self._objects(entry, fields, [row for _, row in new_rows]):
            if not pk_is_link:
                values[pk_field.attname] = mapping[values[pk_field.attname]]
            objects.append(values)
        self._insert(entry, objects)

    # Owned tables ---------------------------------------------------------------------

    def owned(self, entry: Table, spec: dict[str, Any], rows: list[list[Any]]) -> None:
        fields = self._columns(entry, spec)
        objects = list(self._objects(entry, fields, rows))
        pk = entry.model._meta.pk.attname
        pks = [values[pk] for values in objects]
        taken = set(pks) - self._free(entry.model, pks)
        if taken:
            sample = ", ".join(str(v) for v in sorted(taken)[:5])
            raise RestoreRefused(
                f"{entry.label} already has rows with the archive's ids ({sample}); restore "
                "into a database without them (an empty one)"
            )
        self._insert(entry, objects)

    def table(self, member: str, stream: IO[bytes]) -> None:
        spec = self.specs[member]
        entry = next(t for t in TABLES if t.label == spec["model"])
        hashing = archive.HashingReader(stream)
        reader = io.BufferedReader(hashing)
        rows: list[list[Any]] = []
        for line in reader:
            rows.append(json.loads(line))
            if entry.role == OWNED and len(rows) == BATCH:
                self.owned(entry, spec, rows)
                rows = []
        if entry.role == OWNED:
            if rows:
                self.owned(entry, spec, rows)
        else:
            self.reference(entry, spec, rows)
        archive.check(member, hashing.sha256, hashing.size, self.manifest["members"][member])

    # Files -----------------------------------------------------------------------------

    def file(self, member: str, stream: IO[bytes]) -> None:
        spec = next(f for f in self.manifest["files"] if f["member"] == member)
        name = spec["name"]
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as present:
                same = archive.hash_stream(present)[0] == spec["sha256"]
            if same:
                archive.check(
                    member, *archive.hash_stream(stream), self.manifest["members"][member]
                )
                return
        hashing = archive.HashingReader(stream)
        stored = default_storage.save(name, File(io.BufferedReader(hashing), name=name))
        self.written.append(stored)
        archive.check(member, hashing.sha256, hashing.size, self.manifest["members"][member])
        if stored != name:
            for label, pk in spec["rows"]:
                entry = next(t for t in TABLES if t.label == label)
                field_names = [f.attname for f in entry.fields() if isinstance(f, models.FileField)]
                target = self.mapping[label].get(pk, pk) if entry.role != OWNED else pk
                for attname in field_names:
                    entry.model._base_manager.filter(pk=target, **{attname: name}).update(
                        **{attname: stored}
                    )

    def finish(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.touched))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def _refuse_existing_cycle(manifest: dict[str, Any]) -> None:
    described = manifest["cycle"]
    region = Region.objects.filter(code=described["province"]).first()
    if region is None:
        return
    existing = Cycle.objects.filter(province=region, year=described["year"]).first()
    if existing is not None:
        raise RestoreRefused(
            f"The cycle {existing.name} ({described['province']}, {described['year']}) already "
            f"exists here (id {existing.pk}); nothing was restored."
        )


def cycle_restore(*, path: Path, expected_sha256: str = "") -> RestoreResult:
    """Restore a cycle archive written by :func:`cycle_backup`.

    Reads the whole archive first and refuses it (``ArchiveError``, nothing written)
    when it is unreadable, a member is missing, altered or unlisted, a table's row count
    differs, or (with ``expected_sha256``) the file is not the one expected. Then, in one
    transaction: refuses (``RestoreRefused``) when the cycle exists or any of its rows'
    ids is taken; maps every reference row to the row with the same natural key here,
    creating the missing ones; inserts the cycle's rows with their ids; writes the
    stored files that are not here yet (checking each against the manifest again);
    resets the id sequences; and records a ``cycle.restore`` audit row. Any failure
    rolls everything back and removes the files written."""
    if expected_sha256 and archive.sha256_file(path) != expected_sha256.lower():
        raise ArchiveError("The archive is not the expected file (SHA-256 differs).")
    manifest = archive.verify(path)
    loader = _Loader(manifest)
    try:
        with transaction.atomic():
            _refuse_existing_cycle(manifest)
            for member, stream in archive.members(path):
                if member.name == archive.MANIFEST:
                    continue
                if member.name in loader.specs:
                    loader.table(member.name, stream)
                else:
                    loader.file(member.name, stream)
            loader.finish()
            cycle = Cycle.objects.get(pk=manifest["cycle"]["id"])
            audit_record(
                actor=None,
                action=AuditAction.CYCLE_RESTORE,
                target=cycle,
                after={
                    "archive_created_at": manifest["created_at"],
                    "rows": sum(t["rows"] for t in manifest["tables"]),
                    "files": len(manifest["files"]),
                },
            )
    except BaseException as exc:
        for name in loader.written:
            default_storage.delete(name)
        if isinstance(exc, IntegrityError | DatabaseError) and not isinstance(exc, ArchiveError):
            raise RestoreRefused(f"The database refused the archive's rows: {exc}") from exc
        raise
    return RestoreResult(cycle, dict(loader.created), dict(loader.reused), len(loader.written))
