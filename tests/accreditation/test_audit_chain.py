"""The audit log's hash chain: what audit_record writes, what verify_audit finds after
each kind of tampering, and the migration that chained the rows written before it."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import threading

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from accreditation.core import audit_chain
from accreditation.core.audit import audit_record
from accreditation.models import AuditEvent, Region
from accreditation.selectors.audit import audit_chain_rows
from tests.factories import ProvinceFactory

TABLE = AuditEvent._meta.db_table


def record(target, n: int) -> list[AuditEvent]:
    return [
        audit_record(
            actor=None,
            action="test.change",
            target=target,
            before={"n": n_ - 1} if n_ else None,
            after={"n": n_, "名称": "示范", "list": [1, 2.5, None, True]},
            note=f"change {n_}",
        )
        for n_ in range(n)
    ]


@pytest.fixture
def events(db) -> list[AuditEvent]:
    return record(ProvinceFactory(code="930000"), 5)


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue().strip()


def verify_error(*args: str) -> str:
    with pytest.raises(CommandError) as excinfo:
        verify(*args)
    return str(excinfo.value)


def stored(event_id: int) -> dict:
    return AuditEvent.objects.values("id", "prev_hash", "hash", *audit_chain.CONTENT_FIELDS).get(
        pk=event_id
    )


def skip_ids(count: int) -> None:
    """Leave a gap in the ids, as rolled-back transactions do on PostgreSQL."""
    if connection.vendor == "postgresql":
        sql(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), "
            f"(SELECT MAX(id) FROM {TABLE}) + %s)",
            [count],
        )
    else:
        sql("UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s", [count, TABLE])


def forge(event_id: int, prev_hash: str, digest: str | None = None) -> None:
    """Insert a row by hand; with the right hash unless ``digest`` is given."""
    fields = [
        event_id,
        "assessment.decide",
        "accreditation.assessment",
        "1",
        "forged",
        '{"level": "recommended"}',
        "2026-05-01 00:00:00+00:00",
        prev_hash,
        digest or "",
    ]
    sql(
        f"INSERT INTO {TABLE} (id, action, target_type, target_id, target_label, after, note,"
        " created_at, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, '', %s, %s, %s)",
        fields,
    )
    if digest is None:
        row = stored(event_id)
        digest = audit_chain.row_hash(prev_hash, event_id, row)
        sql(f"UPDATE {TABLE} SET hash = %s WHERE id = %s", [digest, event_id])


def test_each_row_links_to_the_previous_one(events):
    assert events[0].prev_hash == audit_chain.GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert len({e.hash for e in events}) == 5


def test_stored_hash_is_the_hash_of_the_stored_content(events):
    for event in events:
        row = stored(event.pk)
        assert row["hash"] == event.hash
        assert row["hash"] == audit_chain.row_hash(row["prev_hash"], row["id"], row)


def test_audit_record_returns_the_row_as_stored(events):
    event = AuditEvent.objects.get(pk=events[2].pk)
    assert (event.prev_hash, event.hash, event.note, event.after) == (
        events[2].prev_hash,
        events[2].hash,
        "change 2",
        {"n": 2, "名称": "示范", "list": [1, 2.5, None, True]},
    )
    assert event.created_at == events[2].created_at
    assert event.target_type == "accreditation.region"
    assert events[2]._state.adding is False


def test_audit_record_is_one_query(db, django_assert_num_queries):
    region = ProvinceFactory(code="930000")
    with django_assert_num_queries(1):
        audit_record(actor=None, action="test.change", target=region, after={"x": 1})


def test_large_integral_floats_hash_as_they_read_back(db):
    event = audit_record(
        actor=None, action="test.change", target=ProvinceFactory(), after={"big": 1e16, "x": 2.0}
    )
    row = stored(event.pk)
    assert audit_chain.row_hash(row["prev_hash"], row["id"], row) == event.hash


def test_canonical_content_is_sorted_compact_ascii_json_in_utc():
    content = audit_chain.canonical_content(
        actor_id=7,
        action="a",
        target_type="t",
        target_id="9",
        target_label="示范",
        assessment_id=None,
        before=None,
        after={"b": 1, "a": [1.0]},
        note="",
        created_at=dt.datetime(2026, 5, 1, 16, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    )
    assert content == (
        '{"action":"a","actor":7,"after":{"a":[1],"b":1},"assessment":null,"before":null,'
        '"created_at":"2026-05-01T08:00:00.000000+00:00","note":"","target_id":"9",'
        '"target_label":"\\u793a\\u8303","target_type":"t"}'
    )
    assert audit_chain.chain_hash("", 1, content) == audit_chain.chain_hash("", 1, content)
    assert audit_chain.chain_hash("", 1, content) != audit_chain.chain_hash("", 2, content)


def test_verify_audit_reports_an_intact_chain_and_its_head(events):
    assert verify() == f"Audit chain intact: 5 rows. Head {events[-1].pk}:{events[-1].hash}"


def test_verify_audit_on_an_empty_log(db):
    assert verify() == "Audit chain intact: 0 rows. Head none"


def test_verify_audit_finds_an_edited_note(events):
    sql(f"UPDATE {TABLE} SET note = %s WHERE id = %s", ["nothing to see", events[2].pk])
    assert verify_error() == (
        f"Audit chain broken (edited) at row {events[2].pk}: row {events[2].pk} does not "
        "match its hash: it was edited, moved from another position, or forged."
    )


def test_verify_audit_finds_an_edited_json_value(events):
    sql(f"UPDATE {TABLE} SET after = %s WHERE id = %s", ['{"n": 99}', events[3].pk])
    assert f"(edited) at row {events[3].pk}:" in verify_error()


def test_verify_audit_finds_an_edited_time(events):
    later = events[1].created_at + dt.timedelta(seconds=1)
    AuditEvent.objects.filter(pk=events[1].pk).update(created_at=later)
    assert f"(edited) at row {events[1].pk}:" in verify_error()


def test_verify_audit_finds_a_deleted_middle_row(events):
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].pk])
    assert verify_error() == (
        f"Audit chain broken (deleted) at row {events[3].pk}: rows were deleted between "
        f"row {events[1].pk} and row {events[3].pk}."
    )


def test_verify_audit_finds_deleted_first_rows(events):
    sql(f"DELETE FROM {TABLE} WHERE id <= %s", [events[1].pk])
    assert verify_error() == (
        f"Audit chain broken (deleted) at row {events[2].pk}: rows were deleted before "
        f"row {events[2].pk}, the first row left."
    )


def test_verify_audit_finds_a_forged_row_with_a_correct_hash(db):
    region = ProvinceFactory(code="930000")
    first = record(region, 2)
    skip_ids(1)
    after_gap = record(region, 2)
    forged_id = first[-1].pk + 1
    assert after_gap[0].pk == forged_id + 1
    forge(forged_id, prev_hash=first[-1].hash)
    assert verify_error() == (
        f"Audit chain broken (inserted) at row {forged_id}: row {forged_id} was inserted: "
        f"row {after_gap[0].pk} links to the row before it."
    )


def test_verify_audit_finds_a_forged_row_without_a_hash(db):
    region = ProvinceFactory(code="930000")
    first = record(region, 2)
    skip_ids(1)
    record(region, 1)
    forged_id = first[-1].pk + 1
    forge(forged_id, prev_hash=first[-1].hash, digest="")
    assert f"(edited) at row {forged_id}:" in verify_error()


def test_verify_audit_finds_reordered_rows(events):
    a, b = events[1].pk, events[3].pk
    sql(f"UPDATE {TABLE} SET id = %s WHERE id = %s", [-1, a])
    sql(f"UPDATE {TABLE} SET id = %s WHERE id = %s", [a, b])
    sql(f"UPDATE {TABLE} SET id = %s WHERE id = %s", [b, -1])
    assert f"(edited) at row {a}:" in verify_error()


def test_verify_audit_finds_an_appended_row_that_does_not_link(events):
    forge(events[-1].pk + 1, prev_hash=events[2].hash)
    assert verify_error() == (
        f"Audit chain broken (deleted) at row {events[-1].pk + 1}: rows were deleted "
        f"between row {events[-1].pk} and row {events[-1].pk + 1}."
    )


def rewrite_from(position: int, events: list[AuditEvent]) -> None:
    """A forger who knows the algorithm edits a row and rehashes everything after it."""
    AuditEvent.objects.filter(pk=events[position].pk).update(note="rewritten")
    prev_hash = events[position - 1].hash
    for event in events[position:]:
        row = stored(event.pk)
        digest = audit_chain.row_hash(prev_hash, row["id"], row)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev_hash, hash=digest)
        prev_hash = digest


def test_a_full_rewrite_passes_the_walk_but_not_an_anchor(events):
    anchor = f"{events[3].pk}:{events[3].hash}"
    rewrite_from(2, events)
    assert verify().startswith("Audit chain intact: 5 rows.")
    assert verify_error("--anchor", anchor) == (
        f"Audit chain rewritten: row {events[3].pk} no longer has the anchored hash "
        "(or is gone). Every row after it is suspect."
    )


def test_an_anchor_on_an_untouched_chain_passes(events):
    assert verify("--anchor", f"{events[3].pk}:{events[3].hash}").startswith("Audit chain intact")


def test_an_anchor_to_a_deleted_tail_fails(events):
    anchor = f"{events[-1].pk}:{events[-1].hash}"
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[-1].pk])
    assert "no longer has the anchored hash" in verify_error("--anchor", anchor)


def test_a_malformed_anchor_is_refused(events):
    assert verify_error("--anchor", "12:abc") == (
        "--anchor must be ID:HASH, as printed by verify_audit."
    )


def test_chain_rows_stream_in_id_order_in_chunks(events, django_assert_num_queries):
    with django_assert_num_queries(1):
        ids = [row["id"] for row in audit_chain_rows(chunk_size=2)]
    assert ids == [e.pk for e in events]


def test_migration_chains_rows_written_before_the_chain(db):
    migration = importlib.import_module("accreditation.migrations.0004_audit_hash_chain")
    region = ProvinceFactory(code="930000")
    moment = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action="old.change",
            target_type="accreditation.region",
            target_id=str(region.pk),
            after={"n": n},
            note=f"old {n}",
            created_at=moment + dt.timedelta(minutes=n),
        )
        for n in range(5)
    )
    assert set(AuditEvent.objects.values_list("hash", flat=True)) == {""}

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.chain_existing_rows(apps, editor)

    rows = list(audit_chain_rows())
    assert [r["prev_hash"] for r in rows[1:]] == [r["hash"] for r in rows[:-1]]
    assert rows[0]["prev_hash"] == ""
    assert all(r["hash"] == audit_chain.row_hash(r["prev_hash"], r["id"], r) for r in rows)
    new = audit_record(actor=None, action="new.change", target=region)
    assert new.prev_hash == rows[-1]["hash"]
    assert verify().startswith("Audit chain intact: 6 rows.")


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    region = Region.objects.create(code="940000", name="并发省", level="province")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for _ in range(10):
                with transaction.atomic():
                    audit_record(actor=None, action="test.race", target=region, after={"w": n})
                    # Hold the transaction open: without the lock, others would link to
                    # the same previous row meanwhile.
                    sql("SELECT pg_sleep(0.005)")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="test.race").count() == 40
    assert verify().startswith("Audit chain intact: 40 rows.")
