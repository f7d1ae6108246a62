"""manage.py backup_cycle CYCLE_ID --output DIR_OR_TAR"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accreditation.backup.dump import cycle_backup
from accreditation.models import Cycle


class Command(BaseCommand):
    help = (
        "Write a cycle with everything that belongs to it (assessments, grades, snapshots, "
        "evidence files, reviews, decisions, notices, recognitions, certificates, review "
        "processes, audit log) and the regions, institutions, users and catalogue it "
        "refers to, into a .tar.gz with a manifest of SHA-256 checksums (docs/backup.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("cycle_id", type=int)
        parser.add_argument(
            "--output",
            type=Path,
            required=True,
            help="a file name ending in .tar.gz or .tgz, or a folder to write into",
        )

    def handle(self, *args, cycle_id: int, output: Path, **options):
        cycle = Cycle.objects.select_related("province").filter(pk=cycle_id).first()
        if cycle is None:
            raise CommandError(f"No cycle with id {cycle_id}.")
        try:
            result = cycle_backup(cycle=cycle, output=output)
        except FileNotFoundError as exc:
            raise CommandError(f"A stored file is missing: {exc}") from exc
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        total = sum(result.rows.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {result.path}: cycle {cycle.name}, {total} rows in "
                f"{len(result.rows)} tables, {result.files} files."
            )
        )
        self.stdout.write(f"sha256 {result.sha256}")
