"""The checklist's and its summary's query budget, whatever the size of the edition."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.services.assessments import assessment_return
from accreditation.services.evidence import evidence_revise, evidence_upload
from accreditation.services.submission import assessment_submit
from tests import files
from tests.accreditation.helpers import grade_all
from tests.accreditation.web.sized import large_assessment
from tests.files import upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("with_return", [False, True])
def test_checklist_runs_in_at_most_ten_queries_whatever_the_size(
    client, django_assert_max_num_queries, with_return
):
    counts = []
    for size, year in ((10, 2030), (100, 2031)):
        assessment, staff = large_assessment(size, year)
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
        assessment, staff = large_assessment(size, year)
        client.force_login(staff)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("web:checklist_summary", args=[assessment.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 9


def test_checklist_with_revisions_and_reusable_files_keeps_its_budget(
    client, django_assert_max_num_queries
):
    counts = []
    for size, year in ((10, 2032), (100, 2033)):
        assessment, staff = large_assessment(size, year)
        for code in list(assessment.grades.values_list("item_code", flat=True))[: size // 5]:
            (first,) = evidence_upload(
                actor=staff,
                assessment=assessment,
                item_codes=[code],
                file=upload(files.PDF + code.encode(), "v1.pdf"),
                effective_on=dt.date(2025, 1, 1),
                expires_on=dt.date(2025, 12, 31),
            )
            evidence_revise(
                actor=staff, attachment=first, file=upload(files.PDF + b"2" + code.encode())
            )
        client.force_login(staff)
        url = reverse("web:checklist", args=[assessment.pk])
        with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('data-role="history"') == size // 5
        counts.append(len(queries))
    assert counts[0] == counts[1]
