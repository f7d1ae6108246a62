"""Data for benchmarks and sample documents, only for throwaway databases or rolled-back
transactions: recognitions created in bulk (the review steps are not replayed), and the
open checklist of the request benchmark (built through the services)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone

from accreditation.demo import seed_demo
from accreditation.models import (
    Assessment,
    AssessmentResult,
    AssessmentSnapshot,
    CertificateRecord,
    Consolidation,
    Cycle,
    Decision,
    Institution,
    PublicNotice,
    Recognition,
    Region,
    ReviewRound,
    User,
)
from standards.models import Edition
from standards.services.files import catalogue_file_import, catalogue_files

PROVINCE = "980000"

#: The request benchmark's world: its own province, so it never meets the demo's (990000)
#: or the bulk recognitions' (980000).
CHECKLIST_PROVINCE = "970000"
CHECKLIST_LICENCE = "PDY97010201"
CHECKLIST_STAFF = "bench_requests_staff"


def build_recognitions(
    count: int, *, province: str = "基准省", names: tuple[str, str] = ("基准市", "基准县")
) -> PublicNotice:
    """``count`` recognised institutions (at 基本标准) in a new province (division code
    980000) on one closed notice, each with an unrendered certificate record, created
    in bulk (the review steps are not replayed)."""
    city_name, county_name = names
    top = Region.objects.create(code=PROVINCE, name=province, level="province")
    city = Region.objects.create(code="980100", name=city_name, level="city", parent=top)
    county = Region.objects.create(code="980102", name=county_name, level="county", parent=city)
    province = top
    edition = Edition.objects.filter(kind="thc").first() or Edition.objects.create(
        code="BENCH-THC", kind="thc", year=2026, title="基准标准", status="published"
    )
    officer = User.objects.create(username=f"bench-{uuid.uuid4().hex[:8]}", role="officer")
    cycle = Cycle.objects.create(province=province, year=2026, name="2026 基准")
    institutions = Institution.objects.bulk_create(
        Institution(
            name=f"{county_name}第{n + 1}卫生院" if count > 1 else f"{county_name}中心卫生院",
            kind="thc",
            category_code="C",
            licence_number=f"BENCH{n:06d}",
            region=county,
        )
        for n in range(count)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(cycle=cycle, institution=i, edition=edition, target_level="basic")
        for i in institutions
    )
    snapshots = AssessmentSnapshot.objects.bulk_create(
        AssessmentSnapshot(assessment=a, sequence=1, data={}) for a in assessments
    )
    rounds = ReviewRound.objects.bulk_create(
        ReviewRound(assessment=a, stage="expert", number=1, snapshot=s, outcome="completed")
        for a, s in zip(assessments, snapshots, strict=True)
    )
    consolidations = Consolidation.objects.bulk_create(
        Consolidation(assessment=a, round=r, lead=officer, status="completed")
        for a, r in zip(assessments, rounds, strict=True)
    )
    empty: dict = {}
    results = AssessmentResult.objects.bulk_create(
        AssessmentResult(
            assessment=a,
            consolidation=c,
            computed_level="basic",
            rule_sets=empty,
            inputs=empty,
            evaluation=empty,
            gap_plan=empty,
            agreement_self_review=empty,
            agreement_experts=empty,
        )
        for a, c in zip(assessments, consolidations, strict=True)
    )
    batch_id = uuid.uuid4()
    decisions = Decision.objects.bulk_create(
        Decision(
            assessment=a,
            result=r,
            computed_level="basic",
            decided_level="basic",
            officer=officer,
            batch_id=batch_id,
        )
        for a, r in zip(assessments, results, strict=True)
    )
    today = timezone.localdate()
    notice = PublicNotice.objects.create(
        cycle=cycle,
        region=province,
        issuing_level="province",
        document_number="基准〔2026〕1号",
        starts_on=today,
        ends_on=today,
        days=7,
        status="closed",
        opened_by=officer,
    )
    recognitions = Recognition.objects.bulk_create(
        Recognition(
            institution=a.institution,
            cycle=cycle,
            assessment=a,
            decision=d,
            level="basic",
            issuing_region=province,
            issuing_body=f"{top.name}卫生健康委员会",
            notice=notice,
            notice_document_number=notice.document_number,
            recognised_on=today,
            valid_until=today.replace(year=today.year + 3),
        )
        for a, d in zip(assessments, decisions, strict=True)
    )
    CertificateRecord.objects.bulk_create(
        CertificateRecord(recognition=r, number=f"JC-98-2026-J-{n + 1:05d}")
        for n, r in enumerate(recognitions)
    )
    return notice


def load_catalogue() -> list[str]:
    """Import every edition and rule set of the catalogue folder (what ``manage.py
    load_catalogue`` does; idempotent), answering one summary line per file."""
    directory = settings.ACCREDITATION["CATALOGUE_DIR"]
    lines = []
    for file in catalogue_files(directory=directory):
        result = catalogue_file_import(actor=None, path=file.path, source=file.source)
        lines.append(f"{file.source}: {result.summary}")
    return lines


def checklist_world(today: dt.date) -> dict:
    """The demo-format description (``fixtures/demo/demo.yaml``) of the request
    benchmark: one township centre under THC-2022 (100 items) with a staff member and a
    county reviewer, a cycle for ``today``'s year with deadlines still ahead, and the
    assessment in progress (about 40 % of the applicable items graded)."""
    ahead = [today + dt.timedelta(days=30 * n) for n in range(1, 6)]
    stages = ["self_assessment", "county_review", "expert_review", "consolidation", "public_notice"]
    return {
        "format": "jiceng-demo/1",
        "province": {"code": CHECKLIST_PROVINCE, "name": "请求基准省"},
        "cities": [
            {
                "code": "970100",
                "name": "请求基准市",
                "counties": [{"code": "970102", "name": "请求基准县"}],
            }
        ],
        "institutions": [
            {
                "licence": CHECKLIST_LICENCE,
                "name": "请求基准县中心卫生院",
                "kind": "thc",
                "county": "970102",
                "facts": [40, 30000, 30, True],
                "staff": CHECKLIST_STAFF,
            }
        ],
        "facts_effective_from": dt.date(today.year - 1, 1, 1),
        "users": [
            {"username": "bench_requests_reviewer", "role": "county_reviewer", "region": "970102"}
        ],
        "cycle": {
            "year": today.year,
            "name": f"{today.year}年请求基准",
            "county_review_enabled": True,
            "basic_confirmed_by": "city",
            "notice_days": 7,
            "validity_years": 3,
            "editions": {"thc": "THC-2022"},
            "deadlines": dict(zip(stages, ahead, strict=True)),
        },
        "assessments": [
            {
                "licence": CHECKLIST_LICENCE,
                "target": "basic",
                "state": "in_progress",
                "profile": "average",
            }
        ],
    }


def build_checklist(today: dt.date | None = None) -> tuple[Assessment, User, bool]:
    """The request benchmark's open 100-item assessment and its staff member, seeded
    through the services (``accreditation.demo.seed_demo``) after loading the catalogue.
    Idempotent by natural keys: a later call finds the same assessment (still open,
    with whatever was saved since). The flag says whether anything was created."""
    today = today or timezone.localdate()
    load_catalogue()
    report = seed_demo(checklist_world(today))
    assessment = Assessment.objects.select_related("edition").get(
        institution__licence_number=CHECKLIST_LICENCE, cycle__year=today.year
    )
    return assessment, User.objects.get(username=CHECKLIST_STAFF), bool(report.created)
