"""Inputs of the PDF renderers: frozen dataclasses of plain values, no ORM, no Django.

A selector builds these from the database; tests and the benchmark build them
directly. Every class validates itself on construction and raises ``ValueError``
naming the field, so a renderer never meets an impossible value.

Codes follow the scoring engine: levels are ``"qualified"``, ``"basic"``,
``"recommended"``; grades are ``"none"``, ``"C"``, ``"B"``, ``"A"``, ``"NA"``; tiers
are ``"basic"`` and ``"recommended"``. The renderers translate them into Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from standards.scoring.types import GRADE_ORDER, LEVELS, TIERS, VALID_GRADES

#: Chinese names of the outcome levels, as printed.
LEVEL_LABELS: dict[str, str] = {
    "qualified": "合格",
    "basic": "基本标准",
    "recommended": "推荐标准",
}
assert tuple(LEVEL_LABELS) == LEVELS

VALID = "valid"
REVOKED = "revoked"
SUPERSEDED = "superseded"
#: Certificate states; anything but ``valid`` prints a watermark.
STATUSES: tuple[str, ...] = (VALID, REVOKED, SUPERSEDED)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _text(value: str, name: str) -> None:
    _require(isinstance(value, str) and value.strip() != "", f"{name}: must be non-empty text")


@dataclass(frozen=True, slots=True)
class CertificateFields:
    """The signed content of a certificate: exactly what the verification code covers.

    ``version`` starts at 1 and grows with each re-issue after a correction; the
    code of every version differs, so a superseded copy cannot pass as the new one.
    """

    number: str
    institution_name: str
    institution_licence: str
    level: str
    cycle_year: int
    issuing_body: str
    issue_date: date
    valid_until: date
    version: int = 1

    def __post_init__(self) -> None:
        for name in ("number", "institution_name", "institution_licence", "issuing_body"):
            _text(getattr(self, name), name)
        _require(self.level in LEVELS, f"level: unknown level {self.level!r}")
        _require(
            isinstance(self.cycle_year, int) and 2000 <= self.cycle_year <= 2999,
            f"cycle_year: {self.cycle_year!r} is not a year",
        )
        for name in ("issue_date", "valid_until"):
            value = getattr(self, name)
            # datetime is a date subclass; a time of day would not be signed consistently.
            _require(type(value) is date, f"{name}: must be a datetime.date")
        _require(self.valid_until >= self.issue_date, "valid_until: before issue_date")
        _require(
            isinstance(self.version, int) and self.version >= 1, "version: must be an int >= 1"
        )

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


@dataclass(frozen=True, slots=True)
class CertificateData:
    """Everything printed on a certificate.

    ``verification_code`` is ``verification.certificate_code(fields, secret)``,
    computed by the caller so the renderer never holds the secret.
    ``verification_url`` is the exact QR payload: an ASCII ``http(s)://`` URL
    (percent-encode anything else; QR byte mode has no agreed charset).
    """

    fields: CertificateFields
    verification_code: str
    verification_url: str
    status: str = VALID

    def __post_init__(self) -> None:
        _text(self.verification_code, "verification_code")
        url = self.verification_url
        _require(
            isinstance(url, str) and url.startswith(("https://", "http://")),
            "verification_url: must start with https:// or http://",
        )
        _require(
            url.isascii() and url.isprintable() and " " not in url,
            "verification_url: must be printable ASCII without spaces",
        )
        _require(self.status in STATUSES, f"status: unknown status {self.status!r}")


@dataclass(frozen=True, slots=True)
class FactRow:
    """One line of the institution facts table, already formatted (``"床位数", "30"``)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class ChapterRow:
    """Basic-tier counts of one chapter; the report prints shares of ``applicable``.

    ``applicable`` excludes not-applicable items; the cumulative counts must be
    ``applicable >= c_or_better >= b_or_better >= a``.
    """

    code: str
    name: str
    applicable: int
    c_or_better: int
    b_or_better: int
    a: int
    not_applicable: int = 0

    def __post_init__(self) -> None:
        _text(self.code, "code")
        _require(
            self.applicable >= self.c_or_better >= self.b_or_better >= self.a >= 0
            and self.not_applicable >= 0,
            f"chapter {self.code}: counts must satisfy applicable >= C >= B >= A >= 0",
        )

    def share(self, count: int) -> float:
        """``count / applicable`` in [0, 1]; 0 when nothing is applicable."""
        return count / self.applicable if self.applicable else 0.0


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One item: the institution's self grade against the consolidated review grade."""

    code: str
    chapter: str
    title: str
    tier: str
    self_grade: str
    review_grade: str
    finding: str = ""

    def __post_init__(self) -> None:
        _text(self.code, "code")
        _require(self.tier in TIERS, f"item {self.code}: unknown tier {self.tier!r}")
        for name in ("self_grade", "review_grade"):
            grade = getattr(self, name)
            _require(grade in VALID_GRADES, f"item {self.code}: {name} {grade!r} unknown")


@dataclass(frozen=True, slots=True)
class GapRow:
    """One upgrade of the gap plan: raise ``item_code`` from one grade to a higher one."""

    item_code: str
    item_title: str
    from_grade: str
    to_grade: str

    def __post_init__(self) -> None:
        _require(
            self.from_grade in GRADE_ORDER
            and self.to_grade in GRADE_ORDER
            and GRADE_ORDER.index(self.to_grade) > GRADE_ORDER.index(self.from_grade),
            f"gap {self.item_code}: {self.from_grade!r} -> {self.to_grade!r} is no upgrade",
        )


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A rectification finding as the report prints it (labels already in Chinese)."""

    item_code: str
    source: str
    description: str
    status: str
    due_on: date | None = None
    owner: str = ""
    closed: bool = False


@dataclass(frozen=True, slots=True)
class GapSection:
    """The minimal plan to the next level. ``target`` None: the top level is reached."""

    target: str | None
    reachable: bool = True
    upgrades: tuple[GapRow, ...] = ()
    reason: str = ""

    def __post_init__(self) -> None:
        _require(
            self.target is None or self.target in LEVELS, f"gap: unknown level {self.target!r}"
        )


@dataclass(frozen=True, slots=True)
class ReportData:
    """An assessment report. ``level`` None means no level was reached.

    ``reasons`` are ready-to-print lines (why each higher level failed). Every item's
    ``chapter`` must be the ``code`` of a row in ``chapters``.
    """

    reference: str
    institution_name: str
    institution_licence: str
    institution_kind: str
    region: str
    cycle_year: int
    edition: str
    rule_set: str
    generated_on: date
    level: str | None
    reasons: tuple[str, ...] = ()
    facts: tuple[FactRow, ...] = ()
    chapters: tuple[ChapterRow, ...] = ()
    items: tuple[ItemRow, ...] = ()
    gap: GapSection = field(default_factory=lambda: GapSection(target=None))
    findings: tuple[FindingRow, ...] = ()

    def __post_init__(self) -> None:
        for name in ("reference", "institution_name", "edition"):
            _text(getattr(self, name), name)
        _require(self.level is None or self.level in LEVELS, f"level: unknown {self.level!r}")
        chapters = {row.code for row in self.chapters}
        _require(len(chapters) == len(self.chapters), "chapters: duplicate chapter codes")
        unknown = sorted({item.chapter for item in self.items} - chapters)
        _require(not unknown, f"items: unknown chapters {unknown}")
