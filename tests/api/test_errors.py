"""One error shape for every failure, with stable codes and the details a client needs
to recover."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError

from accreditation.api.exceptions import exception_handler
from accreditation.core.errors import (
    ConflictError,
    DomainError,
    InvalidTransition,
    NotEditable,
    flatten_fields,
)
from accreditation.models import ItemGrade, Region
from tests import files
from tests.accreditation.helpers import grade_all
from tests.files import upload

SHAPE = {"code", "message", "fields", "details"}


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == SHAPE
    return body["error"]


def test_stale_item_save_answers_409_with_the_stored_values(world, as_user):
    url = f"/api/v1/assessments/{world.assessment_a.pk}/items/1.1.4/"
    other = as_user("staff_a2")
    saved = other.patch(url, {"grade": "A", "metric_value": "12", "version": 1}, format="json")
    assert saved.status_code == 200
    assert saved.json()["version"] == 2
    response = as_user("staff_a").patch(url, {"grade": "C", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "stale_version",
            # zh-hans is the default language; see the English variant below.
            "message": "其他人刚刚保存了此条款，请查看当前内容。",
            "fields": {},
            "details": {
                "current": {
                    "item": "1.1.4",
                    "grade": "A",
                    "na_reason": "",
                    "metric_value": "12.0000",
                    "note": "",
                    "carry": "",
                    "version": 2,
                }
            },
        }
    }
    row = ItemGrade.objects.get(assessment=world.assessment_a, item_code="1.1.4")
    assert (row.grade, row.version) == ("A", 2)


def test_error_messages_follow_the_accept_language_header(world, as_user):
    url = f"/api/v1/assessments/{world.assessment_a.pk}/items/1.1.4/"
    as_user("staff_a2").patch(url, {"grade": "A", "version": 1}, format="json")

    response = as_user("staff_a").patch(
        url, {"grade": "C", "version": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        "Someone else saved this item meanwhile; review the current values."
    )


def test_item_patch_keeps_the_values_it_does_not_send(world, as_user):
    url = f"/api/v1/assessments/{world.assessment_a.pk}/items/1.1.4/"
    client = as_user("staff_a")
    client.patch(url, {"grade": "B", "note": "见附件", "metric_value": 20, "version": 1}, "json")
    response = client.patch(url, {"grade": "A", "version": 2}, format="json")
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("grade", "note", "metric_value", "version")} == {
        "grade": "A",
        "note": "见附件",
        "metric_value": "20.0000",
        "version": 3,
    }


def test_stale_target_level_answers_409_with_the_current_version(world, as_user):
    url = f"/api/v1/assessments/{world.assessment_a.pk}/"
    client = as_user("staff_a")
    assert (
        client.patch(url, {"target_level": "recommended", "version": 1}, "json").json()["version"]
        == 2
    )
    error = error_of(client.patch(url, {"target_level": "qualified", "version": 1}, "json"))
    assert error["code"] == "stale_version"
    assert error["details"] == {"current": {"target_level": "recommended", "version": 2}}


def test_incomplete_submission_answers_422_with_every_problem(world, as_user):
    grade_all(world.assessment_a, world.staff_a, {"1.1.1": "B", "1.1.2": "NA"})
    response = as_user("staff_a").post(f"/api/v1/assessments/{world.assessment_a.pk}/submit/")
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "incomplete"
    assert [(p["code"], p["item"]) for p in error["details"]["problems"]] == [
        ("evidence_missing", "1.1.1"),
        ("ungraded", "1.1.3"),
        ("evidence_missing", "1.1.3"),
        ("ungraded", "1.1.4"),
        ("ungraded", "2.1.1"),
        ("evidence_missing", "2.1.1"),
        ("ungraded", "2.1.2"),
    ]


def test_edit_after_submission_answers_409_not_editable(world, as_user):
    world.assessment_a.status = "submitted"
    world.assessment_a.save()
    url = f"/api/v1/assessments/{world.assessment_a.pk}/items/1.1.1/"
    error = error_of(as_user("staff_a").patch(url, {"grade": "B", "version": 1}, "json"))
    assert error["code"] == "not_editable"
    assert error["details"] == {"status": "submitted"}


def test_returning_a_draft_answers_409_invalid_transition(world, as_user):
    url = f"/api/v1/assessments/{world.assessment_a.pk}/returns/"
    response = as_user("reviewer_a").post(url, {"reason": "x"}, format="json")
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "invalid_transition"
    assert error["details"] == {"from": "draft", "to": "returned"}


def test_opening_twice_answers_409_already_open(world, as_user):
    response = as_user("staff_a").post(
        "/api/v1/assessments/", {"cycle": world.cycle.pk, "target_level": "basic"}, "json"
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "already_open"


def test_refused_upload_answers_400_with_the_reason(world, as_user):
    url = f"/api/v1/assessments/{world.assessment_a.pk}/evidence/"
    response = as_user("staff_a").post(
        url, {"file": upload(files.EXE, "报告.pdf"), "item_codes": ["1.1.1"]}, format="multipart"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "evidence_rejected"
    assert error["details"] == {"reason": "unsupported_type"}


def test_service_validation_errors_name_their_fields(world, as_user):
    response = as_user("staff_a").post(
        f"/api/v1/institutions/{world.institution_a.pk}/facts/",
        {
            "effective_from": "2026-01-01",
            "medical_staff": 5,
            "service_population": 100,
            "beds": 0,
            "inpatient_ward": True,
        },
        format="json",
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["beds"]


def test_serializer_errors_name_nested_fields_with_dots(world, as_user):
    response = as_user("staff_a").post(
        "/api/v1/catalogue/editions/THC-T/evaluate/",
        {"grades": {}, "facts": {"beds": -1}, "target": "gold"},
        format="json",
    )
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"facts.beds", "target"}


def test_malformed_json_answers_400_parse_error(world, as_user):
    response = as_user("staff_a").generic(
        "POST",
        "/api/v1/catalogue/editions/THC-T/evaluate/",
        b"{not json",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_wrong_media_type_answers_415(world, as_user):
    url = f"/api/v1/assessments/{world.assessment_a.pk}/evidence/"
    response = as_user("staff_a").post(url, {"item_codes": ["1.1.1"]}, format="json")
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_wrong_method_answers_405(world, as_user):
    response = as_user("staff_a").delete("/api/v1/regions/")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_unknown_path_answers_404_in_the_error_shape(db, api):
    response = api.get("/api/v1/no/such/thing/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_invalid_filter_value_answers_400(world, as_user):
    response = as_user("staff_a").get("/api/v1/assessments/?status=sleeping")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["status"]


def test_page_past_the_end_answers_404(world, as_user):
    response = as_user("staff_a").get("/api/v1/regions/?page=99")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_page_size_is_capped_at_200(world, as_user):
    county = world.county_a
    Region.objects.bulk_create(
        Region(
            code=f"{county.code}{n:03d}",
            name=f"镇{n}",
            level="township",
            parent=county,
            path=f"{county.path}{county.code}{n:03d}/",
        )
        for n in range(1, 202)
    )
    response = as_user("staff_a").get("/api/v1/regions/?page_size=5000")
    assert response.status_code == 200
    assert response.json()["count"] == 206
    assert len(response.json()["results"]) == 200
    assert len(as_user("staff_a").get("/api/v1/regions/").json()["results"]) == 50


def test_body_too_large_answers_413(world, as_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = as_user("staff_a").post(
        "/api/v1/catalogue/editions/THC-T/evaluate/",
        {"grades": {"1.1.1": "B" * 200}},
        format="json",
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def test_flatten_fields_joins_nested_names():
    detail = {
        "facts": {"beds": ["bad"]},
        "item_codes": [{}, ["too long"]],
        "non_field_errors": ["whole"],
    }
    assert flatten_fields(detail) == {
        "facts.beds": ["bad"],
        "item_codes.1": ["too long"],
        "non_field_errors": ["whole"],
    }
    assert flatten_fields(["one", "two"]) == {"non_field_errors": ["one", "two"]}


def test_domain_errors_map_to_their_status_codes():
    cases = [
        (ConflictError("stale", current={"version": 3}), 409, "stale_version"),
        (InvalidTransition("no"), 409, "invalid_transition"),
        (NotEditable("no"), 409, "not_editable"),
        (DomainError("closed", code="cycle_closed"), 409, "cycle_closed"),
        (DjangoValidationError("bad"), 400, "invalid"),
        (DjangoValidationError({"__all__": ["bad"]}), 400, "invalid"),
        (ValidationError({"x": ["bad"]}), 400, "invalid"),
    ]
    for exc, status, code in cases:
        response = exception_handler(exc, {})
        assert (response.status_code, response.data["error"]["code"]) == (status, code)
    assert exception_handler(DjangoValidationError({"__all__": ["bad"]}), {}).data["error"][
        "fields"
    ] == {"non_field_errors": ["bad"]}
    assert exception_handler(RuntimeError("boom"), {}) is None


def test_absurd_numbers_answer_400_or_404_never_500(world, as_user):
    client = as_user("staff_a")
    huge = "9" * 25
    assert client.get(f"/api/v1/assessments/{huge}/").status_code == 404
    assert client.get("/api/v1/assessments/999999999999999999/").status_code == 404
    response = client.get(f"/api/v1/assessments/?cycle={huge}")
    assert (response.status_code, list(error_of(response)["fields"])) == (400, ["cycle"])
    response = client.post(
        "/api/v1/assessments/", {"cycle": int(huge), "target_level": "basic"}, format="json"
    )
    assert (response.status_code, list(error_of(response)["fields"])) == (400, ["cycle"])
    url = f"/api/v1/assessments/{world.assessment_a.pk}/items/1.1.1/"
    response = client.patch(url, {"grade": "B", "version": 2**64}, format="json")
    assert (response.status_code, list(error_of(response)["fields"])) == (400, ["version"])


def test_a_database_overflow_is_bad_input():
    response = exception_handler(OverflowError("Python int too large"), {})
    assert (response.status_code, response.data["error"]["code"]) == (400, "invalid")
