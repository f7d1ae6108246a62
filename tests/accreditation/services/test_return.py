import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accreditation.core.errors import InvalidTransition
from accreditation.models import Assessment, AssessmentReturn, AuditEvent
from accreditation.selectors import assessment_checklist
from accreditation.services.assessments import assessment_return
from accreditation.services.submission import assessment_submit
from tests.accreditation.helpers import complete


@pytest.fixture
def submitted(world) -> Assessment:
    complete(world.assessment_a, world.staff_a)
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    return Assessment.objects.get(pk=world.assessment_a.pk)


@pytest.mark.parametrize(
    "who", ["reviewer_a", "officer_city", "officer_province", "officer_national"]
)
def test_return_by_a_reviewer_or_officer_in_scope(world, submitted, who):
    returned = assessment_return(
        actor=getattr(world, who),
        assessment=submitted,
        reason="  材料不全 ",
        item_comments={"1.1.1": "请补充", "2.1.1": "  "},
    )
    assert (returned.reason, returned.item_comments, returned.from_status) == (
        "材料不全",
        {"1.1.1": "请补充"},
        "submitted",
    )
    assessment = Assessment.objects.get(pk=submitted.pk)
    assert (assessment.status, assessment.version) == ("returned", 3)
    event = AuditEvent.objects.get(action="assessment.return")
    assert (event.actor, event.assessment_id, event.note) == (
        getattr(world, who),
        submitted.pk,
        "材料不全",
    )
    assert event.before == {"status": "submitted"}
    assert event.after == {
        "status": "returned",
        "return": returned.pk,
        "stage": "county",
        "items": ["1.1.1"],
    }


def test_checklist_shows_the_reviewer_comment_after_return(world, submitted):
    assessment_return(
        actor=world.reviewer_a,
        assessment=submitted,
        reason="材料不全",
        item_comments={"1.1.1": "请补充"},
    )
    assessment = Assessment.objects.get(pk=submitted.pk)
    comments = {row.code: row.review_comment for row in assessment_checklist(assessment=assessment)}
    assert comments == {
        "1.1.1": "请补充",
        "1.1.2": "",
        "1.1.3": "",
        "1.1.4": "",
        "2.1.1": "",
        "2.1.2": "",
    }


@pytest.mark.parametrize(
    "who", ["staff_a", "staff_b", "reviewer_b", "officer_other_city", "expert", "administrator"]
)
def test_return_is_refused_outside_scope_and_changes_nothing(world, submitted, who):
    with pytest.raises(PermissionDenied):
        assessment_return(actor=getattr(world, who), assessment=submitted, reason="x")
    assessment = Assessment.objects.get(pk=submitted.pk)
    assert (assessment.status, assessment.version) == ("submitted", 2)
    assert not AssessmentReturn.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.return").exists()


def test_a_draft_cannot_be_returned(world):
    with pytest.raises(InvalidTransition) as excinfo:
        assessment_return(actor=world.reviewer_a, assessment=world.assessment_a, reason="x")
    assert excinfo.value.details == {"from": "draft", "to": "returned"}
    assert Assessment.objects.get(pk=world.assessment_a.pk).status == "draft"


def test_return_needs_a_reason_and_known_items(world, submitted):
    with pytest.raises(ValidationError) as excinfo:
        assessment_return(
            actor=world.reviewer_a,
            assessment=submitted,
            reason=" ",
            item_comments={"9.9.9": "?"},
        )
    assert sorted(excinfo.value.message_dict) == ["item_comments", "reason"]
    assert Assessment.objects.get(pk=submitted.pk).status == "submitted"
    assert not AssessmentReturn.objects.exists()
