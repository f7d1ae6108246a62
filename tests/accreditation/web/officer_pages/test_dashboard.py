"""The officer's dashboard and region pages: status and levels per region against
the targets, overdue assessments, and the query budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accreditation.services.assessments import assessment_open
from accreditation.services.notices import public_notice_close
from tests.accreditation.conftest import World
from tests.accreditation.web.officer_setup import on_notice
from tests.factories import (
    CityFactory,
    CountyFactory,
    FactsFactory,
    InstitutionFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def _grow(world: World, cities: int, per_city: int) -> None:
    """More cities, counties, institutions and open assessments in the province."""
    for c in range(cities):
        city = CityFactory(parent=world.province, code=f"99{50 + c:02d}00", name=f"新市{c}")
        county = CountyFactory(parent=city, code=f"99{50 + c:02d}01", name=f"新县{c}")
        for i in range(per_city):
            institution = InstitutionFactory(name=f"新机构{c}-{i}", region=county)
            FactsFactory(institution=institution)
            staff = StaffFactory(username=f"s{c}-{i}", institution=institution)
            assessment_open(
                actor=staff, cycle=world.cycle, institution=institution, target_level="basic"
            )


def _dashboard_queries(client, world: World) -> int:
    client.force_login(world.officer_province)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("web:officer_dashboard"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_runs_in_constant_queries(
    client, world: World, django_assert_max_num_queries
):
    small = _dashboard_queries(client, world)
    _grow(world, cities=4, per_city=5)
    with django_assert_max_num_queries(small):
        client.get(reverse("web:officer_dashboard"))
    with django_assert_max_num_queries(14):
        client.get(reverse("web:officer_region", args=[world.city.pk]))
    assert small <= 14


def test_the_dashboard_shows_status_and_levels_per_region_and_the_targets(
    client, world: World, experts
):
    notice = on_notice(world, experts, starts_on=timezone.localdate() - dt.timedelta(days=8))
    public_notice_close(actor=world.officer_province, notice=notice)
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_dashboard"))
    page = response.content.decode()
    table = response.context["table"]
    by_code = {row["row"].code: row for row in table}
    assert list(by_code) == ["990100", "990200", "990300"]  # 东川市, 西岭市, 北山市
    city = by_code["990100"]
    assert (city["row"].institutions, city["row"].assessments) == (1, 1)
    assert city["row"].by_status == {"recognised": 1}
    assert city["row"].recognised == {"recommended": 1}
    assert (city["standard"], city["recommended"]) == ("100%", "100%")
    assert by_code["990200"]["standard"] == "0%" and by_code["990200"]["standard_below"]
    totals = response.context["totals"]
    assert (totals["row"].institutions, totals["standard"]) == (3, "33.3%")
    # Three inline SVG charts, the national target lines at 70% and 20%.
    assert page.count("<svg") == 3
    assert page.count('class="chart__target"') == 2
    assert "70%" in page and "20%" in page
    assert 'href="{}"'.format(reverse("web:officer_region", args=[world.city.pk])) in page


def test_the_dashboard_lists_the_overdue_assessments(client, world: World):
    from accreditation.models import CycleDeadline, Stage

    CycleDeadline.objects.create(
        cycle=world.cycle,
        stage=Stage.SELF_ASSESSMENT,
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    client.force_login(world.officer_city)
    response = client.get(reverse("web:officer_dashboard"))
    rows = response.context["overdue"]
    assert [(r.assessment.institution.name, r.days_overdue) for r, _ in rows] == [
        (world.institution_a.name, 3)
    ]
    assert world.institution_a.name in response.content.decode()


def test_a_zone_target_is_drawn_beside_the_national_one(client, world: World, settings):
    settings.ACCREDITATION = {"PROVINCE_ZONES": {"99": "west"}}
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_dashboard"))
    page = response.content.decode()
    assert page.count('class="chart__target"') == 4  # national and western, twice
    assert "40%" in page and "10%" in page
    assert {row["standard_target"] for row in response.context["table"]} == {"40%"}


def test_a_region_below_is_shown_without_the_officers_work_lists(client, world: World):
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_region", args=[world.city.pk]))
    assert "overdue" not in response.context
    assert [r["row"].name for r in response.context["table"]] == [world.county_a.name]
