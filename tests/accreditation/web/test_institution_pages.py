"""The institution's pages and JSON endpoints: what they show, what they save, and
the checklist's query budget."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import Assessment, AuditEvent, EvidenceAttachment, ItemGrade
from accreditation.services.assessments import assessment_open, assessment_return
from accreditation.services.evidence import evidence_upload
from accreditation.services.submission import assessment_submit
from tests import files
from tests.accreditation.conftest import World
from tests.accreditation.helpers import complete, grade_all
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

pytestmark = pytest.mark.django_db


def _checklist(world: World) -> str:
    return reverse("web:checklist", args=[world.assessment_a.pk])


def _save_url(world: World, code: str) -> str:
    return reverse("web:item_save", args=[world.assessment_a.pk, code])


def _post_json(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def _row(world: World, code: str) -> ItemGrade:
    return ItemGrade.objects.get(assessment=world.assessment_a, item_code=code)


# --- the institution home -------------------------------------------------------------


def test_home_shows_the_cycle_status_target_progress_and_deadlines(client, world: World):
    from accreditation.models import CycleDeadline

    CycleDeadline.objects.create(cycle=world.cycle, stage="self_assessment", due_on="2026-06-30")
    grade_all(world.assessment_a, world.staff_a, {"1.1.1": "B", "1.1.2": "C"})
    client.force_login(world.staff_a)
    body = client.get(reverse("web:institution_home")).content.decode()
    assert world.cycle.name in body
    assert "草稿（自评中）" in body
    assert "基本标准" in body
    assert "已自评 2 / 6 条" in body
    assert "2026-06-30" in body
    assert "机构自评" in body
    assert reverse("web:checklist", args=[world.assessment_a.pk]) in body


def test_home_offers_to_open_the_assessment_when_none_is_open(client, world: World):
    institution = InstitutionFactory(region=world.county_a)
    client.force_login(StaffFactory(institution=institution))
    body = client.get(reverse("web:institution_home")).content.decode()
    assert reverse("web:assessment_open", args=[world.cycle.pk]) in body
    response = client.post(
        reverse("web:assessment_open", args=[world.cycle.pk]), {"target_level": "recommended"}
    )
    opened = Assessment.objects.get(institution=institution, cycle=world.cycle)
    assert response.status_code == 302
    assert response.url == reverse("web:checklist", args=[opened.pk])
    assert (opened.target_level, opened.grades.count()) == ("recommended", 6)


def test_opening_twice_is_refused_with_a_message(client, world: World):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("web:assessment_open", args=[world.cycle.pk]),
        {"target_level": "basic"},
        follow=True,
    )
    assert "该机构在本周期已有评审申报" in response.content.decode()
    assert Assessment.objects.filter(institution=world.institution_a).count() == 1


# --- the checklist -------------------------------------------------------------------


def test_checklist_shows_criteria_grade_buttons_metric_and_evidence(client, world: World):
    evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "制度<script>.pdf"),
    )
    client.force_login(world.staff_a)
    response = client.get(_checklist(world))
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
    body = client.get(_checklist(world)).content.decode()
    assert "b-1" in body and "开展检验项目不少于10项" in body
    assert "床位 ≥ 20" in body


def test_checklist_escapes_user_text(client, world: World):
    grade_all(world.assessment_a, world.staff_a, {"1.1.1": "B"})
    row = _row(world, "1.1.1")
    row.note = '<img src=x onerror="alert(1)">'
    row.save()
    client.force_login(world.staff_a)
    body = client.get(_checklist(world)).content.decode()
    assert '<img src=x onerror="alert(1)">' not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body


def test_submitted_checklist_is_read_only(client, world: World):
    complete(world.assessment_a, world.staff_a)
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    client.force_login(world.staff_a)
    body = client.get(_checklist(world)).content.decode()
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
    body = client.get(_checklist(world)).content.decode()
    assert "佐证材料不全" in body
    assert "请补充床位核定文件" in body
    assert body.count("item--returned") == 1
    assert 'href="#item-1.1.3"' in body
    assert 'data-editable="1"' in body


def test_provisional_level_and_gap_plan_follow_the_grades(client, world: World):
    client.force_login(world.staff_a)
    body = client.get(_checklist(world)).content.decode()
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


def _large_assessment(count: int, year: int) -> tuple[Assessment, object]:
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


@pytest.mark.parametrize("with_return", [False, True])
def test_checklist_runs_in_at_most_ten_queries_whatever_the_size(
    client, django_assert_max_num_queries, with_return
):
    counts = []
    for size, year in ((10, 2030), (100, 2031)):
        assessment, staff = _large_assessment(size, year)
        if with_return:
            complete_all = dict.fromkeys(assessment.grades.values_list("item_code", flat=True), "C")
            grade_all(assessment, staff, complete_all)
            for code in assessment.grades.filter(item__evidence_required=True).values_list(
                "item_code", flat=True
            ):
                evidence_upload(
                    actor=staff,
                    assessment=assessment,
                    item_codes=[code],
                    file=upload(files.PDF + code.encode(), "b.pdf"),
                )
            assessment_submit(actor=staff, assessment=assessment)
            from tests.factories import OfficerFactory

            assessment_return(
                actor=OfficerFactory(),
                assessment=assessment,
                reason="r",
                item_comments={assessment.grades.first().item_code: "c"},
            )
        client.force_login(staff)
        url = reverse("web:checklist", args=[assessment.pk])
        with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('<article class="item') == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_summary_runs_in_constant_queries(client, django_assert_max_num_queries):
    counts = []
    for size, year in ((10, 2030), (100, 2031)):
        assessment, staff = _large_assessment(size, year)
        client.force_login(staff)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("web:checklist_summary", args=[assessment.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 9


# --- autosave --------------------------------------------------------------------------


def test_item_save_stores_the_values_and_answers_the_new_version(client, world: World):
    client.force_login(world.staff_a)
    response = _post_json(
        client,
        _save_url(world, "1.1.4"),
        {"grade": "B", "metric_value": "20", "note": "  床位20张 ", "version": 1},
    )
    assert response.status_code == 200
    assert response.json()["item"] == {
        "item": "1.1.4",
        "grade": "B",
        "na_reason": "",
        "metric_value": "20",
        "note": "床位20张",
        "version": 2,
    }
    row = _row(world, "1.1.4")
    assert (row.grade, row.version, row.updated_by_id) == ("B", 2, world.staff_a.pk)


def test_item_save_with_a_stale_version_answers_409_with_the_other_persons_values(
    client, world: World
):
    grade_all(world.assessment_a, world.staff_a2, {"1.1.1": "A"})
    client.force_login(world.staff_a)
    response = _post_json(client, _save_url(world, "1.1.1"), {"grade": "C", "version": 1})
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "stale_version"
    assert data["current"]["grade"] == "A"
    assert data["current"]["version"] == 2
    assert data["current"]["updated_by"] == "staff_a2"
    assert _row(world, "1.1.1").grade == "A"
    # "Keep mine" re-sends with the new version.
    response = _post_json(client, _save_url(world, "1.1.1"), {"grade": "C", "version": 2})
    assert response.status_code == 200
    assert _row(world, "1.1.1").grade == "C"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"grade": "D", "version": 1}, "grade"),
        ({"grade": "B", "metric_value": "abc", "version": 1}, "metric_value"),
        ({"grade": "B", "version": "x"}, "version"),
        ({"grade": "B"}, "version"),
    ],
)
def test_item_save_refuses_invalid_values_and_changes_nothing(client, world: World, body, field):
    client.force_login(world.staff_a)
    before = _row(world, "1.1.4").values()
    response = _post_json(client, _save_url(world, "1.1.4"), body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]
    assert _row(world, "1.1.4").values() == before


def test_item_save_refuses_malformed_json(client, world: World):
    client.force_login(world.staff_a)
    response = client.post(_save_url(world, "1.1.1"), "not json", content_type="application/json")
    assert response.status_code == 400


def test_item_save_refuses_an_unknown_item(client, world: World):
    client.force_login(world.staff_a)
    response = _post_json(client, _save_url(world, "9.9.9"), {"grade": "B", "version": 1})
    assert response.status_code == 400
    assert "item_code" in response.json()["errors"]


def test_item_save_after_submission_answers_409_not_editable(client, world: World):
    complete(world.assessment_a, world.staff_a)
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    client.force_login(world.staff_a)
    version = _row(world, "1.1.1").version
    response = _post_json(client, _save_url(world, "1.1.1"), {"grade": "A", "version": version})
    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    assert _row(world, "1.1.1").grade == "B"


def test_item_save_needs_get_to_be_refused(client, world: World):
    client.force_login(world.staff_a)
    assert client.get(_save_url(world, "1.1.1")).status_code == 405


# --- evidence --------------------------------------------------------------------------


def test_upload_attaches_to_the_item_and_lists_its_files(client, world: World):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("web:evidence_upload", args=[world.assessment_a.pk]),
        {"item": "1.1.1", "file": upload(files.PDF, "制度.pdf")},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["item"] == "1.1.1"
    assert [a["name"] for a in data["attachments"]] == ["制度.pdf"]
    attachment = EvidenceAttachment.objects.get(assessment=world.assessment_a)
    assert data["attachments"][0]["url"] == reverse(
        "web:evidence_download", args=[world.assessment_a.pk, attachment.pk]
    )


def test_upload_refuses_an_impostor_file_and_stores_nothing(client, world: World):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("web:evidence_upload", args=[world.assessment_a.pk]),
        {"item": "1.1.1", "file": upload(files.HTML, "a.pdf")},
    )
    assert response.status_code == 400
    assert response.json()["details"]["reason"] == "unsupported_type"
    assert not EvidenceAttachment.objects.exists()


def test_detach_removes_the_file_from_the_item(client, world: World):
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "a.pdf"),
    )
    client.force_login(world.staff_a)
    response = client.post(
        reverse("web:evidence_detach", args=[world.assessment_a.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert response.json() == {"item": "1.1.1", "attachments": []}
    assert not EvidenceAttachment.objects.exists()


def test_download_serves_the_file_as_an_attachment(client, world: World):
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "制度.pdf"),
    )
    client.force_login(world.reviewer_a)
    response = client.get(
        reverse("web:evidence_download", args=[world.assessment_a.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == files.PDF


# --- target level and submission -------------------------------------------------------


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
    checklist = _checklist(world)
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
    version = _row(world, "1.1.3").version
    response = _post_json(
        client, _save_url(world, "1.1.3"), {"grade": "A", "note": "已补充", "version": version}
    )
    assert response.status_code == 200
    response = client.post(reverse("web:submit", args=[world.assessment_a.pk]))
    assert response.status_code == 302
    assessment = Assessment.objects.get(pk=world.assessment_a.pk)
    assert assessment.status in ("submitted", "county_review")
    assert assessment.snapshots.count() == 2
    body = client.get(_checklist(world)).content.decode()
    assert "item--returned" not in body
    assert 'data-editable="0"' in body


def test_home_counts_the_days_left_and_flags_an_overdue_self_assessment(client, world: World):
    import datetime as dt

    from django.utils import timezone

    from accreditation.models import CycleDeadline

    today = timezone.localdate()
    deadline = CycleDeadline.objects.create(
        cycle=world.cycle, stage="self_assessment", due_on=today + dt.timedelta(days=5)
    )
    client.force_login(world.staff_a)
    body = client.get(reverse("web:institution_home")).content.decode()
    assert "还有 5 天提交" in body
    deadline.due_on = today - dt.timedelta(days=1)
    deadline.save()
    body = client.get(reverse("web:institution_home")).content.decode()
    assert "自评截止日期已过" in body
