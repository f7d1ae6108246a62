import itertools
import os
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from standards.scoring import GRADE_ORDER, MustPass, RuleSpec, evaluate, gap_plan
from tests.standards.scoring_helpers import (
    LARGE_FACTS,
    SMALL_FACTS,
    all_rules,
    basic_rule,
    edition_of,
    grading,
    qualified_rule,
)

RANK = {g: i for i, g in enumerate(GRADE_ORDER)}


def apply(grades, plan):
    return {**grades, **{u.item: u.to_grade for u in plan.upgrades}}


def brute_force_minimum(edition, rules, facts, grades, target):
    """(items, steps) of the best plan found by trying every final grading."""
    codes = [item.code for item in edition.items if grades.get(item.code) != "NA"]
    options = [GRADE_ORDER[RANK[grades.get(code) or "none"] :] for code in codes]
    best = None
    for finals in itertools.product(*options):
        changed = [
            (code, final)
            for code, final in zip(codes, finals, strict=True)
            if final != (grades.get(code) or "none")
        ]
        cost = (len(changed), sum(RANK[f] - RANK[grades.get(c) or "none"] for c, f in changed))
        if best is not None and cost >= best:
            continue
        trial = {**grades, **dict(changed)}
        if evaluate(edition, rules, facts, trial).level_result(target).reached:
            best = cost
    return best


def test_plan_for_the_next_level_lists_the_fewest_upgrades():
    rules = {"qualified": qualified_rule()}
    grades = grading(A=5, B=15, C=58, none=22)

    plan = gap_plan(edition_of(100), rules, SMALL_FACTS, grades)

    assert plan.as_dict() == {
        "target": "qualified",
        "reachable": True,
        "upgrades": [
            {"item": "B79", "from": "none", "to": "C"},
            {"item": "B80", "from": "none", "to": "C"},
        ],
        "items": 2,
        "steps": 2,
        "reason": "",
    }
    assert evaluate(edition_of(100), rules, SMALL_FACTS, apply(grades, plan)).level == "qualified"


def test_one_upgrade_from_none_to_a_covers_three_shortfalls():
    # C, B and A each one item short: one none->A beats three single-step upgrades.
    rules = {"qualified": qualified_rule()}
    grades = grading(A=4, B=15, C=60, none=21)

    plan = gap_plan(edition_of(100), rules, SMALL_FACTS, grades)

    assert [u.as_dict() for u in plan.upgrades] == [{"item": "B80", "from": "none", "to": "A"}]


def test_plan_skips_levels_the_institution_is_not_eligible_for():
    plan = gap_plan(edition_of(10), all_rules(), LARGE_FACTS, grading(C=10))

    assert plan.target == "basic"
    assert plan.reachable is True


def test_plan_is_empty_at_the_highest_level():
    grades = {**grading(A=20), **{f"R0{i}": "C" for i in range(1, 6)}}
    plan = gap_plan(edition_of(20, 5), all_rules(), LARGE_FACTS, grades)

    assert (plan.target, plan.reachable, plan.upgrades) == (None, True, ())


def test_plan_raises_must_pass_items_first():
    rules = {"basic": basic_rule(must_pass=(MustPass("B20", "A"),))}
    grades = grading(A=19, none=1)

    plan = gap_plan(edition_of(20), rules, LARGE_FACTS, grades)

    assert [u.as_dict() for u in plan.upgrades] == [{"item": "B20", "from": "none", "to": "A"}]


def test_plan_for_an_explicit_target_and_an_unreachable_one():
    grades = {**grading(A=10), "B11": "NA"}
    too_strict = {
        "basic": basic_rule(min_basic_c=Fraction(1)),
        "recommended": RuleSpec(
            level="recommended",
            min_basic_c=Fraction(1),
            min_basic_b=Fraction(1),
            min_basic_a=Fraction(1),
            min_recommended_c=Fraction(1),
            includes=("basic",),
        ),
    }
    edition = edition_of(11, 2)
    reachable = gap_plan(edition, too_strict, LARGE_FACTS, grades, target="recommended")
    impossible = gap_plan(
        edition,
        too_strict,
        LARGE_FACTS,
        {**grades, "R01": "NA", "R02": "NA"},
        target="recommended",
    )

    assert [u.as_dict() for u in reachable.upgrades] == [
        {"item": "R01", "from": "none", "to": "C"},
        {"item": "R02", "from": "none", "to": "C"},
    ]
    assert impossible.reachable is False
    assert impossible.reason == "needs 1 more recommended-tier items at C, only 0 can rise"


def test_not_eligible_target_is_reported_unreachable():
    plan = gap_plan(
        edition_of(10), {"qualified": qualified_rule()}, LARGE_FACTS, {}, target="qualified"
    )

    assert (plan.reachable, plan.reason) == (False, "not eligible for qualified")


grade_strategy = st.sampled_from(["none", "C", "B", "A", "NA"])
share_strategy = st.sampled_from(
    [Fraction(0), Fraction(1, 4), Fraction(1, 2), Fraction(2, 3), Fraction(4, 5), Fraction(1)]
)


@st.composite
def small_case(draw):
    n_basic = draw(st.integers(1, 5))
    n_rec = draw(st.integers(0, 2))
    edition = edition_of(n_basic, n_rec)
    codes = [item.code for item in edition.items]
    grades = {code: draw(grade_strategy) for code in codes}
    shares = sorted((draw(share_strategy) for _ in range(3)), reverse=True)
    must_pass = ()
    if draw(st.booleans()):
        must_pass = (MustPass(draw(st.sampled_from(codes)), draw(st.sampled_from("CBA"))),)
    rule = RuleSpec(
        level="basic",
        min_basic_c=shares[0],
        min_basic_b=shares[1],
        min_basic_a=shares[2],
        min_recommended_c=draw(st.one_of(st.none(), share_strategy)) if n_rec else None,
        na_excluded=draw(st.booleans()),
        must_pass=must_pass,
    )
    return edition, {"basic": rule}, grades


@settings(max_examples=int(os.environ.get("GAP_EXAMPLES", "300")), deadline=None)
@given(small_case())
def test_gap_plan_reaches_its_target_and_no_smaller_plan_exists(case):
    edition, rules, grades = case

    plan = gap_plan(edition, rules, LARGE_FACTS, grades, target="basic")
    best = brute_force_minimum(edition, rules, LARGE_FACTS, grades, "basic")

    if best is None:
        assert plan.reachable is False
    else:
        assert plan.reachable is True
        assert (
            evaluate(edition, rules, LARGE_FACTS, apply(grades, plan)).level_result("basic").reached
        )
        assert (len(plan.upgrades), plan.steps) == best


@settings(max_examples=200, deadline=None)
@given(small_case(), st.data())
def test_raising_any_grade_never_lowers_the_level(case, data):
    edition, rules, grades = case
    rules = {**rules, "qualified": qualified_rule()}
    code = data.draw(st.sampled_from([item.code for item in edition.items]))
    current = grades.get(code, "none")
    assume(current != "NA")
    higher = data.draw(st.sampled_from(GRADE_ORDER[RANK[current] :]))

    before = evaluate(edition, rules, SMALL_FACTS, grades).level
    after = evaluate(edition, rules, SMALL_FACTS, {**grades, code: higher}).level

    order = [None, "qualified", "basic", "recommended"]
    assert order.index(after) >= order.index(before)
