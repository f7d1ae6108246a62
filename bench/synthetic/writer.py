"""Write a synthetic nation (``plan.nation_plan``) to the database in bulk.

Mass rows (regions, institutions, facts, users, assessments, item grades, panels) are
bulk inserts, bypassing the services on purpose: they would cost a transaction and an
audit row each. Item grades, the bulk of the data, go through ``COPY`` on PostgreSQL
and ``executemany`` elsewhere. Cycles and their standards go through the services (a
few per province), and each cycle gets one ``synthetic.generate`` audit row saying
what was generated, so the audit chain stays whole.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accreditation.core.audit import audit_record
from accreditation.models import (
    Assessment,
    Cycle,
    ExpertAssignment,
    ExpertProfile,
    Institution,
    InstitutionFacts,
    ItemGrade,
    Region,
    Stage,
    User,
)
from accreditation.models.institutions import CATEGORY_CODE, STANDARD_KIND
from accreditation.services.cycles import cycle_create, cycle_deadline_set, cycle_standard_set
from bench.synthetic.plan import (
    NA_REASON,
    PANEL_STATUSES,
    SUBMITTED_STATUSES,
    InstitutionPlan,
    NationPlan,
    draw_grades,
    province_codes,
)
from standards.models import Edition, Item
from standards.scoring import Condition, Facts
from standards.selectors import rule_sets_in_force

BATCH = 5000
EXPERTS_PER_PROVINCE_MIN = 5
INSTITUTIONS_PER_EXPERT = 50


class AlreadyGenerated(Exception):
    """The synthetic provinces exist already; a data set is generated once."""


@dataclass
class SyntheticReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Item:
    pk: int
    code: str
    metric_code: str
    applicability: Condition | None


class _Steps:
    def __init__(self, report: SyntheticReport, progress: Callable[[str], None] | None):
        self.report, self.progress = report, progress

    def run(self, name: str, step: Callable[[], int]):
        start = time.perf_counter()
        count = step()
        self.report.counts[name] = count
        self.report.seconds[name] = time.perf_counter() - start
        if self.progress:
            self.progress(f"{name}: {count:,} in {self.report.seconds[name]:.1f} s")


def refuse_if_present(provinces: int) -> None:
    present = (
        Region.objects.filter(code__in=province_codes(provinces))
        .values_list("code", flat=True)
        .first()
    )
    if present:
        raise AlreadyGenerated(
            f"Synthetic data is already present (province {present} exists). A data set "
            "is generated once; use a fresh database."
        )


def synthetic_generate(
    *,
    plan: NationPlan,
    editions: dict[str, Edition],
    year: int,
    password: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> SyntheticReport:
    """Write ``plan`` with an open ``year`` cycle per province applying ``editions``
    (standard kind -> published edition, with its rule sets in force). One transaction:
    all or nothing. Raises ``AlreadyGenerated`` when the plan's provinces exist."""
    refuse_if_present(len(plan.provinces))
    report = SyntheticReport()
    steps = _Steps(report, progress)
    state = _State(plan=plan, editions=editions, year=year, now=timezone.now())
    with transaction.atomic():
        steps.run("regions", state.write_regions)
        steps.run("institutions", state.write_institutions)
        steps.run("facts", state.write_facts)
        steps.run("users", lambda: state.write_users(password))
        steps.run("cycles", state.write_cycles)
        steps.run("assessments", state.write_assessments)
        steps.run("item grades", state.write_grades)
        steps.run("expert assignments", state.write_panels)
        steps.run("audit rows", state.write_audit)
    return report


