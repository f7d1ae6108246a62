"""The officer dashboard's findings per region and year, the overdue list, and the
action plans (整改台账) in Excel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accreditation.models import Finding
from tests.factories import make_cycle

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_findings_per_region_and_lists_the_overdue(client, world, finding):
    raised = Finding.objects.count()
    Finding.objects.filter(pk=finding.pk).update(due_on=timezone.localdate() - dt.timedelta(2))
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_dashboard"))
    by_code = {row["row"].code: row for row in response.context["table"]}
    assert by_code["990100"]["findings"] == [raised, 1, 0]
    assert by_code["990200"]["findings"] == [0, 0, 0]
    assert response.context["totals"]["findings"] == [raised, 1, 0]
    overdue = response.context["overdue_findings"]
    assert [(o.finding.pk, o.days_overdue) for o in overdue] == [(finding.pk, 2)]
    page = response.content.decode()
    assert reverse("web:officer_action_plans", args=[world.province.pk]) in page


def test_the_action_plans_download_as_excel_within_the_officers_region(client, world, finding):
    client.force_login(world.officer_city)
    response = client.get(reverse("web:officer_action_plans", args=[world.city.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"
    other = client.get(reverse("web:officer_action_plans", args=[world.other_city.pk]))
    assert other.status_code == 404
    client.force_login(world.staff_a)
    assert client.get(reverse("web:officer_action_plans", args=[world.city.pk])).status_code == 403


def test_the_dashboard_and_its_action_plans_cover_the_chosen_year(client, world, finding):
    """Findings count under their assessment's cycle year, like the assessments columns;
    the Excel link of a row carries the year, so the download matches the row."""
    raised = Finding.objects.count()
    make_cycle(province=world.province, year=world.cycle.year + 1)  # the newest, no findings
    client.force_login(world.officer_province)
    newest = client.get(reverse("web:officer_dashboard"))
    assert newest.context["data"].year == world.cycle.year + 1
    assert newest.context["totals"]["findings"] == [0, 0, 0]
    chosen = client.get(reverse("web:officer_dashboard"), {"year": world.cycle.year})
    assert chosen.context["totals"]["findings"] == [raised, 0, 0]
    link = reverse("web:officer_action_plans", args=[world.city.pk])
    assert f"{link}?year={world.cycle.year}" in chosen.content.decode()

    def rows(year):
        response = client.get(link, {"year": year})
        assert response.status_code == 200
        assert f"-{year}.xlsx" in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]

    assert len(rows(world.cycle.year)) == raised
    assert rows(world.cycle.year + 1) == []
