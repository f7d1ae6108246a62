"""An institution's assessment of any size (edition, cycle, grades and evidence), for
the pages' query budgets: the checklist and the county reviewer's page."""

from __future__ import annotations

from accreditation.models import Assessment
from accreditation.services.assessments import assessment_open
from accreditation.services.evidence import evidence_upload
from tests import files
from tests.accreditation.helpers import grade_all
from tests.factories import (
    CountyFactory,
    FactsFactory,
    InstitutionFactory,
    ProvinceFactory,
    StaffFactory,
    make_cycle,
    make_edition,
)
from tests.files import upload


def _edition_items(count: int) -> tuple:
    """``count`` items over four chapters, every fifth with a metric, every tenth
    recommended-tier, every seventh conditional on beds."""
    items = []
    for n in range(count):
        chapter = str(n * 4 // count + 1)
        items.append(
            (
                f"{chapter}.1.{n + 1}",
                chapter,
                "recommended" if n % 10 == 9 else "basic",
                n % 3 == 0,
                {"fact": "beds", "op": ">", "value": 0} if n % 7 == 0 else None,
                "beds" if n % 5 == 0 else "",
            )
        )
    return tuple(items)


def large_assessment(count: int, year: int) -> tuple[Assessment, object]:
    province = ProvinceFactory(code=f"{80 + count % 9}0000")
    county = CountyFactory(parent__parent=province)
    institution = InstitutionFactory(region=county)
    FactsFactory(institution=institution)
    staff = StaffFactory(institution=institution)
    edition = make_edition(code=f"Q-{count}", items=_edition_items(count))
    cycle = make_cycle(province=province, editions={"thc": edition}, year=year)
    assessment = assessment_open(
        actor=staff, cycle=cycle, institution=institution, target_level="basic"
    )
    codes = list(assessment.grades.order_by("item__position").values_list("item_code", flat=True))
    grade_all(assessment, staff, {code: "B" for code in codes[: count // 2]})
    evidence_upload(
        actor=staff,
        assessment=assessment,
        item_codes=codes[:5],
        file=upload(files.PDF + str(count).encode(), "a.pdf"),
    )
    return assessment, staff
