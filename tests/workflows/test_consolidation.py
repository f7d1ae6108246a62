import pytest
from django.core.exceptions import ValidationError

from accreditation.core.errors import ConflictError, IncompleteError, NotEditable, WrongStep
from accreditation.models import AssessmentResult, ExpertItemGrade
from accreditation.selectors.reviews import consolidation_rows, expert_grades_for
from accreditation.services.consolidation import (
    consolidation_complete,
    consolidation_grade_set,
    majority,
)
from accreditation.services.experts import expert_grade_save, expert_review_submit
from accreditation.services.panels import panel_assign
from accreditation.services.submission import assessment_submit
from tests.workflows.helpers import at_expert_review, fresh, grade_all, steps


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        ([], ""),
        (["A"], "A"),
        (["A", "B"], ""),
        (["A", "A", "B"], "A"),
        (["A", "B", "C"], ""),
        (["B", "B", "A", "A"], ""),
    ],
)
def test_majority_needs_more_than_half(grades, expected):
    assert majority(grades) == expected


@pytest.fixture
def panel_of_three(world, experts):
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a, grade="B")
    panel_assign(
        actor=world.officer_province,
        assessment=a,
        lead=experts.lead,
        members=[experts.member, experts.third],
    )
    return a


def test_experts_see_each_other_only_after_submitting_their_own(world, experts, panel_of_three):
    a = panel_of_three
    grade_all(experts.lead, a, "A")
    grade_all(experts.member, a, "B")
    seen = expert_grades_for(viewer=experts.member, assessment=a)
    assert [(g.expert_id, g.submitted) for g in seen] == [(experts.member.pk, False)]
    assert seen[0].grades["1.1.1"].grade == "B"
    assert expert_grades_for(viewer=experts.third, assessment=a) == []
    expert_review_submit(actor=experts.member, assessment=a)
    seen = expert_grades_for(viewer=experts.member, assessment=a)
    assert [(g.expert_id, g.submitted) for g in seen] == [
        (experts.lead.pk, False),
        (experts.member.pk, True),
    ]
    assert len(expert_grades_for(viewer=world.officer_province, assessment=a)) == 2
    from django.core.exceptions import PermissionDenied

    for outsider in (world.staff_a, world.reviewer_a, world.officer_other_city):
        with pytest.raises(PermissionDenied):
            expert_grades_for(viewer=outsider, assessment=a)


def test_a_submitted_review_no_longer_changes(world, experts, panel_of_three):
    a = panel_of_three
    grade_all(experts.lead, a, "A")
    expert_review_submit(actor=experts.lead, assessment=a)
    with pytest.raises(WrongStep):
        expert_grade_save(actor=experts.lead, assessment=a, item_code="1.1.1", grade="C")
    with pytest.raises(WrongStep):
        expert_review_submit(actor=experts.lead, assessment=a)
    assert ExpertItemGrade.objects.filter(review__expert=experts.lead, grade="A").count() == 6


def test_an_incomplete_review_lists_every_ungraded_item(world, experts, panel_of_three):
    a = panel_of_three
    grade_all(experts.member, a, {"1.1.1": "A", "2.1.1": "NA"})
    with pytest.raises(IncompleteError) as excinfo:
        expert_review_submit(actor=experts.member, assessment=a)
    assert [p.item for p in excinfo.value.problems] == ["1.1.2", "1.1.3", "1.1.4", "2.1.2"]
    assert steps(a) == ["expert_review"]


def test_grade_save_records_findings_notes_and_evidence_checked(world, experts, panel_of_three):
    a = panel_of_three
    attachment = a.attachments.get(item_code="1.1.1")
    row = expert_grade_save(
        actor=experts.lead,
        assessment=a,
        item_code="1.1.1",
        grade="C",
        finding=" 制度不全 ",
        onsite_note="现场查看",
        evidence_checked=[attachment.pk],
    )
    assert (row.grade, row.finding, row.onsite_note, row.evidence_checked, row.version) == (
        "C",
        "制度不全",
        "现场查看",
        [attachment.pk],
        2,
    )
    with pytest.raises(ConflictError):
        expert_grade_save(
            actor=experts.lead, assessment=a, item_code="1.1.1", grade="B", expected_version=1
        )
    with pytest.raises(ValidationError) as excinfo:
        expert_grade_save(
            actor=experts.lead,
            assessment=a,
            item_code="1.1.1",
            grade="B",
            evidence_checked=[world.assessment_b.pk + 999],
        )
    assert list(excinfo.value.message_dict) == ["evidence_checked"]
    with pytest.raises(ValidationError):
        expert_grade_save(actor=experts.lead, assessment=a, item_code="1.1.1", grade="")


