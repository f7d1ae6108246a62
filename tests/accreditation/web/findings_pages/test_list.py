"""The findings list for every role: each viewer sees the findings in their scope,
filters, and sign-in for anonymous visitors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Finding

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("staff_a", True),
        ("staff_b", False),
        ("reviewer_a", True),
        ("reviewer_b", False),
        ("officer_city", True),
        ("officer_other_city", False),
        ("officer_national", True),
    ],
)
def test_the_list_shows_the_findings_in_the_viewers_scope(client, world, finding, who, sees):
    client.force_login(getattr(world, who))
    response = client.get(reverse("web:findings"))
    assert response.status_code == 200
    ids = [row["finding"].pk for row in response.context["rows"]]
    assert (finding.pk in ids) is sees


def test_the_list_filters_by_status_source_and_overdue_and_flags_overdue_in_words(
    client, world, finding
):
    Finding.objects.filter(pk=finding.pk).update(due_on=timezone.localdate() - dt.timedelta(3))
    client.force_login(world.officer_province)
    url = reverse("web:findings")
    overdue = client.get(url, {"overdue": "1"})
    assert [r["finding"].pk for r in overdue.context["rows"]] == [finding.pk]
    assert "逾期 3 天" in overdue.content.decode()
    assert 'data-role="overdue"' in overdue.content.decode()
    assert client.get(url, {"status": "closed"}).context["rows"] == []
    assert client.get(url, {"source": "county"}).context["rows"] == []
    panel = client.get(url, {"source": "panel"}).context["rows"]
    assert len(panel) == Finding.objects.count()


def test_the_expert_lead_sees_the_findings_of_the_assessment(client, world, experts, finding):
    client.force_login(experts.lead)
    response = client.get(reverse("web:findings"))
    assert finding.pk in [row["finding"].pk for row in response.context["rows"]]


def test_anonymous_visitors_are_sent_to_sign_in(client, finding):
    for url in (
        reverse("web:findings"),
        reverse("web:finding", args=[finding.pk]),
        reverse("web:assessment_findings", args=[finding.assessment_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