@dataclass
class _State:
    plan: NationPlan
    editions: dict[str, Edition]
    year: int
    now: dt.datetime
    regions: dict[str, Region] = field(default_factory=dict)
    institution_ids: list[int] = field(default_factory=list)
    staff_ids: list[int] = field(default_factory=list)
    experts: dict[str, list[int]] = field(default_factory=dict)
    cycles: dict[str, Cycle] = field(default_factory=dict)
    levels: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    assessment_ids: list[int] = field(default_factory=list)
    submitted_at: list[dt.datetime | None] = field(default_factory=list)

    # Regions, institutions, facts, people -----------------------------------------

    def write_regions(self) -> int:
        for level in ("province", "city", "county"):
            rows = []
            for plan in self.plan.regions:
                if plan.level != level:
                    continue
                parent = self.regions[plan.parent_code] if plan.parent_code else None
                rows.append(
                    Region(
                        code=plan.code,
                        name=plan.name,
                        level=level,
                        parent=parent,
                        path=(parent.path if parent else "") + f"{plan.code}/",
                    )
                )
            for region in Region.objects.bulk_create(rows, batch_size=BATCH):
                self.regions[region.code] = region
        return len(self.regions)

    def write_institutions(self) -> int:
        rows = [
            Institution(
                name=plan.name,
                kind=plan.kind,
                licence_number=plan.licence,
                category_code=CATEGORY_CODE[plan.kind],
                region=self.regions[plan.county_code],
                address=f"{self.regions[plan.county_code].name}{plan.name[-6:]}路1号",
            )
            for plan in self.plan.institutions
        ]
        created = Institution.objects.bulk_create(rows, batch_size=BATCH)
        self.institution_ids = [institution.pk for institution in created]
        return len(created)

    def write_facts(self) -> int:
        effective = dt.date(self.year, 1, 1)
        rows = [
            InstitutionFacts(
                institution_id=pk,
                effective_from=effective,
                medical_staff=plan.medical_staff,
                service_population=plan.service_population,
                beds=plan.beds,
                inpatient_ward=plan.beds > 0,
            )
            for pk, plan in zip(self.institution_ids, self.plan.institutions, strict=True)
        ]
        return len(InstitutionFacts.objects.bulk_create(rows, batch_size=BATCH))

    def write_users(self, password: str | None) -> int:
        hashed = make_password(password) if password else None

        def user(username: str, role: str, **scope) -> User:
            return User(
                username=username,
                password=hashed or make_password(None),
                role=role,
                **scope,
            )

        Role = User.Role
        staff = [
            user(f"syn-{plan.licence.lower()}", Role.INSTITUTION_STAFF, institution_id=pk)
            for pk, plan in zip(self.institution_ids, self.plan.institutions, strict=True)
        ]
        others = [user("syn-admin", Role.ADMINISTRATOR), user("syn-officer-national", Role.OFFICER)]
        expert_rows: dict[str, list[User]] = {}
        per_province: dict[str, int] = {}
        for plan in self.plan.institutions:
            per_province[plan.province_code] = per_province.get(plan.province_code, 0) + 1
        for region in self.regions.values():
            if region.level == Region.Level.COUNTY:
                others.append(
                    user(f"syn-reviewer-{region.code}", Role.COUNTY_REVIEWER, region=region)
                )
            else:
                others.append(user(f"syn-officer-{region.code}", Role.OFFICER, region=region))
            if region.level == Region.Level.PROVINCE:
                count = max(
                    EXPERTS_PER_PROVINCE_MIN, per_province[region.code] // INSTITUTIONS_PER_EXPERT
                )
                expert_rows[region.code] = [
                    user(f"syn-expert-{region.code}-{n:03d}", Role.EXPERT)
                    for n in range(1, count + 1)
                ]
        experts = [u for rows in expert_rows.values() for u in rows]
        created = User.objects.bulk_create([*staff, *others, *experts], batch_size=BATCH)
        self.staff_ids = [u.pk for u in created[: len(staff)]]
        ExpertProfile.objects.bulk_create(
            [
                ExpertProfile(user=u, home_region=self.regions[code], specialty="全科医学")
                for code, rows in expert_rows.items()
                for u in rows
            ],
            batch_size=BATCH,
        )
        self.experts = {code: [u.pk for u in rows] for code, rows in expert_rows.items()}
        return len(created)

    # Cycles (through the services), assessments, grades, panels -------------------

    def write_cycles(self) -> int:
        for plan in self.plan.provinces:
            province = self.regions[plan.code]
            cycle = cycle_create(
                actor=None,
                province=province,
                year=self.year,
                name=f"{province.name}{self.year}年优质服务基层行",
            )
            for kind, edition in self.editions.items():
                rule_sets = rule_sets_in_force(edition=edition, province_code=province.code)
                cycle_standard_set(actor=None, cycle=cycle, edition=edition, rule_sets=rule_sets)
                self.levels[(plan.code, kind)] = frozenset(rule_sets)
            cycle_deadline_set(
                actor=None,
                cycle=cycle,
                stage=Stage.SELF_ASSESSMENT,
                due_on=dt.date(self.year, 9, 30),
            )
            self.cycles[plan.code] = cycle
        return len(self.cycles)

    def _target(self, plan: InstitutionPlan) -> str:
        levels = self.levels[(plan.province_code, STANDARD_KIND[plan.kind])]
        if plan.target in levels:
            return plan.target
        return "basic" if "basic" in levels else min(levels)

    def write_assessments(self) -> int:
        rows = []
        self.submitted_at = []
        for n, (pk, staff, plan) in enumerate(
            zip(self.institution_ids, self.staff_ids, self.plan.institutions, strict=True)
        ):
            kind = STANDARD_KIND[plan.kind]
            submitted = (
                self.now - dt.timedelta(days=1 + n % 60, minutes=n % 1440)
                if plan.status in SUBMITTED_STATUSES
                else None
            )
            self.submitted_at.append(submitted)
            rows.append(
                Assessment(
                    cycle=self.cycles[plan.province_code],
                    institution_id=pk,
                    edition=self.editions[kind],
                    target_level=self._target(plan),
                    status=plan.status,
                    version=1 if plan.status == "draft" else 2,
                    opened_by_id=staff,
                    submitted_at=submitted,
                )
            )
        created = Assessment.objects.bulk_create(rows, batch_size=BATCH)
        self.assessment_ids = [a.pk for a in created]
        return len(created)

    def _items(self) -> dict[str, list[_Item]]:
        return {
            kind: [
                _Item(pk, code, metric, Condition.from_mapping(cond) if cond else None)
                for pk, code, metric, cond in Item.objects.filter(edition=edition)
                .order_by("position")
                .values_list("pk", "code", "metric_code", "applicability")
            ]
            for kind, edition in self.editions.items()
        }

    def _grade_rows(self, items: dict[str, list[_Item]]) -> Iterator[tuple]:
        seed = self.plan.seed
        for n, plan in enumerate(self.plan.institutions):
            assessment_id = self.assessment_ids[n]
            staff = self.staff_ids[n]
            when = self.submitted_at[n] or self.now
            kind_items = items[STANDARD_KIND[plan.kind]]
            facts = Facts(
                medical_staff=plan.medical_staff,
                service_population=plan.service_population,
                beds=plan.beds,
                inpatient_ward=plan.beds > 0,
            )
            grades = draw_grades(plan, seed, len(kind_items))
            for item, grade in zip(kind_items, grades, strict=True):
                if grade and item.applicability and item.applicability.evaluate(facts) is False:
                    grade = "NA"
                metric = None
                if grade and grade != "NA" and item.metric_code:
                    metric = Decimal(plan.beds if item.metric_code == "beds" else 20 + n % 70)
                yield (
                    assessment_id,
                    item.pk,
                    item.code,
                    grade,
                    NA_REASON if grade == "NA" else "",
                    metric,
                    "",
                    2 if grade else 1,
                    staff if grade else None,
                    when if grade else None,
                )

    def write_grades(self) -> int:
        columns = (
            "assessment_id",
            "item_id",
            "item_code",
            "grade",
            "na_reason",
            "metric_value",
            "note",
            "version",
            "updated_by_id",
            "updated_at",
        )
        # Read the items first: no other query may run on the connection during COPY.
        rows = self._grade_rows(self._items())
        return insert_rows(ItemGrade._meta.db_table, columns, rows)

    def write_panels(self) -> int:
        rows = []
        for n, plan in enumerate(self.plan.institutions):
            if plan.status not in PANEL_STATUSES:
                continue
            pool = self.experts[plan.province_code]
            for k in range(min(3, len(pool))):
                rows.append(
                    ExpertAssignment(
                        assessment_id=self.assessment_ids[n],
                        expert_id=pool[(n + k) % len(pool)],
                        role=ExpertAssignment.Role.LEAD if k == 0 else ExpertAssignment.Role.MEMBER,
                    )
                )
        return len(ExpertAssignment.objects.bulk_create(rows, batch_size=BATCH))

    def write_audit(self) -> int:
        per_province: dict[str, int] = {}
        for plan in self.plan.institutions:
            per_province[plan.province_code] = per_province.get(plan.province_code, 0) + 1
        for code, cycle in self.cycles.items():
            audit_record(
                actor=None,
                action="synthetic.generate",
                target=cycle,
                after={"seed": self.plan.seed, "institutions": per_province[code]},
                note="Synthetic data (generate_synthetic): bulk inserts, not audited row by row.",
            )
        return len(self.cycles)


def insert_rows(table: str, columns: Iterable[str], rows: Iterable[tuple]) -> int:
    """Insert many rows: ``COPY`` on PostgreSQL, batched ``executemany`` elsewhere.
    ``rows`` must not query the database while it is consumed."""
    columns = tuple(columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        ops = connection.ops
        batch: list[tuple] = []
        for row in rows:
            batch.append(
                tuple(
                    ops.adapt_datetimefield_value(v)
                    if isinstance(v, dt.datetime)
                    else (str(v) if isinstance(v, Decimal) else v)
                    for v in row
                )
            )
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
