from fractions import Fraction

import pytest

from standards.scoring import (
    Condition,
    EditionSpec,
    Facts,
    ItemSpec,
    MustPass,
    ScoringInputError,
    evaluate,
    validate_grades,
)
from tests.standards.scoring_helpers import (
    LARGE_FACTS,
    SMALL_FACTS,
    all_rules,
    basic_rule,
    edition_of,
    grading,
    qualified_rule,
    recommended_rule,
)


def test_qualified_at_exactly_80_20_5_percent_passes():
    result = evaluate(
        edition_of(100),
        {"qualified": qualified_rule()},
        SMALL_FACTS,
        grading(A=5, B=15, C=60, none=20),
    )

    assert result.level == "qualified"
    assert result.overall.basic.at_least_c == 80
    assert result.overall.basic.at_least_b == 20
    assert result.overall.basic.at_a == 5


@pytest.mark.parametrize(
    ("counts", "failed"),
    [
        ({"A": 5, "B": 15, "C": 59, "none": 21}, "basic_C"),
        ({"A": 5, "B": 14, "C": 61, "none": 20}, "basic_B"),
        ({"A": 4, "B": 16, "C": 60, "none": 20}, "basic_A"),
    ],
)
def test_qualified_with_one_item_fewer_fails_that_condition(counts, failed):
    result = evaluate(
        edition_of(100), {"qualified": qualified_rule()}, SMALL_FACTS, grading(**counts)
    )

    assert result.level is None
    [failure] = result.level_result("qualified").failures
    assert failure.code == failed
    assert failure.actual_count == failure.required_count - 1


def test_grades_are_cumulative_an_a_counts_towards_b_and_c():
    result = evaluate(edition_of(10), {}, SMALL_FACTS, grading(A=10))

    assert result.overall.basic.as_dict()["share_C_or_better"] == 1.0
    assert result.overall.basic.as_dict()["share_B_or_better"] == 1.0
    assert result.overall.basic.as_dict()["share_A"] == 1.0


def test_not_applicable_leaves_the_denominator_when_the_rule_says_so():
    grades = grading(A=1, B=1, C=6, NA=2)  # 8 of 8 applicable at C or better
    excluded = evaluate(
        edition_of(10), {"basic": basic_rule(min_basic_c=Fraction(1))}, SMALL_FACTS, grades
    )
    included = evaluate(
        edition_of(10),
        {"basic": basic_rule(min_basic_c=Fraction(1), na_excluded=False)},
        SMALL_FACTS,
        grades,
    )

    c_excluded = excluded.level_result("basic").conditions[0]
    c_included = included.level_result("basic").conditions[0]
    assert (c_excluded.code, c_excluded.denominator, c_excluded.passed) == ("basic_C", 8, True)
    assert (c_included.code, c_included.denominator, c_included.passed) == ("basic_C", 10, False)


def test_per_chapter_shares_count_each_chapter_separately():
    edition = EditionSpec(
        "E",
        [
            ItemSpec("1.1.1", "1", "basic"),
            ItemSpec("1.1.2", "1", "basic"),
            ItemSpec("2.1.1", "2", "basic"),
            ItemSpec("2.1.2", "2", "recommended"),
        ],
    )
    result = evaluate(edition, {}, SMALL_FACTS, {"1.1.1": "A", "1.1.2": "none", "2.1.1": "B"})

    assert result.chapters["1"].basic.as_dict()["share_C_or_better"] == 0.5
    assert result.chapters["1"].basic.at_a == 1
    assert result.chapters["2"].basic.at_least_b == 1
    assert result.chapters["2"].recommended.none == 1
    assert result.overall.basic.applicable == 3


def test_qualified_needs_eligibility_small_staff_and_population():
    grades = grading(A=100)
    rules = {"qualified": qualified_rule()}

    assert evaluate(edition_of(100), rules, SMALL_FACTS, grades).level == "qualified"
    large = evaluate(edition_of(100), rules, LARGE_FACTS, grades)
    assert large.level is None
    assert large.level_result("qualified").eligible is False
    assert "medical_staff 40" in large.reasons()[0]


def test_eligibility_combined_with_or_accepts_one_small_dimension():
    facts = Facts(medical_staff=8, service_population=30000)
    grades = grading(A=100)

    with_and = evaluate(edition_of(100), {"qualified": qualified_rule()}, facts, grades)
    with_or = evaluate(
        edition_of(100), {"qualified": qualified_rule(eligibility_combine="any")}, facts, grades
    )

    assert with_and.level is None
    assert with_or.level == "qualified"


def test_undeclared_fact_makes_an_institution_ineligible():
    result = evaluate(
        edition_of(10), {"qualified": qualified_rule()}, Facts(medical_staff=5), grading(A=10)
    )

    assert result.level is None
    assert "not declared" in result.level_result("qualified").failures[0].detail


