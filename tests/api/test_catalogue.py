"""The catalogue over the API: reading editions, items and rule sets (drafts only for
administrators), importing, publishing, retiring, cloning and exporting (administrators
only), and the what-if evaluation (the same answer as ``manage.py evaluate``)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accreditation.models import AuditEvent
from standards.models import Edition, Item, RuleSet

DATA = Path(__file__).resolve().parent.parent / "standards" / "data"


def catalogue_file(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (DATA / name).read_bytes())


def import_file(client, name: str, content: bytes | None = None):
    return client.post(
        "/api/v1/catalogue/import/", {"file": catalogue_file(name, content)}, format="multipart"
    )


def test_administrator_imports_an_edition_and_its_rule_sets(world, as_user):
    admin = as_user("administrator")
    response = import_file(admin, "THC-TEST.yaml")
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "created"
    assert Item.objects.filter(edition__code="THC-TEST").exists()
    assert import_file(admin, "THC-TEST-rules.yaml").json()["outcome"] == "created"
    assert import_file(admin, "THC-TEST.yaml").json()["outcome"] == "unchanged"
    assert AuditEvent.objects.filter(action="edition.import", actor=world.administrator).exists()


def test_others_may_not_import_and_nothing_is_written(world, as_user):
    response = import_file(as_user("officer_national"), "THC-TEST.yaml")
    assert response.status_code == 403
    assert not Edition.objects.filter(code="THC-TEST").exists()


def test_a_malformed_file_lists_every_problem(world, as_user):
    text = (DATA / "THC-TEST.yaml").read_text(encoding="utf-8")
    broken = text.replace("tier: basic", "tier: golden", 2).replace("kind: thc", "kind: zoo")
    response = import_file(as_user("administrator"), "broken.yaml", broken.encode())
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "catalogue_file_invalid"
    assert len(error["details"]["errors"]) >= 3
    assert all(line.startswith("broken.yaml") for line in error["details"]["errors"])
    assert not Edition.objects.filter(code="THC-TEST").exists()


def test_only_catalogue_files_are_accepted(world, as_user):
    response = import_file(as_user("administrator"), "THC-TEST.txt", b"format: x")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["file"]


def codes(client) -> list[str]:
    return [e["code"] for e in client.get("/api/v1/catalogue/editions/").json()["results"]]


def test_drafts_are_for_administrators_until_published(world, as_user):
    admin, staff = as_user("administrator"), as_user("staff_a")
    text = (DATA / "THC-TEST.yaml").read_text(encoding="utf-8")
    import_file(admin, "THC-TEST.yaml", text.replace("status: published", "status: draft").encode())
    assert "THC-TEST" in codes(admin)
    assert "THC-TEST" not in codes(staff)
    assert staff.get("/api/v1/catalogue/editions/THC-TEST/").status_code == 404
    assert staff.post("/api/v1/catalogue/editions/THC-TEST/publish/").status_code == 404
    response = admin.post("/api/v1/catalogue/editions/THC-TEST/publish/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert "THC-TEST" in codes(staff)
    assert staff.post("/api/v1/catalogue/editions/THC-TEST/retire/").status_code == 403
    assert admin.post("/api/v1/catalogue/editions/THC-TEST/retire/").json()["status"] == "retired"
    again = admin.post("/api/v1/catalogue/editions/THC-TEST/retire/")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "invalid"


def test_clone_makes_a_draft_copy(world, as_user):
    response = as_user("administrator").post(
        "/api/v1/catalogue/editions/THC-T/clone/", {"new_code": "THC-T2"}, format="json"
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["items"]) == ("draft", 6)
    clone = Edition.objects.get(code="THC-T2")
    assert clone.cloned_from.code == "THC-T"


def test_rule_sets_publish_and_retire(world, as_user):
    rule_set = RuleSet.objects.filter(edition__code="THC-T", level="basic").get()
    admin = as_user("administrator")
    assert (
        as_user("staff_a").post(f"/api/v1/catalogue/rule-sets/{rule_set.pk}/retire/").status_code
        == 403
    )
    response = admin.post(f"/api/v1/catalogue/rule-sets/{rule_set.pk}/retire/")
    assert response.json()["status"] == "retired"
    # Retired rule sets stay readable for everyone: results refer to them.
    assert as_user("staff_a").get(f"/api/v1/catalogue/rule-sets/{rule_set.pk}/").status_code == 200


def test_export_gives_a_file_import_reads(world, as_user):
    response = as_user("staff_a").get("/api/v1/catalogue/editions/THC-T/export/?file_format=yaml")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="THC-T.yaml"'
    document = yaml.safe_load(response.content)
    assert document["edition"]["code"] == "THC-T"
    xlsx = as_user("staff_a").get("/api/v1/catalogue/editions/THC-T/export/?file_format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_items_filter_by_chapter_and_tier(world, as_user):
    url = "/api/v1/catalogue/editions/THC-T/items/?chapter=2&tier=recommended"
    assert [i["code"] for i in as_user("staff_a").get(url).json()["results"]] == ["2.1.2"]


def test_what_if_answers_what_the_command_prints(world, as_user, tmp_path):
    payload = {
        "grades": {"1.1.1": "A", "1.1.2": "B", "1.1.4": "B", "2.1.1": "C", "1.1.3": "NA"},
        "facts": {"medical_staff": 8, "service_population": 9000, "beds": 0},
    }
    response = as_user("staff_a").post(
        "/api/v1/catalogue/editions/THC-T/evaluate/", payload, format="json"
    )
    assert response.status_code == 200
    path = tmp_path / "grades.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    out = StringIO()
    call_command("evaluate", str(path), "--edition", "THC-T", stdout=out)
    assert response.json() == json.loads(out.getvalue())


def test_what_if_lists_every_bad_entry(world, as_user):
    response = as_user("staff_a").post(
        "/api/v1/catalogue/editions/THC-T/evaluate/",
        {"grades": {"9.9.9": "B", "1.1.1": "Z"}, "target": "recommended"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "grades": [
            "grades: unknown item code '9.9.9'",
            "grades['1.1.1']: unknown grade 'Z' (expected one of none, C, B, A, NA)",
        ]
    }


def test_what_if_with_rule_sets_that_do_not_fit_answers_409(world, as_user):
    # 推荐 includes 基本; with 基本 retired the rule sets in force cannot be applied.
    RuleSet.objects.filter(edition__code="THC-T", level="basic").update(status="retired")
    response = as_user("staff_a").post(
        "/api/v1/catalogue/editions/THC-T/evaluate/", {"grades": {}}, format="json"
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "rules_unusable"
    assert error["details"]["errors"] == [
        "rule set for level 'recommended' includes 'basic', which is missing"
    ]
