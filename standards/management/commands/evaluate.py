"""What-if evaluation from the command line.

    python manage.py evaluate --edition THC-2022 GRADES.json

GRADES.json: {"facts": {"medical_staff": 8, ...}, "grades": {"1.1.1": "B", ...}}.
Missing items count as none. Prints the result as JSON (the same shape as the API's
``POST /api/v1/catalogue/editions/{code}/evaluate/``); exits non-zero listing every
bad entry when the file names unknown items, grades or facts.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accreditation.core.errors import DomainError
from standards.evaluation import what_if_evaluation
from standards.models import Edition


class Command(BaseCommand):
    help = "Evaluate a grading of an edition: level, shares, reasons and the gap plan."

    def add_arguments(self, parser):
        parser.add_argument("grades_file", help="JSON file with 'facts' and 'grades'")
        parser.add_argument("--edition", required=True, help="edition code, e.g. THC-2022")
        parser.add_argument("--province", default="", help="province code for rule overrides")
        parser.add_argument("--target", default=None, help="level for the gap plan")

    def handle(self, *args, **options):
        try:
            edition = Edition.objects.get(code=options["edition"])
        except Edition.DoesNotExist:
            raise CommandError(f"unknown edition {options['edition']!r}") from None
        path = Path(options["grades_file"])
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path}: cannot read JSON: {exc}") from None
        if not isinstance(payload, dict):
            raise CommandError(f"{path}: expected an object with 'facts' and 'grades'")
        try:
            output = what_if_evaluation(
                edition=edition,
                grades=payload.get("grades", {}),
                facts=payload.get("facts") or {},
                province_code=options["province"],
                target=options["target"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        except ValidationError as exc:
            lines = []
            for field, messages in exc.message_dict.items():
                prefix = "--target: " if field == "target" else f"{path}: "
                lines += [prefix + message for message in messages]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
