"""Reproducible record sampling (病历抽查): the institution freezes an item's record
list, a panel expert draws a sample from a seed (stored, re-computable by anyone),
records pass/fail per record, and the summary is what the item's grade shows."""

from __future__ import annotations

import hashlib

import pytest
from rest_framework.test import APIClient

from accreditation.excel.records import RecordRow, write
from accreditation.models import AuditEvent, RecordList, RecordSample, SampledRecord
from accreditation.services.experts import expert_review_submit
from accreditation.services.panels import panel_assign
from accreditation.services.sampling import draw, list_hash
from standards.models import Item
from tests import files
from tests.workflows.helpers import at_expert_review, grade_all

ITEM = "1.1.2"
RECORDS = [RecordRow(row=i + 2, record_id=f"BL{i:04d}", date="2026-03-01") for i in range(30)]


@pytest.fixture
def panel(world, experts):
    Item.objects.filter(code=ITEM).update(review_methods=["record_review", "record_sampling"])
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province,
        assessment=world.assessment_a,
        lead=experts.lead,
        members=[experts.member],
    )
    return world.assessment_a


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def base(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/"


def upload_list(client, assessment, rows=RECORDS, item=ITEM):
    return client.post(
        base(assessment) + f"items/{item}/records/",
        {"file": files.upload(write(rows), "records.xlsx")},
        format="multipart",
    )


def draw_sample(client, assessment, size=5, seed="2026-12-02", item=ITEM):
    return client.post(
        base(assessment) + f"expert-grades/{item}/sample/",
        {"size": size, "seed": seed},
        format="json",
    )


def reference_draw(ids: list[str], size: int, seed: str, list_sha256: str) -> list[str]:
    """The documented algorithm, written again from the docstring."""
    pool = list(ids)
    for i in range(size):
        n = int(hashlib.sha256(f"{list_sha256}:{seed}:{i}".encode()).hexdigest(), 16)
        j = i + n % (len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:size]


def test_the_draw_is_the_documented_algorithm_and_a_pure_function_of_its_inputs():
    ids = [f"R{i}" for i in range(50)]
    first = draw(ids, 10, seed="s", list_sha256="h")
    assert first == reference_draw(ids, 10, "s", "h") == draw(ids, 10, seed="s", list_sha256="h")
    assert len(set(first)) == 10 and set(first) <= set(ids)
    assert draw(ids, 10, seed="t", list_sha256="h") != first
    assert draw(ids, 10, seed="s", list_sha256="other list") != first
    assert sorted(draw(ids, 50, seed="s", list_sha256="h")) == sorted(ids)
    with pytest.raises(ValueError):
        draw(ids, 51, seed="s", list_sha256="h")


def test_the_institution_freezes_versions_of_the_list(panel, world):
    staff = client_for(world.staff_a)
    first = upload_list(staff, panel)
    assert first.status_code == 201, first.content
    assert first.json()["version"] == 1 and first.json()["count"] == 30
    frozen = RecordList.objects.get()
    assert frozen.sha256 == list_hash(frozen.records)
    assert [r["id"] for r in frozen.records] == sorted(r.record_id for r in RECORDS)
    second = upload_list(staff, panel, RECORDS[:10])
    assert second.json()["version"] == 2
    assert len(RecordList.objects.get(version=1).records) == 30  # unchanged
    listed = staff.get(base(panel) + f"items/{ITEM}/records/").json()["results"]
    assert [x["version"] for x in listed] == [2, 1]
    detail = staff.get(base(panel) + f"record-lists/{frozen.pk}/").json()
    assert detail["records"][0] == {"id": "BL0000", "date": "2026-03-01", "department": ""}
    assert AuditEvent.objects.filter(action="record_list.freeze").count() == 2


def test_a_bad_list_names_every_bad_row_and_writes_nothing(panel, world):
    rows = [
        RecordRow(row=2, record_id="BL1"),
        RecordRow(row=3, record_id="BL1"),
        RecordRow(row=4, record_id="", department="内科"),
        RecordRow(row=5, record_id="BL2", date="not a date"),
    ]
    response = upload_list(client_for(world.staff_a), panel, rows)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "import_refused"
    where = {(e["row"], e["column"]) for e in error["details"]["errors"]}
    assert where == {(3, "A"), (4, "A"), (5, "B")}
    assert not RecordList.objects.exists()
    not_sampled = upload_list(client_for(world.staff_a), panel, item="1.1.1")
    assert not_sampled.status_code == 400, not_sampled.content
    assert "item_code" in not_sampled.json()["error"]["fields"]
    by_expert = upload_list(client_for(world.reviewer_a), panel)
    assert by_expert.status_code == 403
    assert not RecordList.objects.exists()


def test_an_expert_draws_a_reproducible_sample_and_records_results(panel, world, experts):
    upload_list(client_for(world.staff_a), panel)
    lead, member = client_for(experts.lead), client_for(experts.member)
    response = draw_sample(lead, panel, size=5, seed="抽签-7")
    assert response.status_code == 201, response.content
    body = response.json()
    frozen = RecordList.objects.get()
    ids = [r["id"] for r in frozen.records]
    assert body["drawn"] == reference_draw(ids, 5, "抽签-7", frozen.sha256)
    assert [r["record_id"] for r in body["results"]] == body["drawn"]
    assert body["summary"] == {"size": 5, "checked": 0, "passed": 0, "failed": 0, "rate": None}
    # The same seed on the same list draws the same records, whoever draws.
    assert draw_sample(member, panel, size=5, seed="抽签-7").json()["drawn"] == body["drawn"]
    verify = lead.get(base(panel) + f"samples/{body['id']}/verify/").json()
    assert verify["reproducible"] is True and verify["drawn"] == body["drawn"]
    record = base(panel) + f"samples/{body['id']}/records/"
    passed = lead.put(record + f"{body['drawn'][0]}/", {"outcome": "pass"}, format="json")
    assert passed.status_code == 200
    failed = lead.put(
        record + f"{body['drawn'][1]}/", {"outcome": "fail", "note": "未签名"}, format="json"
    )
    assert failed.status_code == 200 and failed.json()["note"] == "未签名"
    mine = lead.get(base(panel) + f"samples/?item_code={ITEM}").json()["results"]
    assert [s["summary"] for s in mine] == [
        {"size": 5, "checked": 2, "passed": 1, "failed": 1, "rate": 0.5}
    ]
    assert AuditEvent.objects.filter(action="record_sample.draw").count() == 2
    assert AuditEvent.objects.filter(action="sampled_record.set").count() == 2


def test_draws_and_results_refuse_bad_input_and_change_nothing(panel, world, experts):
    lead = client_for(experts.lead)
    no_list = draw_sample(lead, panel)
    assert no_list.status_code == 400 and "item_code" in no_list.json()["error"]["fields"]
    upload_list(client_for(world.staff_a), panel, RECORDS[:4])
    too_many = draw_sample(lead, panel, size=5)
    assert too_many.status_code == 400 and "size" in too_many.json()["error"]["fields"]
    assert draw_sample(lead, panel, size=0).status_code == 400
    assert draw_sample(client_for(world.staff_a), panel).status_code == 403
    assert not RecordSample.objects.exists()
    sample = draw_sample(lead, panel, size=2).json()
    again = draw_sample(lead, panel, size=2, seed="other")
    assert again.status_code == 409 and again.json()["error"]["details"]["current"]["seed"]
    record = base(panel) + f"samples/{sample['id']}/records/"
    assert lead.put(record + "NOT-DRAWN/", {"outcome": "pass"}, format="json").status_code == 400
    assert (
        lead.put(record + f"{sample['drawn'][0]}/", {"outcome": "maybe"}, format="json").status_code
        == 400
    )
    # The member sees the lead's sample only after submitting, and may never change it.
    member = client_for(experts.member)
    assert (
        member.put(
            record + f"{sample['drawn'][0]}/", {"outcome": "pass"}, format="json"
        ).status_code
        == 404
    )
    grade_all(experts.member, panel)
    expert_review_submit(actor=experts.member, assessment=panel)
    assert member.put(
        record + f"{sample['drawn'][0]}/", {"outcome": "pass"}, format="json"
    ).status_code in (403, 409)
    assert set(SampledRecord.objects.values_list("outcome", flat=True)) == {""}


def test_a_tampered_list_no_longer_verifies(panel, world, experts):
    upload_list(client_for(world.staff_a), panel)
    lead = client_for(experts.lead)
    sample = draw_sample(lead, panel).json()
    frozen = RecordList.objects.get()
    frozen.records = [*frozen.records[1:], {"id": "ZZ", "date": "", "department": ""}]
    frozen.save()
    assert lead.get(base(panel) + f"samples/{sample['id']}/verify/").json()["reproducible"] is False


@pytest.mark.parametrize("records", [5, 25])
def test_the_sample_list_is_a_constant_number_of_queries(
    panel, world, experts, records, django_assert_max_num_queries
):
    upload_list(client_for(world.staff_a), panel, RECORDS[:records])
    lead = client_for(experts.lead)
    draw_sample(lead, panel, size=records)
    with django_assert_max_num_queries(9):
        response = lead.get(base(panel) + "samples/")
    assert len(response.json()["results"][0]["results"]) == records
