"""An assessment's findings: the gap plan as the starting list, one finding raised
by hand, and the links to the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Finding
from tests.accreditation.web.findings_pages.helpers import finding_page, future
from tests.accreditation.web.officer_pages.helpers import messages

pytestmark = pytest.mark.django_db


def test_the_gap_plan_raises_findings_for_the_chosen_items(client, world, below_target):
    client.force_login(world.officer_province)
    url = reverse("web:assessment_findings", args=[below_target.pk])
    page = client.get(url)
    candidates = page.context["candidates"].items
    assert len(candidates) >= 2 and page.context["may_raise"]
    chosen = [candidates[0].item_code, candidates[1].item_code]
    response = client.post(url, {"step": "from_gap_plan", "item_codes": chosen}, follow=True)
    assert messages(response) == ["已根据差距清单提出 2 个问题。"]
    assert sorted(Finding.objects.values_list("item_code", flat=True)) == sorted(chosen)
    rows = response.context["candidates"].items
    assert [c.finding is not None for c in rows[:2]] == [True, True]


def test_nothing_chosen_from_the_gap_plan_is_refused(client, world, below_target):
    client.force_login(world.officer_province)
    url = reverse("web:assessment_findings", args=[below_target.pk])
    response = client.post(url, {"step": "from_gap_plan"})
    assert response.status_code == 400
    assert 'data-error="item_codes"' in response.content.decode()
    assert Finding.objects.count() == 0


def test_a_reviewer_raises_one_finding_and_a_bad_one_is_refused_by_field(
    client, world, below_target
):
    client.force_login(world.reviewer_a)
    url = reverse("web:assessment_findings", args=[below_target.pk])
    page = client.get(url)
    assert page.context["typed"]["source"] == "county"
    code = page.context["items"][0][0]
    bad = client.post(
        url, {"step": "raise", "source": "county", "item_code": code, "description": ""}
    )
    assert bad.status_code == 400 and 'data-error="description"' in bad.content.decode()
    assert Finding.objects.count() == 0
    client.post(
        url,
        {
            "step": "raise",
            "source": "county",
            "item_code": code,
            "description": "未见培训记录",
            "required_grade": "B",
            "due_on": future(10),
        },
    )
    raised = Finding.objects.get()
    assert (raised.item_code, raised.source, raised.required_grade, raised.raised_by) == (
        code,
        "county",
        "B",
        world.reviewer_a,
    )
    assert raised.due_on == timezone.localdate() + dt.timedelta(days=10)
    # The raiser decides on it.
    assert finding_page(client, world.reviewer_a, raised).context["forms"]["withdraw"]


def test_the_assessment_page_is_403_for_staff_and_404_outside_the_scope(
    client, world, below_target
):
    url = reverse("web:assessment_findings", args=[below_target.pk])
    client.force_login(world.staff_a)
    assert client.get(url).status_code == 403
    client.force_login(world.reviewer_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"step": "from_gap_plan", "item_codes": ["1.1.1"]}).status_code == 404
    assert Finding.objects.count() == 0


def test_the_pages_link_to_the_findings(client, world, experts, below_target):
    findings_url = reverse("web:findings")
    own = reverse("web:assessment_findings", args=[below_target.pk])
    client.force_login(world.staff_a)
    assert findings_url in client.get(reverse("web:institution_home")).content.decode()
    client.force_login(world.reviewer_a)
    assert findings_url in client.get(reverse("web:review_queue")).content.decode()
    review = client.get(reverse("web:review_assessment", args=[below_target.pk]))
    assert own in review.content.decode()
    client.force_login(world.officer_province)
    assert findings_url in client.get(reverse("web:officer_dashboard")).content.decode()
    assert own in client.get(reverse("web:officer_decisions")).content.decode()
    client.force_login(experts.lead)
    consolidation = client.get(reverse("web:expert_consolidation", args=[below_target.pk]))
    assert own in consolidation.content.decode()
