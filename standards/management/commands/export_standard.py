"""manage.py export_standard CODE --format yaml|json|xlsx --output FILE."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standards.exporters import EDITION_FORMATS, JSON, YAML, edition_export, ruleset_export
from standards.models import Edition


class Command(BaseCommand):
    help = (
        "Write an edition to a file in the catalogue format (YAML, JSON or Excel) and, "
        "with --rulesets-output, its rule sets to a rule-set file (YAML or JSON, by "
        "extension)."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="edition code, e.g. THC-2022")
        parser.add_argument("--format", choices=EDITION_FORMATS, default=YAML, dest="file_format")
        parser.add_argument("--output", required=True, help="file to write the edition to")
        parser.add_argument(
            "--rulesets-output", help="also write the edition's rule sets to this file"
        )

    def handle(self, *args, code: str, file_format: str, output: str, **options) -> None:
        edition = Edition.objects.filter(code=code).first()
        if edition is None:
            raise CommandError(f"Edition {code} does not exist.")
        Path(output).write_bytes(edition_export(edition=edition, file_format=file_format))
        self.stdout.write(f"{code}: edition written to {output} ({file_format})")
        rulesets_output = options.get("rulesets_output")
        if rulesets_output:
            ruleset_format = JSON if rulesets_output.lower().endswith(".json") else YAML
            content = ruleset_export(edition=edition, file_format=ruleset_format)
            Path(rulesets_output).write_bytes(content)
            self.stdout.write(f"{code}: rule sets written to {rulesets_output} ({ruleset_format})")
