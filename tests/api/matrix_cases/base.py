"""What the case modules share: the case type, the URL prefix and the usual
expectations by role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from standards.models import RuleSet

ANON = "anonymous"
V1 = "/api/v1"


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[Any], str]
    expect: dict[str, int]
    body: Callable[[Any], Any] | None = None
    prepare: Callable[[Any], None] | None = None
    multipart: bool = False
    extra: dict = field(default_factory=dict)


#: Reads of assessment A: everyone who sees A (the expert is assigned to B only).
READ_A = {ANON: 401, "staff_a": 200, "staff_b": 404, "expert": 404, "reviewer_a": 200}
READ_A |= {"officer_other_city": 404, "administrator": 200}
#: The institution's own edits of assessment A.
EDIT_A = {ANON: 401, "staff_a": 200, "staff_b": 404, "expert": 404, "reviewer_a": 403}
EDIT_A |= {"officer_city": 403, "administrator": 403}
#: Every authenticated user may read it.
ANYONE = {ANON: 401, "staff_a": 200, "expert": 200, "reviewer_a": 200, "administrator": 200}
#: Administrators only (catalogue-wide data).
ADMIN_201 = {ANON: 401, "staff_a": 403, "reviewer_a": 403, "officer_national": 403}
ADMIN_201 |= {"administrator": 201}


def created(expect: dict[str, int], status: int = 201) -> dict[str, int]:
    return {who: (status if code == 200 else code) for who, code in expect.items()}


def rule_set(edition_code: str) -> int:
    return RuleSet.objects.get(edition__code=edition_code, level="basic").pk
