"""manage.py export_notice_list NOTICE_ID --as USER -o OUT.xlsx"""

from __future__ import annotations

from django.core.management.base import CommandError

from accreditation.excel import notices
from accreditation.management.commands._exports import ExportCommand
from accreditation.models import PublicNotice
from accreditation.selectors.lists import notice_list


class Command(ExportCommand):
    help = "Write the list of a public notice (公示名单) to an .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("notice", type=int, help="public notice id")
        super().add_arguments(parser)

    def handle(self, *args, notice: int, username: str, output: str, **options) -> None:
        user = self.viewer(username)
        try:
            data = notice_list(user=user, notice_id=notice)
        except PublicNotice.DoesNotExist:
            raise CommandError(f"no public notice {notice} visible to {username}") from None
        self.save(output, notices.write(data), f"{len(data.rows)} entries")
