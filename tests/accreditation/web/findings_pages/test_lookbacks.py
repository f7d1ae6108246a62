"""Look-backs that require rectification: findings raised and the look-back
concluded, and a bad request that writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.models import Finding, LookBack
from accreditation.services.findings import finding_withdraw
from tests.accreditation.web.findings_pages.helpers import future
from tests.accreditation.web.officer_pages.helpers import messages
from tests.accreditation.web.officer_setup import recognised

pytestmark = pytest.mark.django_db


def test_a_lookback_requiring_rectification_raises_findings_and_concludes(
    client,
    world,
    experts,
):
    recognition = recognised(world, experts)
    client.force_login(world.officer_province)
    url = reverse("web:officer_recognition", args=[recognition.pk])
    response = client.post(
        url,
        {
            "outcome": "rectify",
            "reason": "回头看发现问题",
            "rectify_by": future(60),
            "shortcomings": "1.1.1: 制度未更新\n\n院感培训记录缺失\n",
        },
        follow=True,
    )
    lookback = LookBack.objects.get()
    assert lookback.rectification == LookBack.Rectification.PENDING
    found = list(lookback.rectification_findings.order_by("id"))
    assert [(f.item_code, f.description) for f in found] == [
        ("1.1.1", "制度未更新"),
        ("", "院感培训记录缺失"),
    ]
    page = response.content.decode()
    assert 'data-role="conclude"' in page and "制度未更新" in page
    conclude = reverse("web:officer_lookback_conclude", args=[recognition.pk, lookback.pk])
    # Findings still open before the deadline: refused, nothing changes.
    response = client.post(conclude, follow=True)
    assert len(messages(response)) == 1
    assert LookBack.objects.get().rectification == LookBack.Rectification.PENDING
    for f in found:
        finding_withdraw(actor=world.officer_province, finding=f, reason="已现场整改")
    response = client.post(conclude, follow=True)
    assert LookBack.objects.get().rectification == LookBack.Rectification.RECTIFIED
    assert messages(response) == ["整改完成，认定保持有效。"]


def test_a_rectify_lookback_without_deadline_or_shortcomings_writes_nothing(
    client,
    world,
    experts,
):
    recognition = recognised(world, experts)
    client.force_login(world.officer_province)
    url = reverse("web:officer_recognition", args=[recognition.pk])
    response = client.post(url, {"outcome": "rectify", "reason": "回头看"}, follow=True)
    assert LookBack.objects.count() == 0 and Finding.objects.count() == 0
    assert len(messages(response)) == 1
