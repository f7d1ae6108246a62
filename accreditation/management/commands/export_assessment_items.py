"""manage.py export_assessment_items ID --as USER -o OUT.xlsx"""

from __future__ import annotations

from django.core.management.base import CommandError

from accreditation.excel import assessment_items
from accreditation.management.commands._exports import ExportCommand
from accreditation.models import Assessment
from accreditation.selectors.exports import assessment_item_results


class Command(ExportCommand):
    help = "Write the per-item results of one assessment to an .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("assessment", type=int, help="assessment id")
        super().add_arguments(parser)

    def handle(self, *args, assessment: int, username: str, output: str, **options) -> None:
        user = self.viewer(username)
        try:
            data = assessment_item_results(user=user, assessment_id=assessment)
        except Assessment.DoesNotExist:
            raise CommandError(f"no assessment {assessment} visible to {username}") from None
        self.save(output, assessment_items.write(data), f"{len(data.rows)} items")
