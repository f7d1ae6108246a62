"""Shared body of the spreadsheet import commands."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from accreditation.excel.reading import ImportRefused
from accreditation.services.imports import ImportResult


class ImportCommand(BaseCommand):
    importer: Callable[..., ImportResult]

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument("--max-rows", type=int, default=None, help="refuse larger sheets")

    def handle(self, *args, file: str, max_rows: int | None, **options) -> None:
        try:
            result = type(self).importer(actor=None, source=file, max_rows=max_rows)
        except ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{file}: nothing imported ({len(exc.errors)} problem(s))") from None
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        self.stdout.write(self.style.SUCCESS(f"{file}: {result.summary}"))
