"""Chinese reasons from the engine's structured conditions (no database)."""

from accreditation.pdf.reasons import condition_reason, gap_reason, percent, result_reasons
from standards.scoring import evaluate, gap_plan
from standards.scoring.types import Condition
from tests.standards.scoring_helpers import (
    LARGE_FACTS,
    all_rules,
    edition_of,
    grading,
    recommended_rule,
)


def test_percent_prints_without_trailing_zeros():
    assert [percent(x) for x in (0.6, 0.525, 0.95, 1 / 3, 0)] == [
        "60%",
        "52.5%",
        "95%",
        "33.3%",
        "0%",
    ]


def test_reasons_name_each_failed_condition_of_each_higher_level_in_chinese():
    edition = edition_of(20, 5)
    grades = {**grading(A=4, B=10, C=5, none=1), "R01": "C", "R02": "C"}
    evaluation = evaluate(edition, all_rules(), LARGE_FACTS, grades).as_dict()

    reasons = result_reasons(
        evaluation,
        eligibility={
            "qualified": {
                "conditions": [c.as_dict() for c in all_rules()["qualified"].eligibility],
                "combine": "all",
            }
        },
        facts=LARGE_FACTS.as_dict(),
    )

    assert evaluation["level"] == "basic"
    assert reasons == (
        "推荐标准：基本条款 B 级及以上条款占比 70%，低于要求的 75%（14/20 项，需 15 项）；"
        "未达 B 级的条款：B15、B16、B17、B18、B19、B20",
        "推荐标准：基本条款 A 级条款占比 20%，低于要求的 40%（4/20 项，需 8 项）；"
        "未达 A 级的条款：B05、B06、B07、B08、B09、B10、B11、B12、B13、B14、B15、B16 等 16 项",
        "推荐标准：推荐条款 C 级及以上条款占比 40%，低于要求的 80%（2/5 项，需 4 项）；"
        "未达 C 级的条款：R03、R04、R05",
    )


def test_reasons_explain_eligibility_with_the_facts():
    edition = edition_of(20)
    rules = {"qualified": all_rules()["qualified"]}
    evaluation = evaluate(edition, rules, LARGE_FACTS, grading(A=20)).as_dict()
    eligibility = {
        "qualified": {
            "conditions": [
                Condition("medical_staff", "<", 10).as_dict(),
                Condition("service_population", "<", 10000).as_dict(),
            ],
            "combine": "all",
        }
    }
    (reason,) = result_reasons(evaluation, eligibility=eligibility, facts=LARGE_FACTS.as_dict())
    assert reason == (
        "合格：不符合该等级的申请条件：卫生技术人员 40 人（须 < 10）"
        "且服务人口 30,000 人（须 < 10,000）"
    )


def test_reasons_list_at_most_twelve_items():
    edition = edition_of(30)
    rules = {"basic": all_rules()["basic"]}
    evaluation = evaluate(edition, rules, LARGE_FACTS, grading(none=30)).as_dict()
    first = result_reasons(evaluation)[0]
    assert first.endswith("B01、B02、B03、B04、B05、B06、B07、B08、B09、B10、B11、B12 等 30 项")


def test_nothing_to_explain_at_the_top_level():
    edition = edition_of(20, 5)
    rules = {"basic": all_rules()["basic"], "recommended": recommended_rule()}
    grades = {**grading(A=20), **{f"R0{i}": "A" for i in range(1, 6)}}
    evaluation = evaluate(edition, rules, LARGE_FACTS, grades).as_dict()
    assert evaluation["level"] == "recommended"
    assert result_reasons(evaluation) == ()


def test_must_pass_and_unknown_conditions_have_chinese_text():
    assert condition_reason({"condition": "must_pass", "items": ["1.1.1"]}) == (
        "必达条款未达到要求等级：1.1.1"
    )
    assert condition_reason({"condition": "something_new"}) == "未满足判定规则的条件"


def test_gap_reasons_are_translated_with_their_figures():
    assert gap_reason("needs 5 more items at C or better, only 2 can rise") == (
        "还需 5 个基本条款达到 C 级及以上，但只有 2 个条款可以提升"
    )
    assert gap_reason("not eligible for qualified") == "不符合合格的申请条件"
    assert gap_reason("needs 3 more recommended-tier items at C, only 1 can rise") == (
        "还需 3 个推荐条款达到 C 级及以上，但只有 1 个条款可以提升"
    )
    assert gap_reason("something else") == "现有条款无法达到该等级"
    assert gap_reason("") == ""


def test_every_unreachable_plan_of_the_engine_gets_a_specific_translation():
    edition = edition_of(10, 4)
    facts = LARGE_FACTS
    rules = all_rules()
    plan = gap_plan(edition, rules, facts, {"B01": "NA"}, target="qualified")
    assert gap_reason(plan.reason) == "不符合合格的申请条件"
    all_na = {f"R0{i}": "NA" for i in range(1, 5)}
    plan = gap_plan(edition, rules, facts, all_na, target="recommended")
    assert plan.reason and gap_reason(plan.reason) != "现有条款无法达到该等级"


def test_a_condition_repeated_by_an_including_level_is_said_once():
    edition = edition_of(20, 5)
    evaluation = evaluate(edition, all_rules(), LARGE_FACTS, grading(C=20)).as_dict()
    reasons = result_reasons(evaluation)
    assert evaluation["level"] is None
    shares = [r.split("，")[0] for r in reasons]
    assert len(shares) == len(set(r.split("：", 1)[1] for r in reasons))
    assert "基本标准：基本条款 B 级及以上条款占比 0%" in shares
    assert "推荐标准：基本条款 B 级及以上条款占比 0%" in shares  # 75% differs from 60%
    assert sum("要求的 60%" in r for r in reasons) == 1
