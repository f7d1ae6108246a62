"""manage.py load_catalogue: import every edition, then every rule set, of the catalogue."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from standards.importers import CatalogueFileError
from standards.services import catalogue_file_import, catalogue_files


class Command(BaseCommand):
    help = (
        "Import editions/* then rulesets/* under ACCREDITATION['CATALOGUE_DIR'] (or --dir), "
        "one transaction per file, printing one summary line per file. Idempotent. Exits "
        "non-zero when any file was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="catalogue folder (default: settings)")

    def handle(self, *args, **options) -> None:
        directory = Path(options.get("dir") or settings.ACCREDITATION["CATALOGUE_DIR"])
        files = catalogue_files(directory=directory)
        if not files:
            self.stderr.write(f"No catalogue files under {directory}/editions or /rulesets.")
            return
        failed = 0
        for file in files:
            try:
                result = catalogue_file_import(actor=None, path=file.path, source=file.source)
            except (CatalogueFileError, ValidationError) as exc:
                failed += 1
                errors = exc.errors if isinstance(exc, CatalogueFileError) else exc.messages
                for line in errors:
                    self.stderr.write(line)
                self.stdout.write(f"{file.source}: refused ({len(errors)} problem(s))")
            else:
                self.stdout.write(f"{file.source}: {result.summary}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} catalogue files refused.")
