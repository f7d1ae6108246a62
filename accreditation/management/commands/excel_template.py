"""manage.py excel_template institutions|experts OUT: write a blank import workbook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand

from accreditation.excel import experts, institutions

TEMPLATES: dict[str, Callable[[], bytes]] = {
    "institutions": institutions.write,
    "experts": experts.write,
}


class Command(BaseCommand):
    help = "Write a blank import workbook (headers and a sheet 说明 describing each column)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(TEMPLATES))
        parser.add_argument("out", type=Path, help="the .xlsx file to write")

    def handle(self, *args, kind: str, out: Path, **options) -> None:
        out.write_bytes(TEMPLATES[kind]())
        self.stdout.write(f"{out}: blank {kind} workbook")
