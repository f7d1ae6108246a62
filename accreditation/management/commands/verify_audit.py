"""Check the audit log's hash chain; exits non-zero at the first break."""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError

from accreditation.core.audit_chain import verify_chain
from accreditation.selectors.audit import audit_chain_rows

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = (
        "Walk the audit log in id order, recompute every row's hash and check that each "
        "row links to the one before it. Reports the first edited, inserted or deleted "
        "row and exits with status 1. Prints the chain head: record it elsewhere and pass "
        "it back as --anchor to detect a rewrite of everything after it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            metavar="ID:HASH",
            help="a head printed by an earlier run; that row must still have that hash",
        )
        parser.add_argument("--chunk-size", type=int, default=5000, help="rows per fetch")

    def handle(self, *args, **options):
        anchor = None
        if options["anchor"]:
            match = ANCHOR.match(options["anchor"].strip().lower())
            if not match:
                raise CommandError("--anchor must be ID:HASH, as printed by verify_audit.")
            anchor = (int(match[1]), match[2])
        report = verify_chain(audit_chain_rows(chunk_size=options["chunk_size"]), anchor=anchor)
        if report.problem is not None:
            raise CommandError(
                f"Audit chain broken ({report.problem.kind}) at row "
                f"{report.problem.event_id}: {report.problem.message}."
            )
        if report.anchor_ok is False and anchor is not None:  # False only with an anchor
            raise CommandError(
                f"Audit chain rewritten: row {anchor[0]} no longer has the anchored hash "
                "(or is gone). Every row after it is suspect."
            )
        head = f"{report.head_id}:{report.head_hash}" if report.head_id is not None else "none"
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {report.rows} rows. Head {head}")
        )
