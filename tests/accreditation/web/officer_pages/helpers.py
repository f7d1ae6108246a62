"""Small readers the officer page tests share."""

from __future__ import annotations

from accreditation.models import Assessment


def messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def status(assessment: Assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).status
