"""manage.py export_recognitions [--region CODE] [--year YEAR] --as USER -o OUT.xlsx"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from accreditation.excel import recognitions
from accreditation.management.commands._exports import ExportCommand
from accreditation.models import Region
from accreditation.selectors.lists import recognition_list


class Command(ExportCommand):
    help = (
        "Write the recognition list of a region (认定名单), grouped by its child regions, "
        "with counts per region and level, to an .xlsx file. Without --region: the whole "
        "country; without --year: every cycle."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", default=None, help="division code (default: national)")
        parser.add_argument("--year", type=int, default=None)
        super().add_arguments(parser)

    def handle(self, *args, region, year, username: str, output: str, **options) -> None:
        user = self.viewer(username)
        area = None
        if region:
            area = Region.objects.filter(code=region).first()
            if area is None:
                raise CommandError(f"no region {region}")
        try:
            data = recognition_list(user=user, region=area, year=year)
        except PermissionDenied:
            raise CommandError(f"{username} may not report on {region or 'the country'}") from None
        self.save(output, recognitions.write(data), f"{len(data.rows)} recognitions")