def test_recommended_requires_its_own_shares_and_all_basic_conditions():
    edition = edition_of(20, 5)
    grades = {**grading(A=8, B=7, C=5), "R01": "C", "R02": "C", "R03": "C", "R04": "C"}
    rules = all_rules()

    result = evaluate(edition, rules, LARGE_FACTS, grades)

    assert result.level == "recommended"
    lowered = {**grades, "R04": "none"}  # 3 of 5 recommended items: 60% < 80%
    assert evaluate(edition, rules, LARGE_FACTS, lowered).level == "basic"
    # Basic conditions are included: a rule set that is lenient itself still needs them.
    lenient = {
        "basic": basic_rule(min_basic_a=Fraction(1)),
        "recommended": recommended_rule(min_basic_a=Fraction(0)),
    }
    blocked = evaluate(edition, lenient, LARGE_FACTS, grades)
    assert blocked.level is None
    codes = [(c.level, c.code) for c in blocked.level_result("recommended").failures]
    assert codes == [("basic", "basic_A")]


def test_highest_passing_level_wins_even_when_a_lower_one_fails():
    result = evaluate(edition_of(20, 5), all_rules(), LARGE_FACTS, grading(A=20))

    assert result.level_result("qualified").reached is False
    assert result.level == "basic"  # no recommended-tier item graded


def test_reasons_explain_the_failed_conditions_with_the_items_holding_back():
    grades = grading(A=4, B=6, C=8, none=2)
    result = evaluate(edition_of(20), {"basic": basic_rule()}, LARGE_FACTS, grades)

    assert result.level is None
    # C-or-better (18/20) and A (4/20) are met exactly; only B-or-better fails.
    assert result.reasons() == [
        "basic: B-or-better 50.0% < 60.0% required (10/20 items, 12 needed); items below B: "
        "B11, B12, B13, B14, B15, B16, B17, B18, B19, B20",
    ]


def test_must_pass_item_below_its_grade_blocks_the_level():
    rules = {"basic": basic_rule(must_pass=(MustPass("B20", "B"),))}
    grades = grading(A=19, C=1)

    result = evaluate(edition_of(20), rules, LARGE_FACTS, grades)

    assert result.level is None
    [failure] = result.level_result("basic").failures
    assert (failure.code, failure.items) == ("must_pass", ("B20",))
    assert failure.detail == "must-pass items below the required grade: B20 (C < B)"


def test_items_whose_condition_is_false_count_as_not_applicable():
    edition = EditionSpec(
        "E",
        [
            ItemSpec("1", "1", "basic"),
            ItemSpec("2", "1", "basic", applicability=Condition("beds", ">", 0)),
        ],
    )
    grades = {"1": "A"}

    no_beds = evaluate(edition, {}, Facts(beds=0), grades)
    with_beds = evaluate(edition, {}, Facts(beds=10), grades)
    undeclared = evaluate(edition, {}, Facts(), grades)

    assert no_beds.auto_not_applicable == ("2",)
    assert no_beds.overall.basic.applicable == 1
    assert with_beds.overall.basic.applicable == 2
    assert undeclared.overall.basic.applicable == 2


def test_empty_denominator_passes_only_a_zero_requirement():
    edition = edition_of(2)
    grades = {"B01": "NA", "B02": "NA"}

    assert evaluate(edition, {"basic": basic_rule()}, LARGE_FACTS, grades).level is None
    zero = basic_rule(min_basic_c=Fraction(0), min_basic_b=Fraction(0), min_basic_a=Fraction(0))
    assert evaluate(edition, {"basic": zero}, LARGE_FACTS, grades).level == "basic"


def test_unknown_grade_value_is_refused_with_every_bad_entry():
    with pytest.raises(ScoringInputError) as excinfo:
        evaluate(edition_of(3), {}, SMALL_FACTS, {"B01": "D", "B02": "a", "B03": "C"})

    assert excinfo.value.errors == [
        "grades['B01']: unknown grade 'D' (expected one of none, C, B, A, NA)",
        "grades['B02']: unknown grade 'a' (expected one of none, C, B, A, NA)",
    ]


def test_validate_grades_lists_unknown_codes_and_grades():
    errors = validate_grades(edition_of(2), {"X9": "C", "B01": "E"})

    assert errors == [
        "grades: unknown item code 'X9'",
        "grades['B01']: unknown grade 'E' (expected one of none, C, B, A, NA)",
    ]


def test_missing_included_rule_set_is_an_input_error():
    with pytest.raises(ScoringInputError, match="includes 'basic', which is missing"):
        evaluate(edition_of(3), {"recommended": recommended_rule()}, SMALL_FACTS, {})


def test_result_records_rule_versions():
    rules = {"basic": basic_rule(version=3, rule_set_id=42)}
    result = evaluate(edition_of(3), rules, SMALL_FACTS, {})

    data = result.as_dict()
    assert (data["levels"][0]["rule_version"], data["levels"][0]["rule_set_id"]) == (3, 42)
