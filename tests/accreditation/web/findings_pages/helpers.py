"""What the rectification page tests share: dates ahead, the counts a refusal must
leave as they were, a finding's page and a posted plan."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from accreditation.models import AuditEvent, Finding, RectificationEvidence, RectificationPlan

Status = Finding.Status


def future(days: int = 20) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def counts() -> tuple[int, ...]:
    return (
        Finding.objects.count(),
        RectificationPlan.objects.count(),
        RectificationEvidence.objects.count(),
        AuditEvent.objects.count(),
    )


def finding_page(client, user, finding):
    client.force_login(user)
    return client.get(reverse("web:finding", args=[finding.pk]))


def post_plan(client, finding, **kw):
    data = {
        "step": "plan",
        "root_cause": "制度未落实",
        "actions": "修订制度并培训",
        "owner": "王主任",
        "due_on": future(),
    }
    return client.post(reverse("web:finding", args=[finding.pk]), data | kw)
