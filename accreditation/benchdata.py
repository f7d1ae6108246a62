"""Recognitions created in bulk for benchmarks and sample documents (the review steps
are not replayed). Only for throwaway databases or rolled-back transactions."""

from __future__ import annotations

import uuid

from django.utils import timezone

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

PROVINCE = "980000"


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