def test_disagreements_come_first_and_departures_need_a_reason(world, experts, panel_of_three):
    a = panel_of_three  # the institution graded everything B
    grade_all(
        experts.lead,
        a,
        {
            **dict.fromkeys(("1.1.1", "1.1.2", "1.1.4"), "B"),
            "1.1.3": "A",
            "2.1.1": "C",
            "2.1.2": "B",
        },
    )
    grade_all(
        experts.member,
        a,
        {
            **dict.fromkeys(("1.1.1", "1.1.2", "1.1.4"), "B"),
            "1.1.3": "A",
            "2.1.1": "A",
            "2.1.2": "B",
        },
    )
    grade_all(
        experts.third,
        a,
        {
            **dict.fromkeys(("1.1.1", "1.1.2", "1.1.4"), "B"),
            "1.1.3": "B",
            "2.1.1": "B",
            "2.1.2": "B",
        },
    )
    for expert in (experts.lead, experts.member, experts.third):
        expert_review_submit(actor=expert, assessment=a)
    assert (fresh(a).status, steps(a)) == ("consolidation", ["consolidate"])

    rows = consolidation_rows(viewer=experts.lead, assessment=a)
    assert [(r.item_code, r.disagreement, r.majority_grade, r.final_grade) for r in rows] == [
        ("1.1.3", True, "A", "A"),  # experts split 2:1, and the institution said B
        ("2.1.1", True, "", ""),  # C, A, B: no majority
        ("1.1.1", False, "B", "B"),
        ("1.1.2", False, "B", "B"),
        ("1.1.4", False, "B", "B"),
        ("2.1.2", False, "B", "B"),
    ]
    assert rows[0].expert_grades == {
        str(experts.lead.pk): "A",
        str(experts.member.pk): "A",
        str(experts.third.pk): "B",
    }
    assert rows[0].self_grade == "B"

    with pytest.raises(IncompleteError) as excinfo:
        consolidation_complete(actor=experts.lead, assessment=a)
    assert [(p.code, p.item) for p in excinfo.value.problems] == [("no_final_grade", "2.1.1")]
    with pytest.raises(ValidationError) as excinfo:
        consolidation_grade_set(
            actor=experts.lead, assessment=a, item_code="2.1.1", final_grade="B"
        )
    assert list(excinfo.value.message_dict) == ["reason"]
    consolidation_grade_set(
        actor=experts.lead, assessment=a, item_code="2.1.1", final_grade="B", reason="取中间值"
    )
    with pytest.raises(ValidationError):
        consolidation_grade_set(
            actor=experts.lead, assessment=a, item_code="1.1.3", final_grade="B"
        )
    consolidation_grade_set(
        actor=experts.lead, assessment=a, item_code="1.1.3", final_grade="B", reason="复核台账"
    )
    consolidation_grade_set(actor=experts.lead, assessment=a, item_code="1.1.1", final_grade="B")

    consolidation_complete(actor=experts.lead, assessment=a)
    result = AssessmentResult.objects.get(assessment=a)
    assert result.inputs["grades"] == dict.fromkeys(
        ("1.1.1", "1.1.2", "1.1.3", "1.1.4", "2.1.1", "2.1.2"), "B"
    )
    assert result.computed_level == ""  # 基本 needs 10% at A
    assert result.gap_plan["upgrades"] == [{"item": "1.1.1", "from": "B", "to": "A"}]
    assert result.agreement_self_review["rate"] == 1.0
    pairs = {tuple(p["experts"]): p["rate"] for p in result.agreement_experts["pairs"]}
    assert pairs == {
        (experts.lead.pk, experts.member.pk): round(5 / 6, 4),
        (experts.lead.pk, experts.third.pk): round(4 / 6, 4),
        (experts.member.pk, experts.third.pk): round(4 / 6, 4),
    }
    assert result.evaluation["level"] is None
    with pytest.raises(NotEditable):
        consolidation_grade_set(
            actor=experts.lead, assessment=a, item_code="1.1.1", final_grade="A", reason="x"
        )


def test_only_the_lead_consolidates(world, experts, panel_of_three):
    from django.core.exceptions import PermissionDenied

    a = panel_of_three
    for expert in (experts.lead, experts.member, experts.third):
        grade_all(expert, a, "B")
        expert_review_submit(actor=expert, assessment=a)
    for intruder in (experts.member, world.officer_province, world.staff_a):
        with pytest.raises(PermissionDenied):
            consolidation_complete(actor=intruder, assessment=a)
    assert steps(a) == ["consolidate"]


def test_the_institution_cannot_resubmit_during_review(world, experts, panel_of_three):
    from accreditation.core.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        assessment_submit(actor=world.staff_a, assessment=panel_of_three)
