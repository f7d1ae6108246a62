"""What-if evaluation from the command line.

    python manage.py evaluate --edition THC-2022 GRADES.json

GRADES.json: {"facts": {"medical_staff": 8, ...}, "grades": {"1.1.1": "B", ...}}.
Missing items count as none. Prints the result as JSON; exits non-zero listing every
bad entry when the file names unknown items, grades or facts.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standards.models import Edition
from standards.scoring import Facts, ScoringInputError, evaluate, gap_plan, validate_grades
from standards.selectors import edition_spec, rule_specs_in_force


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

        spec = edition_spec(edition=edition)
        errors = []
        grades = payload.get("grades", {})
        if not isinstance(grades, dict):
            errors.append("grades: expected an object mapping item code to grade")
            grades = {}
        errors += [f"{path}: {e}" for e in validate_grades(spec, grades)]
        facts = Facts()
        raw_facts = payload.get("facts") or {}
        if not isinstance(raw_facts, dict):
            errors.append(f"{path}: facts: expected an object")
        else:
            try:
                facts = Facts.from_mapping(raw_facts)
            except ScoringInputError as exc:
                errors += [f"{path}: {e}" for e in exc.errors]
        rules = rule_specs_in_force(edition=edition, province_code=options["province"])
        if options["target"] and options["target"] not in rules:
            errors.append(f"--target: no rule set for level {options['target']!r}")
        if errors:
            raise CommandError("\n".join(errors))

        result = evaluate(spec, rules, facts, grades)
        plan = gap_plan(
            spec, rules, facts, grades, target=options["target"], current_level=result.level
        )
        output = result.as_dict()
        output["facts"] = facts.as_dict()
        output["rule_sets"] = {
            level: {"version": r.version, "id": r.rule_set_id, "provisional": r.provisional}
            for level, r in rules.items()
        }
        output["gap_plan"] = plan.as_dict()
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
