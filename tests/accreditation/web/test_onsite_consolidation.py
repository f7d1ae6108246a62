"""The lead sees at consolidation what the panel found on site: each item's record
samples (passed of checked) and the experts' photos, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.excel.records import RecordRow, write
from accreditation.models import RecordSample
from accreditation.services.experts import expert_photo_add, expert_review_submit
from accreditation.services.panels import panel_assign
from accreditation.services.sampling import (
    record_list_upload,
    record_sample_draw,
    sampled_record_set,
)
from standards.models import Item
from tests import files
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import CODES, at_expert_review, grade_all

pytestmark = pytest.mark.django_db
SAMPLED = "1.1.2"


@pytest.fixture
def consolidating(world, experts):  # noqa: F811
    Item.objects.filter(code=SAMPLED).update(review_methods=["record_sampling"])
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province, assessment=a, lead=experts.lead, members=[experts.member]
    )
    rows = [RecordRow(row=i + 2, record_id=f"BL{i:03d}") for i in range(12)]
    record_list_upload(
        actor=world.staff_a,
        assessment=a,
        item_code=SAMPLED,
        file=files.upload(write(rows), "r.xlsx"),
    )
    sample = record_sample_draw(
        actor=experts.lead, assessment=a, item_code=SAMPLED, size=4, seed="7"
    )
    for record_id, outcome in zip(sample.drawn[:3], ("pass", "pass", "fail"), strict=True):
        sampled_record_set(actor=experts.lead, sample=sample, record_id=record_id, outcome=outcome)
    expert_photo_add(
        actor=experts.member,
        assessment=a,
        item_code=CODES[0],
        file=files.upload(files.JPG, "p.jpg"),
        caption="消毒记录缺失",
    )
    for expert in (experts.lead, experts.member):
        grade_all(expert, a)
        expert_review_submit(actor=expert, assessment=a)
    return a


def test_the_lead_sees_the_samples_and_the_photos_beside_the_grades(client, consolidating, experts):  # noqa: F811
    client.force_login(experts.lead)
    body = client.get(reverse("web:expert_consolidation", args=[consolidating.pk])).content.decode()
    assert "lead" in body and "已查 3 份中 2 份合格（共抽 4 份）" in body
    photo = consolidating.expert_photos.get()
    url = reverse(
        "api:expert-photo-file", kwargs={"assessment_id": consolidating.pk, "pk": photo.pk}
    )
    assert f'src="{url}"' in body and "消毒记录缺失" in body
    assert client.get(url).status_code == 200


def test_the_consolidation_page_costs_the_same_with_more_photos(client, consolidating, experts):  # noqa: F811
    client.force_login(experts.lead)
    url = reverse("web:expert_consolidation", args=[consolidating.pk])
    counts = []
    for n in (1, 5):
        for i in range(n):
            # Photos straight into the round (grading is closed): the page reads them all.
            grade = consolidating.expert_photos.first().grade
            evidence = consolidating.expert_photos.first().evidence
            evidence.pk, evidence.sha256 = None, f"{n:02d}{i:062d}"
            evidence.save()
            grade.photos.create(
                assessment=consolidating, evidence=evidence, taken_by=experts.member
            )
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 14, counts


@pytest.fixture
def grading(world, experts):  # noqa: F811
    Item.objects.filter(code=SAMPLED).update(review_methods=["record_sampling"])
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province, assessment=a, lead=experts.lead, members=[experts.member]
    )
    return a


def test_the_expert_draws_and_checks_a_sample_on_the_scoring_page(
    client,
    world,
    grading,
    experts,  # noqa: F811
):
    client.force_login(experts.lead)
    page = reverse("web:expert_scoring", args=[grading.pk])
    assert "机构尚未上传病历清单。" in client.get(page).content.decode()
    rows = [RecordRow(row=i + 2, record_id=f"BL{i:03d}") for i in range(8)]
    record_list_upload(
        actor=world.staff_a,
        assessment=grading,
        item_code=SAMPLED,
        file=files.upload(write(rows), "r.xlsx"),
    )
    assert "机构的清单共 8 份病历（第 1 版）。" in client.get(page).content.decode()
    draw_url = reverse("web:expert_sample_draw", args=[grading.pk, SAMPLED])
    too_many = client.post(draw_url, {"size": "9", "seed": ""}, follow=True)
    assert "请抽取 1 至 8 份" in too_many.content.decode()
    assert not RecordSample.objects.exists()
    client.post(draw_url, {"size": "3", "seed": "公开抽签"})
    sample = RecordSample.objects.get()
    assert sample.seed == "公开抽签" and len(sample.drawn) == 3
    record_url = reverse("web:expert_sample_record", args=[grading.pk, SAMPLED])
    client.post(record_url, {"record_id": sample.drawn[0], "outcome": "pass"})
    client.post(record_url, {"record_id": sample.drawn[1], "outcome": "fail", "note": "缺签名"})
    body = client.get(page).content.decode()
    assert "已查 2 份中 1 份合格（共抽 3 份）" in body
    assert f'data-record="{sample.drawn[1]}" data-outcome="fail"' in body
    refused = client.post(record_url, {"record_id": "NOPE", "outcome": "pass"}, follow=True)
    assert "该病历不在样本中。" in refused.content.decode()
