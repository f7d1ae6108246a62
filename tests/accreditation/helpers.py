from accreditation.models import Assessment, ItemGrade, User
from accreditation.services.assessments import item_grade_save
from accreditation.services.evidence import evidence_upload
from tests import files
from tests.files import upload


def grade_all(assessment: Assessment, actor: User, grades: dict[str, str]) -> None:
    """Save the given grades (NA with a reason) at the rows' current versions."""
    versions = dict(
        ItemGrade.objects.filter(assessment=assessment).values_list("item_code", "version")
    )
    for code, grade in grades.items():
        item_grade_save(
            actor=actor,
            assessment=assessment,
            item_code=code,
            expected_version=versions[code],
            grade=grade,
            na_reason="不适用" if grade == "NA" else "",
        )


def complete(assessment: Assessment, actor: User, grade: str = "B") -> None:
    """Grade every item and attach evidence to every item that requires it."""
    codes = list(
        ItemGrade.objects.filter(assessment=assessment)
        .order_by("item__position")
        .values_list("item_code", flat=True)
    )
    grade_all(assessment, actor, dict.fromkeys(codes, grade))
    evidence_upload(
        actor=actor,
        assessment=assessment,
        item_codes=["1.1.1", "1.1.3", "2.1.1"],
        file=upload(files.PDF + str(assessment.pk).encode(), "证明材料.pdf"),
    )
