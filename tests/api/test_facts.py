"""The facts API: the statistical-return upload (dry run, refusals with rows and
columns), facts with provenance, challenges accepted and rejected, permissions and
query budgets at two sizes."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from accreditation.models import AuditEvent, FactChallenge, FactImport, InstitutionFact
from accreditation.services.facts import fact_challenge_raise, facts_import
from tests.accreditation.facts.helpers import csv_bytes, xlsx
from tests.factories import InstitutionFactory


def _rows(world, extra=()):
    return [
        [world.institution_a.licence_number, "", 30, 45, 32000],
        *extra,
    ]


def upload(client, data, name="年报.xlsx", **fields):
    return client.post(
        "/api/v1/fact-imports/",
        {"file": SimpleUploadedFile(name, data), "year": 2026, **fields},
        format="multipart",
    )


def counts():
    return (
        InstitutionFact.objects.count(),
        FactImport.objects.count(),
        FactChallenge.objects.count(),
        AuditEvent.objects.count(),
    )


def test_upload_then_list_the_facts_with_their_source(world, as_user):
    client = as_user("officer_city")
    response = upload(client, xlsx(_rows(world)))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["created"], body["dry_run"], body["fact_import"]["rows"]) == (3, False, 1)
    facts = as_user("staff_a").get("/api/v1/facts/?key=beds").json()
    assert facts["count"] == 1
    fact = facts["results"][0]
    assert (fact["value"], fact["source"], fact["source_row"], fact["fact_import"]) == (
        "30.00",
        "import",
        2,
        body["fact_import"]["id"],
    )
    assert fact["file_sha256"] == body["fact_import"]["file_sha256"]
    assert as_user("staff_b").get("/api/v1/facts/").json()["count"] == 0
    assert as_user("staff_b").get(f"/api/v1/facts/{fact['id']}/").status_code == 404


def test_csv_upload_and_dry_run(world, as_user):
    client = as_user("administrator")
    before = counts()
    response = upload(client, csv_bytes(_rows(world)), name="return.csv", dry_run="true")
    assert response.status_code == 200
    assert (response.json()["created"], response.json()["fact_import"]) == (3, None)
    assert counts() == before
    assert upload(client, csv_bytes(_rows(world)), name="return.csv").status_code == 201


def test_a_refused_upload_names_row_column_and_reason_and_writes_nothing(world, as_user):
    before = counts()
    response = upload(as_user("officer_city"), xlsx(_rows(world, [["NOPE", "", "x", 1, 1]])))
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "import_refused"
    assert [(e["row"], e["column"], e["reason"]) for e in body["details"]["errors"]] == [
        (3, "C", "x 不是数字。")  # the request's language: Chinese by default
    ]
    assert counts() == before


def test_who_may_upload(world, as_user):
    data = xlsx(_rows(world))
    before = counts()
    assert upload(as_user(None), data).status_code in (401, 403)
    for who in ("staff_a", "reviewer_a", "expert"):
        assert upload(as_user(who), data).status_code == 403, who
    assert upload(as_user("officer_other_city"), data).status_code == 400  # outside scope
    assert counts() == before


def test_the_template_downloads(world, as_user):
    response = as_user("officer_city").get("/api/v1/fact-imports/template/")
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def _imported(world):
    facts_import(actor=world.officer_city, data=xlsx(_rows(world)), file_format="xlsx", year=2026)
    return InstitutionFact.objects.get(institution=world.institution_a, key="beds")


def test_challenge_accepted_through_the_api(world, as_user):
    fact = _imported(world)
    response = as_user("staff_a").post(
        "/api/v1/fact-challenges/",
        {"fact": fact.pk, "proposed_value": "32", "reason": "新增床位"},
        format="json",
    )
    assert response.status_code == 201, response.content
    challenge = response.json()
    assert (challenge["status"], challenge["disputed_value"]) == ("open", "30.00")
    queue = as_user("reviewer_a").get("/api/v1/fact-challenges/?status=open").json()
    assert [c["id"] for c in queue["results"]] == [challenge["id"]]
    assert as_user("reviewer_b").get("/api/v1/fact-challenges/").json()["count"] == 0
    denied = as_user("staff_a").post(f"/api/v1/fact-challenges/{challenge['id']}/accept/")
    assert denied.status_code == 403
    response = as_user("reviewer_a").post(
        f"/api/v1/fact-challenges/{challenge['id']}/accept/", {"comment": "ok"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    fact = as_user("staff_a").get(f"/api/v1/facts/{fact.pk}/").json()
    assert (fact["value"], fact["source"], fact["challenge"]) == (
        "32.00",
        "challenge",
        challenge["id"],
    )
    again = as_user("reviewer_a").post(f"/api/v1/fact-challenges/{challenge['id']}/reject/")
    assert again.status_code == 400  # the comment is required before the state is looked at


def test_challenge_rejected_needs_a_comment(world, as_user):
    fact = _imported(world)
    challenge = fact_challenge_raise(actor=world.staff_a, fact=fact, proposed_value=1, reason="x")
    url = f"/api/v1/fact-challenges/{challenge.pk}/reject/"
    before = counts()
    assert as_user("reviewer_a").post(url, {"comment": ""}, format="json").status_code == 400
    assert counts() == before
    response = as_user("reviewer_a").post(url, {"comment": "以年报为准"}, format="json")
    assert response.json()["status"] == "rejected"
    again = as_user("reviewer_a").post(
        f"/api/v1/fact-challenges/{challenge.pk}/accept/", {}, format="json"
    )
    assert (again.status_code, again.json()["error"]["code"]) == (409, "invalid_transition")


def test_bad_challenge_input_is_a_field_error(world, as_user):
    fact = _imported(world)
    before = counts()
    response = as_user("staff_a").post(
        "/api/v1/fact-challenges/", {"fact": fact.pk, "proposed_value": "-1"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"proposed_value", "reason"}
    assert counts() == before


def test_manual_entry_through_the_api(world, as_user):
    body = {"institution": world.institution_a.pk, "year": 2026, "key": "beds", "value": "12"}
    assert as_user("staff_a").post("/api/v1/facts/", body, format="json").status_code == 403
    response = as_user("reviewer_a").post("/api/v1/facts/", body, format="json")
    assert response.status_code == 201
    assert response.json()["source"] == "manual"


def _grow(world, n):
    rows = []
    for _ in range(n):
        inst = InstitutionFactory(region=world.county_a)
        rows.append([inst.licence_number, "", 1, 2, 3])
    facts_import(actor=None, data=xlsx(rows), file_format="xlsx", year=2026)
    for fact in InstitutionFact.objects.filter(key="beds", challenges__isnull=True)[:n]:
        FactChallenge.objects.create(
            fact=fact,
            disputed_value=1,
            proposed_value=2,
            reason="x",
            raised_by=world.staff_a,
            due_on="2026-12-31",
        )


def test_lists_stay_within_budget_at_two_sizes(world, as_user, django_assert_max_num_queries):
    client = as_user("officer_city")
    seen = []
    for size in (2, 12):
        _grow(world, size)
        for url, budget in (
            ("/api/v1/facts/", 4),
            ("/api/v1/fact-challenges/", 4),
            ("/api/v1/fact-imports/", 3),
        ):
            with django_assert_max_num_queries(budget):
                response = client.get(url)
            assert response.status_code == 200
            seen.append((url, response.json()["count"]))
    assert seen[3][1] > seen[0][1] and seen[4][1] > seen[1][1]


def test_import_queries_are_constant_in_rows(world, django_assert_max_num_queries):
    for size in (3, 30):
        rows = [
            [InstitutionFactory(region=world.county_a).licence_number, "", 1, 2, 3]
            for _ in range(size)
        ]
        data = xlsx(rows)
        with django_assert_max_num_queries(14):
            facts_import(actor=world.officer_city, data=data, file_format="xlsx", year=2026)


def test_overdue_challenges_are_listed(world, as_user):
    data = xlsx([[world.institution_a.licence_number, "", 30, 45, 32000]])
    facts_import(actor=world.officer_city, data=data, file_format="xlsx", year=2026)
    fact = InstitutionFact.objects.get(institution=world.institution_a, key="beds")
    challenge = fact_challenge_raise(
        actor=world.staff_a, fact=fact, proposed_value="20", reason="r"
    )
    client = as_user("reviewer_a")
    assert client.get("/api/v1/fact-challenges/?overdue=true").json()["count"] == 0
    FactChallenge.objects.filter(pk=challenge.pk).update(due_on=dt.date(2020, 1, 1))
    rows = client.get("/api/v1/fact-challenges/?overdue=true").json()["results"]
    assert [r["id"] for r in rows] == [challenge.pk]


def test_the_checklist_shows_where_an_imported_metric_came_from(world, as_user):
    from tests.accreditation.facts.helpers import HEADERS

    data = xlsx(
        [[world.institution_a.licence_number, "", 30, 45, 32000, 28]],
        headers=[*HEADERS, "指标:1.1.4"],
    )
    facts_import(actor=world.officer_city, data=data, file_format="xlsx", year=2026)
    rows = as_user("staff_a").get(f"/api/v1/assessments/{world.assessment_a.pk}/items/").json()
    by_code = {r["item"]["code"]: r for r in rows["results"]}
    source = by_code["1.1.4"]["metric_source"]
    assert (source["year"], source["row"], len(source["sha256"])) == (2026, 2, 64)
    assert by_code["1.1.1"]["metric_source"] is None
