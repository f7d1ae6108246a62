"""manage.py restore_cycle ARCHIVE [--sha256 HEX]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accreditation.backup.archive import ArchiveError
from accreditation.backup.load import RestoreRefused, cycle_restore


class Command(BaseCommand):
    help = (
        "Restore a cycle archive written by backup_cycle. Every member's checksum is "
        "verified before anything is written; then everything is written in one "
        "transaction. Refuses a cycle that exists already or ids that are taken."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--sha256", default="", help="refuse unless the archive file has this SHA-256"
        )

    def handle(self, *args, archive: Path, sha256: str, **options):
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        try:
            result = cycle_restore(path=archive, expected_sha256=sha256)
        except RestoreRefused as exc:
            raise CommandError(f"Refused: {exc}") from exc
        except ArchiveError as exc:
            raise CommandError(f"Refused, nothing was written: {exc}") from exc
        created = sum(result.created.values())
        reused = sum(result.reused.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored cycle {result.cycle.name} (id {result.cycle.pk}): {created} rows "
                f"created, {reused} existing rows reused, {result.files_written} files written."
            )
        )
