"""manage.py import_standard FILE: import one edition or rule-set file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from standards.importers import CatalogueFileError
from standards.services import catalogue_file_import


class Command(BaseCommand):
    help = (
        "Import an edition (YAML, JSON or .xlsx) or a rule-set file (YAML or JSON). "
        "On any problem, prints every error (one per line) to stderr, writes nothing "
        "and exits non-zero. Re-importing identical content changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the edition or rule-set file")

    def handle(self, *args, file: str, **options) -> None:
        try:
            result = catalogue_file_import(actor=None, path=file)
        except CatalogueFileError as exc:
            errors = exc.errors
        except ValidationError as exc:
            errors = exc.messages
        else:
            self.stdout.write(f"{file}: {result.summary}")
            return
        for line in errors:
            self.stderr.write(line)
        raise CommandError(f"{file}: nothing imported ({len(errors)} problem(s))")
