"""manage.py export_recognitions [--region CODE] [--year YEAR] --as USER -o OUT.xlsx"""

from __future__ import annotations

from accreditation.excel import recognitions
from accreditation.management.commands._exports import RegionalExportCommand
from accreditation.selectors.lists import recognition_list


class Command(RegionalExportCommand):
    help = (
        "Write the recognition list of a region (认定名单), grouped by its child regions, "
        "with counts per region and level, to an .xlsx file. Without --region: the whole "
        "country; without --year: every cycle."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)
        super().add_arguments(parser)

    def handle(self, *args, region, year, username: str, output: str, **options) -> None:
        data = self.read(recognition_list, username=username, region=region, year=year)
        self.save(output, recognitions.write(data), f"{len(data.rows)} recognitions")
