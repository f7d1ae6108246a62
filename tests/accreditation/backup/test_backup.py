"""backup_cycle / restore_cycle: a cycle's rows and files survive a round trip exactly;
a damaged archive or an occupied database is refused before anything is written."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from accreditation.backup import archive
from accreditation.backup.archive import ArchiveError
from accreditation.backup.dump import cycle_backup
from accreditation.backup.load import RestoreRefused, cycle_restore
from accreditation.backup.plan import OWNED, REFERENCE, TABLES, by_model
from accreditation.models import (
    Assessment,
    AuditEvent,
    CertificateRecord,
    Cycle,
    Evidence,
    Institution,
    ItemGrade,
    Recognition,
    Region,
)
from accreditation.services.certificates import certificate_issue
from accreditation.services.experts import expert_review_submit
from accreditation.services.panels import panel_assign
from accreditation.services.reductions import lookback_record
from accreditation.services.reviews import assessment_return, county_review_forward
from accreditation.services.submission import assessment_resubmit
from tests.factories import ProvinceFactory
from tests.faults.injection import STATE_APPS, db_state
from tests.workflows.helpers import grade_all, recognise_all, submitted


@pytest.fixture
def cycle(world, experts) -> Cycle:
    """A cycle with A recognised (then downgraded by a look-back, its new
    certificate issued and stored) and B returned once and now at the consolidation, with evidence,
    decisions and audit rows along the way."""
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [(world.assessment_a, world.staff_a, world.reviewer_a, "A")],
    )
    b = world.assessment_b
    submitted(b, world.staff_b)
    assessment_return(
        actor=world.reviewer_b, assessment=b, reason="缺少附件", item_comments={"1.1.1": "补充"}
    )
    assessment_resubmit(actor=world.staff_b, assessment=b)
    county_review_forward(actor=world.reviewer_b, assessment=b)
    panel_assign(
        actor=world.officer_province, assessment=b, lead=experts.lead, members=[experts.member]
    )
    for expert, grade in ((experts.lead, "A"), (experts.member, "B")):
        grade_all(expert, b, grade)
        expert_review_submit(actor=expert, assessment=b)
    recognition = Recognition.objects.get(assessment=world.assessment_a)
    lookback_record(
        actor=world.officer_province,
        recognition=recognition,
        outcome="downgrade",
        to_level="basic",
        reason="回头看发现问题",
    )
    certificate_issue(
        actor=world.officer_province,
        certificate=CertificateRecord.objects.filter(status="valid").get(),
    )
    return world.cycle


def wipe() -> None:
    """An empty database: every row of the domain, process and catalogue tables goes
    (foreign keys are checked at commit), and every stored file."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in STATE_APPS and not model._meta.proxy:
            model._base_manager.all()._raw_delete(connection.alias)
    for path in sorted(Path(default_storage.location).rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()


def tables(path: Path) -> dict[str, list]:
    """The archive's tables, row lists by model, read back."""
    out: dict[str, list] = {}
    manifest = archive.verify(path)
    for member, stream in archive.members(path):
        spec = next((t for t in manifest["tables"] if t["member"] == member.name), None)
        if spec is not None:
            out[spec["model"]] = [json.loads(line) for line in stream.read().splitlines()]
    return out


def test_the_archive_lists_every_member_with_its_checksum(cycle, tmp_path):
    result = cycle_backup(cycle=cycle, output=tmp_path)
    assert result.path.parent == tmp_path and result.path.name.startswith("cycle-990000-2026-")
    manifest = archive.verify(result.path)
    assert manifest["cycle"] == {
        "id": cycle.pk,
        "province": "990000",
        "year": 2026,
        "name": cycle.name,
    }
    assert {t["model"]: t["rows"] for t in manifest["tables"]} == result.rows
    assert result.rows["accreditation.Assessment"] == 2
    assert result.rows["accreditation.ItemGrade"] == 12
    assert result.rows["accreditation.Evidence"] == 2
    assert result.rows["viewflow.Task"] > 20
    assert result.rows["accreditation.AuditEvent"] == AuditEvent.objects.count()
    assert result.rows["accreditation.Region"] >= 4  # the counties, their cities, the province
    names = sorted(f["name"] for f in manifest["files"])
    assert names == sorted(
        [e.file.name for e in Evidence.objects.all()]
        + [r.file.name for r in CertificateRecord.objects.exclude(file="")]
    )
    for file in manifest["files"]:
        with default_storage.open(file["name"], "rb") as stored:
            assert file["sha256"] == hashlib.sha256(stored.read()).hexdigest()
        assert manifest["members"][file["member"]]["sha256"] == file["sha256"]
    assert result.sha256 == archive.sha256_file(result.path)
    assert manifest["warnings"] == []


def test_a_round_trip_into_an_empty_database_restores_identical_rows_and_files(cycle, tmp_path):
    first = cycle_backup(cycle=cycle, output=tmp_path / "first.tar.gz")
    before = db_state()
    wipe()
    assert not Assessment.objects.exists() and not Region.objects.exists()
    result = cycle_restore(path=first.path, expected_sha256=first.sha256)
    assert result.cycle.pk == cycle.pk
    assert result.reused == {}
    second = cycle_backup(cycle=result.cycle, output=tmp_path / "second.tar.gz")
    old, new = tables(first.path), tables(second.path)
    restore_rows = [r for r in new["accreditation.AuditEvent"] if "cycle.restore" in r]
    assert len(restore_rows) == 1
    new["accreditation.AuditEvent"].remove(restore_rows[0])
    assert new == old
    # The stored files too, by name and content.
    after_files = db_state()["files"]
    assert after_files == before["files"]
    # The audit chain still holds (every audit row of this world belongs to the cycle).
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit chain intact" in out.getvalue()
    # Every row of every owned table, column by column, as it was.
    after = db_state()
    for entry in TABLES:
        if entry.role == OWNED and entry.label != "accreditation.AuditEvent":
            assert after[entry.model._meta.label] == before[entry.model._meta.label], entry.label


def test_restoring_reuses_rows_already_there_by_natural_key(cycle, tmp_path):
    backup = cycle_backup(cycle=cycle, output=tmp_path / "cycle.tgz")
    licence = cycle.assessments.order_by("pk").first().institution.licence_number
    wipe()
    # The province exists here already, under another id.
    ProvinceFactory(code="980000")
    province = ProvinceFactory(code="990000", name="示范省")
    result = cycle_restore(path=backup.path)
    assert result.reused == {"accreditation.Region": 1}
    restored = Cycle.objects.get(pk=cycle.pk)
    assert restored.province_id == province.pk
    institution = Institution.objects.get(licence_number=licence)
    assert institution.region.parent.parent_id == province.pk
    assert Region.objects.filter(code="990000").count() == 1
    grades = ItemGrade.objects.filter(assessment__institution=institution)
    assert grades.count() == 6 and all(g.item.code == g.item_code for g in grades)


def test_a_cycle_that_exists_is_refused_and_nothing_is_written(cycle, tmp_path):
    backup = cycle_backup(cycle=cycle, output=tmp_path / "cycle.tar.gz")
    before = db_state()
    with pytest.raises(RestoreRefused, match="already exists"):
        cycle_restore(path=backup.path)
    assert db_state() == before


def test_ids_already_taken_are_refused_and_nothing_is_written(cycle, tmp_path):
    backup = cycle_backup(cycle=cycle, output=tmp_path / "cycle.tar.gz")
    Cycle.objects.filter(pk=cycle.pk).update(year=2025)
    before = db_state()
    with pytest.raises(RestoreRefused, match="Cycle already has rows with the archive's ids"):
        cycle_restore(path=backup.path)
    assert db_state() == before


def repack(source: Path, target: Path, change, extra: dict[str, bytes] | None = None) -> Path:
    """Copy the archive member by member; ``change(name, data)`` returns the new
    content, or None to leave the member out; ``extra`` members are added at the end."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for info in old.getmembers():
            data = change(info.name, old.extractfile(info).read())
            if data is None:
                continue
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def _flip(data: bytes) -> bytes:
    return data[:10] + bytes([data[10] ^ 0x01]) + data[11:]


def _first_evidence(name: str) -> bool:
    return name.startswith("files/evidence/")


def _assessments(name: str) -> bool:
    return name.endswith("accreditation.assessment.jsonl")


DAMAGE = {
    "a changed byte in a data file": (
        lambda n, d: _flip(d) if _assessments(n) else d,
        "checksum mismatch",
    ),
    "a changed byte in an evidence file": (
        lambda n, d: _flip(d) if _first_evidence(n) else d,
        "checksum mismatch",
    ),
    "a missing evidence file": (
        lambda n, d: None if _first_evidence(n) else d,
        "is missing from the archive",
    ),
    "a missing table": (lambda n, d: None if _assessments(n) else d, "is missing"),
    "no manifest": (lambda n, d: None if n == "manifest.json" else d, "no manifest"),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_archive_is_refused_and_nothing_is_written(cycle, tmp_path, damage):
    backup = cycle_backup(cycle=cycle, output=tmp_path / "cycle.tar.gz")
    change, message = DAMAGE[damage]
    damaged = repack(backup.path, tmp_path / "damaged.tar.gz", change)
    wipe()
    before = db_state()
    with pytest.raises(ArchiveError, match=message):
        cycle_restore(path=damaged)
    assert db_state() == before


def test_a_corrupted_compressed_file_is_refused(cycle, tmp_path):
    backup = cycle_backup(cycle=cycle, output=tmp_path / "cycle.tar.gz")
    data = bytearray(backup.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    corrupted = tmp_path / "corrupted.tar.gz"
    corrupted.write_bytes(bytes(data))
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(bytes(data[: len(data) // 3]))
    wipe()
    before = db_state()
    for path in (corrupted, truncated):
        with pytest.raises(ArchiveError):
            cycle_restore(path=path)
        assert db_state() == before


def test_a_wrong_row_count_or_a_path_outside_the_archive_is_refused(cycle, tmp_path):
    backup = cycle_backup(cycle=cycle, output=tmp_path / "cycle.tar.gz")

    def one_row_fewer(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            for table in manifest["tables"]:
                if table["model"] == "accreditation.Assessment":
                    table["rows"] -= 1
            return json.dumps(manifest).encode()
        return data

    fewer = repack(backup.path, tmp_path / "fewer.tar.gz", one_row_fewer)
    unlisted = repack(
        backup.path, tmp_path / "unlisted.tar.gz", lambda n, d: d, {"files/evil.sh": b"boom"}
    )
    with tarfile.open(tmp_path / "escape.tar.gz", "w:gz") as tar:
        info = tarfile.TarInfo("../../etc/cron.d/evil")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"boom"))
        link = tarfile.TarInfo("files/link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
    wipe()
    before = db_state()
    with pytest.raises(ArchiveError, match="2 rows, the manifest says 1"):
        cycle_restore(path=fewer)
    with pytest.raises(ArchiveError, match=r"files/evil\.sh is not listed in the manifest"):
        cycle_restore(path=unlisted)
    with pytest.raises(ArchiveError, match="unexpected member"):
        cycle_restore(path=tmp_path / "escape.tar.gz")
    with pytest.raises(ArchiveError, match="not the expected file"):
        cycle_restore(path=backup.path, expected_sha256="0" * 64)
    assert db_state() == before


def test_the_commands_back_up_and_restore(cycle, tmp_path):
    out = io.StringIO()
    call_command("backup_cycle", str(cycle.pk), "--output", str(tmp_path / "c.tar.gz"), stdout=out)
    assert "Wrote" in out.getvalue() and "sha256 " in out.getvalue()
    digest = out.getvalue().split("sha256 ")[1].strip()
    with pytest.raises(CommandError, match="already exists"):
        call_command("restore_cycle", str(tmp_path / "c.tar.gz"), stdout=io.StringIO())
    wipe()
    out = io.StringIO()
    call_command("restore_cycle", str(tmp_path / "c.tar.gz"), "--sha256", digest, stdout=out)
    assert f"Restored cycle {cycle.name} (id {cycle.pk})" in out.getvalue()
    with pytest.raises(CommandError, match="No cycle with id 999999"):
        call_command("backup_cycle", "999999", "--output", str(tmp_path), stdout=io.StringIO())
    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("restore_cycle", str(tmp_path / "junk.tar.gz"), stdout=io.StringIO())


def test_every_link_of_an_archived_table_points_into_the_archive():
    """Nothing a restored row refers to is left out (a new model or link must be added
    to the plan)."""
    tables_ = by_model()
    for entry in TABLES:
        for field in entry.fields():
            if field.is_relation:
                assert field.related_model in tables_, f"{entry.label}.{field.name}"


def test_every_model_of_the_domain_is_archived_or_deliberately_not():
    not_archived = {
        "accreditation.User_groups",
        "accreditation.User_user_permissions",
        # Sign-ins, not cycle data: a restored cycle signs nobody in.
        "accreditation.UserSession",
        # Institution facts are kept per institution and year across cycles, not as a
        # cycle's data (a restored cycle keeps the facts already there).
        "accreditation.FactImport",
        "accreditation.InstitutionFact",
        "accreditation.FactChallenge",
        "accreditation.FactChallengeNotice",
        "accreditation.MetricSource",
        # Crosswalks are catalogue files, imported like editions, not a cycle's data.
        "standards.Crosswalk",
    }
    archived = {entry.label for entry in TABLES}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if model._meta.app_label in {"accreditation", "workflows", "standards"}:
            assert label in archived or label in not_archived, label
    assert {t.role for t in TABLES} == {OWNED, REFERENCE}
