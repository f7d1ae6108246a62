"""Seed the demo world (fixtures/demo/demo.yaml); safe to run again."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accreditation.demo import DEMO_FILE, demo_editions, load_demo, seed_demo
from standards.models import Edition


class Command(BaseCommand):
    help = (
        "Create the demo province, institutions, users of every role, an open cycle and "
        "assessments in several states. Idempotent: only missing objects are created, and "
        "passwords are printed once, for newly created users."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEMO_FILE, help="demo data file")

    def handle(self, *args, **options):
        data = load_demo(options["file"])
        needed = demo_editions(data)
        if not Edition.objects.filter(code__in=needed).exists():
            self.stdout.write("The catalogue is empty; loading it first (load_catalogue).")
            try:
                call_command("load_catalogue", stdout=self.stdout, stderr=self.stderr)
            except CommandError as exc:
                raise CommandError(f"Could not load the catalogue: {exc}") from exc
        missing = needed - set(
            Edition.objects.filter(code__in=needed).values_list("code", flat=True)
        )
        if missing:
            raise CommandError(
                f"Editions missing from the catalogue: {', '.join(sorted(missing))}. "
                "Import them first (manage.py load_catalogue)."
            )
        report = seed_demo(data)
        if not report.created:
            self.stdout.write(self.style.SUCCESS("Demo data already present; nothing created."))
            return
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(report.created.items()))
        self.stdout.write(self.style.SUCCESS(f"Created {summary}."))
        if report.passwords:
            self.stdout.write(
                "\nDemo users (passwords are shown this once; they are stored hashed):"
            )
            width = max(len(row[0]) for row in report.passwords)
            for username, role, scope, password in report.passwords:
                self.stdout.write(f"  {username:<{width}}  {password}  {role}  {scope}")
