"""Small editions and rule sets for scoring tests, built without a database."""

from fractions import Fraction

from standards.scoring import Condition, EditionSpec, Facts, ItemSpec, RuleSpec

SMALL_FACTS = Facts(medical_staff=8, service_population=8000, beds=0, inpatient_ward=False)
LARGE_FACTS = Facts(medical_staff=40, service_population=30000, beds=20, inpatient_ward=True)


def edition_of(n_basic: int, n_recommended: int = 0, *, chapters: int = 2) -> EditionSpec:
    """Basic items B01.., then recommended items R01.., spread round-robin over chapters."""
    items = [
        ItemSpec(code=f"B{i:02d}", chapter=str(i % chapters + 1), tier="basic")
        for i in range(1, n_basic + 1)
    ]
    items += [
        ItemSpec(code=f"R{i:02d}", chapter=str(i % chapters + 1), tier="recommended")
        for i in range(1, n_recommended + 1)
    ]
    return EditionSpec("TEST", items)


def qualified_rule(**overrides) -> RuleSpec:
    values = dict(
        level="qualified",
        min_basic_c=Fraction(4, 5),
        min_basic_b=Fraction(1, 5),
        min_basic_a=Fraction(1, 20),
        eligibility=(
            Condition("medical_staff", "<", 10),
            Condition("service_population", "<", 10000),
        ),
    )
    values.update(overrides)
    return RuleSpec(**values)


def basic_rule(**overrides) -> RuleSpec:
    values = dict(
        level="basic",
        min_basic_c=Fraction(9, 10),
        min_basic_b=Fraction(3, 5),
        min_basic_a=Fraction(1, 5),
    )
    values.update(overrides)
    return RuleSpec(**values)


def recommended_rule(**overrides) -> RuleSpec:
    values = dict(
        level="recommended",
        min_basic_c=Fraction(19, 20),
        min_basic_b=Fraction(3, 4),
        min_basic_a=Fraction(2, 5),
        min_recommended_c=Fraction(4, 5),
        includes=("basic",),
    )
    values.update(overrides)
    return RuleSpec(**values)


def all_rules() -> dict[str, RuleSpec]:
    return {
        "qualified": qualified_rule(),
        "basic": basic_rule(),
        "recommended": recommended_rule(),
    }


def grading(**counts: int) -> dict[str, str]:
    """grading(A=5, B=15, C=60, none=20) over B01.. in that order (A first)."""
    grades: dict[str, str] = {}
    index = 1
    for grade in ("A", "B", "C", "none", "NA"):
        for _ in range(counts.get(grade, 0)):
            grades[f"B{index:02d}"] = grade
            index += 1
    return grades
