"""manage.py import_institutions FILE: import the institution list (sheet 机构名单)."""

from __future__ import annotations

from accreditation.management.commands._imports import ImportCommand
from accreditation.services.imports import institutions_import


class Command(ImportCommand):
    help = (
        "Import institutions and their facts from sheet 机构名单 of an .xlsx file "
        "(manage.py excel_template institutions writes a blank one). Matched by licence "
        "number; re-importing the same file changes nothing. On any problem, prints "
        "every error (sheet, row, column, reason) to stderr, writes nothing and exits "
        "non-zero."
    )
    importer = staticmethod(institutions_import)
