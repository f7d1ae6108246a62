"""The checklist page: criteria, grade buttons, metrics, evidence, escaping, read-only
and returned states, and the provisional level."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.services.assessments import assessment_return
from accreditation.services.evidence import evidence_upload
from accreditation.services.submission import assessment_submit
from tests import files
from tests.accreditation.conftest import World
from tests.accreditation.helpers import complete, grade_all
from tests.accreditation.web.institution_pages.helpers import checklist_url, item_row
from tests.files import upload

pytestmark = pytest.mark.django_db


def test_checklist_shows_criteria_grade_buttons_metric_and_evidence(client, world: World):
    evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "制度<script>.pdf"),
    )
    client.force_login(world.staff_a)
    response = client.get(checklist_url(world))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<article class="item') == 6
    assert "C级要求" in body and "B级要求" in body and "A级要求" in body
    assert 'id="grade-1.1.1-NA"' in body and 'id="grade-1.1.1-none"' in body
    assert 'data-field="metric_value"' in body  # 1.1.4 has a metric
    assert body.count('data-field="metric_value"') == 1
    assert "制度_script_.pdf" in body or "制度&lt;script&gt;.pdf" in body
    assert "<script>.pdf" not in body
    assert "第1章 第1章" in body
    assert 'data-chapter-progress="1"' in body


def test_checklist_shows_sub_steps_and_metric_thresholds(client, world: World):
    from standards.models import Criterion

    criterion = Criterion.objects.get(
        item__edition=world.assessment_a.edition, item__code="1.1.4", grade="B"
    )
    criterion.steps = [{"code": "b-1", "text": "开展检验项目不少于10项"}]
    criterion.threshold_operator = ">="
    criterion.threshold_value = 20
    criterion.save()
    client.force_login(world.staff_a)
    body = client.get(checklist_url(world)).content.decode()
    assert "b-1" in body and "开展检验项目不少于10项" in body
    assert "床位 ≥ 20" in body


def test_checklist_escapes_user_text(client, world: World):
    grade_all(world.assessment_a, world.staff_a, {"1.1.1": "B"})
    row = item_row(world, "1.1.1")
    row.note = '<img src=x onerror="alert(1)">'
    row.save()
    client.force_login(world.staff_a)
    body = client.get(checklist_url(world)).content.decode()
    assert '<img src=x onerror="alert(1)">' not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body


def test_submitted_checklist_is_read_only(client, world: World):
    complete(world.assessment_a, world.staff_a)
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    client.force_login(world.staff_a)
    body = client.get(checklist_url(world)).content.decode()
    assert 'data-editable="0"' in body
    assert "只读" in body
    assert 'id="submit-form"' not in body
    assert 'data-role="upload"' not in body


def test_returned_items_are_highlighted_with_the_reviewers_comments(client, world: World):
    complete(world.assessment_a, world.staff_a)
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    assessment_return(
        actor=world.reviewer_a,
        assessment=world.assessment_a,
        reason="佐证材料不全",
        item_comments={"1.1.3": "请补充床位核定文件"},
    )
    client.force_login(world.staff_a)
    body = client.get(checklist_url(world)).content.decode()
    assert "佐证材料不全" in body
    assert "请补充床位核定文件" in body
    assert body.count("item--returned") == 1
    assert 'href="#item-1.1.3"' in body
    assert 'data-editable="1"' in body


def test_provisional_level_and_gap_plan_follow_the_grades(client, world: World):
    client.force_login(world.staff_a)
    body = client.get(checklist_url(world)).content.decode()
    assert "暂未达到任何等级" in body
    assert "下一步改进重点" in body
    grade_all(
        world.assessment_a,
        world.staff_a,
        {"1.1.1": "A", "1.1.2": "A", "1.1.3": "A", "1.1.4": "A", "2.1.1": "A", "2.1.2": "A"},
    )
    response = client.get(reverse("web:checklist_summary", args=[world.assessment_a.pk]))
    data = response.json()
    assert response.status_code == 200
    assert "推荐标准" in data["html"]
    assert data["progress"]["answered"] == 6
    assert [c["answered"] for c in data["progress"]["chapters"]] == [4, 2]
