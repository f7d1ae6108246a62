"""manage.py export_region_summary --region CODE --year YEAR --as USER -o OUT.xlsx"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from accreditation.excel import region_summary
from accreditation.management.commands._exports import ExportCommand
from accreditation.models import Region
from accreditation.selectors.exports import region_summary as region_summary_read


class Command(ExportCommand):
    help = (
        "Write the summary of a region (per child region: institutions, assessments by "
        "status and level, shares against the targets) for one year to an .xlsx file. "
        "Without --region: per province, nationally."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", default=None, help="division code (default: national)")
        parser.add_argument("--year", type=int, required=True)
        super().add_arguments(parser)

    def handle(self, *args, region: str | None, year: int, username: str, output: str, **opts):
        user = self.viewer(username)
        area = None
        if region:
            area = Region.objects.filter(code=region).first()
            if area is None:
                raise CommandError(f"no region {region}")
        try:
            data = region_summary_read(user=user, region=area, year=year)
        except PermissionDenied:
            raise CommandError(f"{username} may not report on {region or 'the country'}") from None
        self.save(output, region_summary.write(data), f"{len(data.rows)} regions")
