"""manage.py import_experts FILE: import the expert pool (sheet 专家库)."""

from __future__ import annotations

from accreditation.management.commands._imports import ImportCommand
from accreditation.services.imports import experts_import


class Command(ImportCommand):
    help = (
        "Import expert reviewers and their profiles from sheet 专家库 of an .xlsx file "
        "(manage.py excel_template experts writes a blank one). Matched by username; new "
        "experts have no usable password until they reset it. Import the institutions "
        "first: employers and declared conflicts are given by licence number. On any "
        "problem, prints every error to stderr, writes nothing and exits non-zero."
    )
    importer = staticmethod(experts_import)
