"""The institution's home: the cycle, its status, target, progress and deadlines, and
opening the assessment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.models import Assessment
from tests.accreditation.conftest import World
from tests.accreditation.helpers import grade_all
from tests.factories import InstitutionFactory, StaffFactory

pytestmark = pytest.mark.django_db


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
