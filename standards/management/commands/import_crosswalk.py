"""manage.py import_crosswalk FILE: store which item codes changed between two editions."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from standards.crosswalks import crosswalk_file_import
from standards.importers import CatalogueFileError


class Command(BaseCommand):
    help = (
        "Import a crosswalk file (format: crosswalk/1): the item codes that changed from "
        "one edition to the next, used to carry gradings into a cycle under the newer "
        "edition. Replaces the crosswalk of the same pair. Nothing is written on error."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options) -> None:
        try:
            result = crosswalk_file_import(actor=None, path=path)
        except CatalogueFileError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"{path}: refused ({len(exc.errors)} problem(s))") from None
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        self.stdout.write(result.summary)
