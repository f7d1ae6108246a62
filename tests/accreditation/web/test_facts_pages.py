"""The facts pages: the officer's import with its table of problems, the institution's
facts with the challenge form, and the county's queue (accept and reject), with
permissions and query budgets at two sizes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accreditation.models import FactChallenge, FactImport, InstitutionFact
from accreditation.services.facts import fact_challenge_raise, facts_import
from tests.accreditation.facts.helpers import csv_bytes, xlsx
from tests.factories import InstitutionFactory


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _row(world, beds=30):
    return [world.institution_a.licence_number, "", beds, 45, 32000]


def test_officer_imports_a_return_on_the_page(world):
    client = login(world.officer_city)
    page = client.get("/facts/import/")
    assert page.status_code == 200
    assert "执业许可证登记号" in page.content.decode()
    response = client.post(
        "/facts/import/",
        {"file": SimpleUploadedFile("r.csv", csv_bytes([_row(world)])), "year": "2026"},
    )
    assert response.status_code == 200
    assert "3 value(s) new" in response.content.decode()
    assert FactImport.objects.get().imported_by == world.officer_city


def test_problems_are_listed_by_row_and_column_and_nothing_is_written(world):
    client = login(world.officer_city)
    data = xlsx([_row(world), ["NOPE", "", "x", 1, 1]])
    response = client.post(
        "/facts/import/", {"file": SimpleUploadedFile("r.xlsx", data), "year": "2026"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<td>3</td><td>C</td><td>实有床位数</td><td>x is not a number.</td>" in html
    assert InstitutionFact.objects.count() == 0 and FactImport.objects.count() == 0


def test_dry_run_on_the_page_writes_nothing(world):
    client = login(world.administrator)
    data = xlsx([_row(world)])
    response = client.post(
        "/facts/import/",
        {"file": SimpleUploadedFile("r.xlsx", data), "year": "2026", "dry_run": "1"},
    )
    assert "Check passed: nothing written" in response.content.decode()
    assert InstitutionFact.objects.count() == 0


@pytest.mark.parametrize("who", ["staff_a", "reviewer_a", "expert"])
def test_the_import_page_is_for_officers_and_administrators(world, who):
    assert login(getattr(world, who)).get("/facts/import/").status_code == 403


def test_the_template_downloads(world):
    response = login(world.officer_city).get("/facts/import/template/")
    assert response.status_code == 200 and response.content.startswith(b"PK")


def test_the_challenge_flow_through_the_pages(world):
    facts_import(actor=world.officer_city, data=xlsx([_row(world)]), file_format="xlsx", year=2026)
    beds = InstitutionFact.objects.get(key="beds")
    staff = login(world.staff_a)
    page = staff.get("/institution/facts/").content.decode()
    assert f'data-fact="{beds.pk}"' in page and "row 2 of file" in page
    response = staff.post(
        f"/institution/facts/{beds.pk}/challenge/", {"proposed_value": "", "reason": ""}
    )
    assert response.status_code == 302 and FactChallenge.objects.count() == 0
    staff.post(
        f"/institution/facts/{beds.pk}/challenge/", {"proposed_value": "32", "reason": "新增床位"}
    )
    challenge = FactChallenge.objects.get()
    assert "Challenged (proposed 32.00" in staff.get("/institution/facts/").content.decode()
    assert (
        login(world.staff_b)
        .post(f"/institution/facts/{beds.pk}/challenge/", {"proposed_value": "1", "reason": "x"})
        .status_code
        == 404
    )
    reviewer = login(world.reviewer_a)
    queue = reviewer.get("/review/fact-challenges/").content.decode()
    assert f'data-challenge="{challenge.pk}"' in queue and "新增床位" in queue
    assert (
        f'data-challenge="{challenge.pk}"'
        not in login(world.reviewer_b).get("/review/fact-challenges/").content.decode()
    )
    reviewer.post(f"/review/fact-challenges/{challenge.pk}/decide/", {"decision": "reject"})
    challenge.refresh_from_db()
    assert challenge.status == "open", "a rejection needs a comment"
    reviewer.post(
        f"/review/fact-challenges/{challenge.pk}/decide/", {"decision": "accept", "comment": "ok"}
    )
    challenge.refresh_from_db()
    beds.refresh_from_db()
    assert (challenge.status, beds.value, beds.source) == ("accepted", Decimal("32"), "challenge")
    assert "Accepted challenge" in staff.get("/institution/facts/").content.decode()


def _grow(world, n):
    rows = [
        [InstitutionFactory(region=world.county_a).licence_number, "", 1, 2, 3] for _ in range(n)
    ]
    rows.append([world.institution_a.licence_number, "", n, n, n])
    facts_import(actor=None, data=xlsx(rows), file_format="xlsx", year=2026 + n)
    for fact in InstitutionFact.objects.filter(year=2026 + n):
        if fact.institution_id == world.institution_a.pk:
            fact_challenge_raise(actor=world.staff_a, fact=fact, proposed_value=n + 1, reason="x")
        else:
            FactChallenge.objects.create(
                fact=fact,
                disputed_value=1,
                proposed_value=2,
                reason="x",
                raised_by=world.staff_a,
                due_on="2026-12-31",
            )


@pytest.mark.parametrize(
    ("who", "url", "budget"),
    [
        ("staff_a", "/institution/facts/", 6),
        ("reviewer_a", "/review/fact-challenges/", 6),
        ("officer_city", "/facts/import/", 6),
    ],
)
def test_pages_stay_within_budget_at_two_sizes(
    world, django_assert_max_num_queries, who, url, budget
):
    client = login(getattr(world, who))
    client.get(url)
    sizes = []
    for n in (2, 12):
        _grow(world, n)
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(url)
        assert response.status_code == 200
        sizes.append(len(captured))
    assert sizes[0] == sizes[1]


def test_the_checklist_shows_an_imported_metric_value_with_its_source(world):
    from tests.accreditation.facts.helpers import HEADERS

    data = xlsx([[*_row(world), 28]], headers=[*HEADERS, "指标:1.1.4"])
    facts_import(actor=world.officer_city, data=data, file_format="xlsx", year=2026)
    page = login(world.staff_a).get(f"/institution/assessments/{world.assessment_a.pk}/")
    html = page.content.decode()
    assert 'data-metric-source="1.1.4"' in html
    assert "From the 2026 statistical return, row 2 of file" in html


def test_the_pages_are_in_chinese_by_default(world):
    client = Client()
    client.force_login(world.officer_city)
    html = client.get("/facts/import/").content.decode()
    assert "统计年报导入" in html and "下载模板" in html
