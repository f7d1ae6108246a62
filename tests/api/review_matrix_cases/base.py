"""What the case modules share: the case type, URL builders and the usual
expectations by role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accreditation.models import PublicNotice

ANON = "anonymous"
V1 = "/api/v1"
DOC = "卫公示〔2026〕1号"


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[Any, Any], str]
    expect: dict[str, int]
    body: Callable[[Any, Any], Any] | None = None
    prepare: Callable[[Any, Any], None] | None = None


def a(suffix: str = "") -> Callable[[Any, Any], str]:
    return lambda w, e: f"{V1}/assessments/{w.assessment_a.pk}/{suffix}"


def notice_url(suffix: str = "") -> Callable[[Any, Any], str]:
    return lambda w, e: f"{V1}/notices/{PublicNotice.objects.get().pk}/{suffix}"


#: Who sees assessment A (lead and member once on its panel).
SEES_A = {ANON: 401, "staff_a": 200, "staff_b": 404, "reviewer_a": 200, "third": 404}
SEES_A |= {"officer_other_city": 404, "officer_city": 200, "administrator": 200}
ANYONE = {ANON: 401, "staff_a": 200, "third": 200, "reviewer_a": 200, "administrator": 200}
