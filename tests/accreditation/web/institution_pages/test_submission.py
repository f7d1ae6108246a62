"""The target level and the submission: every problem listed at once, a complete
submission, and a returned assessment corrected and resubmitted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.models import Assessment, AuditEvent, ItemGrade
from accreditation.services.assessments import assessment_return
from accreditation.services.submission import assessment_submit
from tests.accreditation.conftest import World
from tests.accreditation.helpers import complete, grade_all
from tests.accreditation.web.institution_pages.helpers import (
    checklist_url,
    item_row,
    patch_json,
    save_url,
)

pytestmark = pytest.mark.django_db


def test_target_level_change(client, world: World):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("web:target_level", args=[world.assessment_a.pk]),
        {"target_level": "recommended", "version": world.assessment_a.version},
    )
    assert response.status_code == 302
    assert Assessment.objects.get(pk=world.assessment_a.pk).target_level == "recommended"


def test_target_level_change_with_a_stale_version_changes_nothing(client, world: World):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("web:target_level", args=[world.assessment_a.pk]),
        {"target_level": "recommended", "version": world.assessment_a.version + 5},
        follow=True,
    )
    assert "其他人刚刚修改了目标等级" in response.content.decode()
    assert Assessment.objects.get(pk=world.assessment_a.pk).target_level == "basic"


def test_submit_lists_every_problem_at_once_with_links(client, world: World):
    grade_all(world.assessment_a, world.staff_a, {"1.1.1": "B", "1.1.2": "NA"})
    ItemGrade.objects.filter(assessment=world.assessment_a, item_code="1.1.2").update(na_reason="")
    client.force_login(world.staff_a)
    response = client.post(reverse("web:submit", args=[world.assessment_a.pk]))
    body = response.content.decode()
    assert response.status_code == 422
    assert body.count('class="problem ') == 8
    assert "条款 1.1.2 选择了不适用，但未说明原因。" in body
    assert "条款 1.1.3 尚未自评。" in body
    assert "条款 1.1.1 需要佐证材料，但尚未上传。" in body
    checklist = checklist_url(world)
    assert f'href="{checklist}#item-1.1.3"' in body
    assert Assessment.objects.get(pk=world.assessment_a.pk).status == "draft"


def test_submit_complete_assessment(client, world: World):
    complete(world.assessment_a, world.staff_a)
    client.force_login(world.staff_a)
    response = client.post(reverse("web:submit", args=[world.assessment_a.pk]))
    assert response.status_code == 302
    assert response.url == reverse("web:institution_home")
    assert Assessment.objects.get(pk=world.assessment_a.pk).status == "submitted"
    assert AuditEvent.objects.filter(action="assessment.submit").count() == 1


def test_a_returned_assessment_is_corrected_and_resubmitted_through_the_pages(client, world: World):
    complete(world.assessment_a, world.staff_a)
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    assessment_return(
        actor=world.reviewer_a,
        assessment=world.assessment_a,
        reason="佐证材料不全",
        item_comments={"1.1.3": "请补充床位核定文件"},
    )
    client.force_login(world.staff_a)
    home = client.get(reverse("web:institution_home")).content.decode()
    assert "自评已被退回修改" in home
    version = item_row(world, "1.1.3").version
    response = patch_json(
        client, save_url(world, "1.1.3"), {"grade": "A", "note": "已补充", "version": version}
    )
    assert response.status_code == 200
    response = client.post(reverse("web:submit", args=[world.assessment_a.pk]))
    assert response.status_code == 302
    assessment = Assessment.objects.get(pk=world.assessment_a.pk)
    assert assessment.status in ("submitted", "county_review")
    assert assessment.snapshots.count() == 2
    body = client.get(checklist_url(world)).content.decode()
    assert "item--returned" not in body
    assert 'data-editable="0"' in body
