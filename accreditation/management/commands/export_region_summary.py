"""manage.py export_region_summary --region CODE --year YEAR --as USER -o OUT.xlsx"""

from __future__ import annotations

from accreditation.excel import region_summary
from accreditation.management.commands._exports import RegionalExportCommand
from accreditation.selectors.exports import region_summary as region_summary_read


class Command(RegionalExportCommand):
    help = (
        "Write the summary of a region (per child region: institutions, assessments by "
        "status and level, shares against the targets) for one year to an .xlsx file. "
        "Without --region: per province, nationally."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        super().add_arguments(parser)

    def handle(self, *args, region, year, username: str, output: str, **options) -> None:
        data = self.read(region_summary_read, username=username, region=region, year=year)
        self.save(output, region_summary.write(data), f"{len(data.rows)} regions")
