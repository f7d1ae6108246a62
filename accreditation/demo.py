"""The demo world behind ``manage.py seed_demo``, built through the services.

Idempotent by natural keys: regions by division code, institutions by licence number,
users by username, the cycle by province and year, assessments by cycle and
institution (with their findings). Existing objects are left as they are; only missing
ones are created, and only newly created users get a (generated) password, reported
once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accreditation.models import (
    Assessment,
    AssessmentReturn,
    Cycle,
    CycleDeadline,
    CycleStandard,
    Finding,
    Institution,
    InstitutionFacts,
    ItemGrade,
    Region,
    User,
)
from accreditation.selectors.scoring import assessment_scoring_inputs
from accreditation.services.assessments import assessment_open, assessment_return, item_grade_save
from accreditation.services.cycles import cycle_create, cycle_deadline_set, cycle_standard_set
from accreditation.services.evidence import evidence_upload
from accreditation.services.findings import finding_raise, plan_accept, plan_submit
from accreditation.services.institutions import institution_create, institution_facts_record
from accreditation.services.people import expert_profile_set, user_create
from accreditation.services.regions import region_create
from accreditation.services.submission import assessment_submit
from standards.models import Edition
from standards.scoring import auto_not_applicable
from standards.selectors import rule_sets_in_force

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "demo.yaml"

#: Per profile, out of 100: below the first number an item is A, then B, then C; the
#: rest are graded "none" (not met).
PROFILES: dict[str, tuple[int, int, int]] = {
    "strong": (55, 95, 100),
    "average": (22, 72, 97),
    "small": (8, 35, 92),
    "weak": (5, 40, 80),
}


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    passwords: list[tuple[str, str, str, str]] = field(default_factory=list)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def load_demo(path: Path = DEMO_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if data.get("format") != "jiceng-demo/1":
        raise ValueError(f"{path}: expected format jiceng-demo/1")
    return data


def demo_grade(licence: str, item_code: str, profile: str) -> str:
    """A stable pseudo-random grade for one institution and item."""
    roll = int(hashlib.sha256(f"{licence}:{item_code}".encode()).hexdigest()[:8], 16) % 100
    a, b, c = PROFILES[profile]
    return "A" if roll < a else "B" if roll < b else "C" if roll < c else "none"


def _region(report: SeedReport, code: str, name: str, level: str, parent: Region | None):
    region = Region.objects.filter(code=code).first()
    if region is None:
        region = region_create(actor=None, code=code, name=name, level=level, parent=parent)
        report.count("regions")
    return region


def _seed_regions(data: dict, report: SeedReport) -> dict[str, Region]:
    province = data["province"]
    regions = {
        province["code"]: _region(report, province["code"], province["name"], "province", None)
    }
    for city in data["cities"]:
        parent = _region(report, city["code"], city["name"], "city", regions[province["code"]])
        regions[city["code"]] = parent
        for county in city["counties"]:
            regions[county["code"]] = _region(
                report, county["code"], county["name"], "county", parent
            )
    return regions


def _seed_institutions(
    data: dict, regions: dict[str, Region], report: SeedReport
) -> dict[str, Institution]:
    institutions = {}
    for spec in data["institutions"]:
        institution = Institution.objects.filter(licence_number=spec["licence"]).first()
        if institution is None:
            institution = institution_create(
                actor=None,
                name=spec["name"],
                kind=spec["kind"],
                licence_number=spec["licence"],
                region=regions[spec["county"]],
                contact_name="办公室",
                contact_phone=f"0999-{spec['licence'][-6:]}",
            )
            report.count("institutions")
        institutions[spec["licence"]] = institution
        effective_from = data["facts_effective_from"]
        if not InstitutionFacts.objects.filter(
            institution=institution, effective_from=effective_from
        ).exists():
            staff, population, beds, ward = spec["facts"]
            institution_facts_record(
                actor=None,
                institution=institution,
                effective_from=effective_from,
                medical_staff=staff,
                service_population=population,
                beds=beds,
                inpatient_ward=ward,
            )
            report.count("facts")
    return institutions


def _user(report: SeedReport, username: str, role: str, scope: str, **kwargs) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        password = secrets.token_urlsafe(12)
        user = user_create(actor=None, username=username, password=password, role=role, **kwargs)
        report.count("users")
        report.passwords.append((username, role, scope, password))
    return user


def _seed_users(
    data: dict, regions: dict[str, Region], institutions: dict[str, Institution], report
) -> dict[str, User]:
    users = {}
    for spec in data["users"]:
        region = regions[spec["region"]] if spec.get("region") else None
        scope = region.name if region else ("全国" if spec["role"] == "officer" else "")
        created_before = User.objects.filter(username=spec["username"]).exists()
        user = _user(
            report,
            spec["username"],
            spec["role"],
            scope,
            region=region,
            full_name=spec.get("name", ""),
        )
        if spec["role"] == "expert" and not created_before:
            expert_profile_set(
                actor=None,
                expert=user,
                home_region=regions[spec["home_region"]],
                employer=institutions.get(spec.get("employer", "")),
                specialty=spec.get("specialty", ""),
                declared_conflicts=[institutions[lic] for lic in spec.get("conflicts", [])],
            )
        users[spec["username"]] = user
    for spec in data["institutions"]:
        institution = institutions[spec["licence"]]
        users[spec["staff"]] = _user(
            report,
            spec["staff"],
            "institution_staff",
            institution.name,
            institution=institution,
            full_name=f"{institution.name}自评员",
        )
    return users


def _seed_cycle(data: dict, province: Region, report: SeedReport) -> Cycle:
    spec = data["cycle"]
    cycle = Cycle.objects.filter(province=province, year=spec["year"]).first()
    if cycle is None:
        cycle = cycle_create(
            actor=None,
            province=province,
            year=spec["year"],
            name=spec["name"],
            county_review_enabled=spec["county_review_enabled"],
            basic_confirmed_by=spec["basic_confirmed_by"],
            notice_days=spec["notice_days"],
            validity_years=spec["validity_years"],
        )
        report.count("cycles")
    for kind, code in spec["editions"].items():
        if CycleStandard.objects.filter(cycle=cycle, kind=kind).exists():
            continue
        edition = Edition.objects.get(code=code)
        cycle_standard_set(
            actor=None,
            cycle=cycle,
            edition=edition,
            rule_sets=rule_sets_in_force(edition=edition, province_code=province.code),
        )
    for stage, due_on in spec["deadlines"].items():
        if not CycleDeadline.objects.filter(cycle=cycle, stage=stage).exists():
            cycle_deadline_set(actor=None, cycle=cycle, stage=stage, due_on=due_on)
    return cycle


def _evidence_pdf(institution: Institution) -> bytes:
    text = f"Demo evidence {institution.licence_number}"
    return (
        b"%PDF-1.4\n% demo evidence, not a real document\n"
        + f"% {text}\n".encode()
        + b"1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _grade(assessment: Assessment, staff: User, licence: str, profile: str, share: float) -> None:
    inputs = assessment_scoring_inputs(assessment=assessment)
    auto = set(auto_not_applicable(inputs.edition, inputs.facts))
    rows = list(
        ItemGrade.objects.filter(assessment=assessment)
        .exclude(item_code__in=auto)
        .order_by("item__position")
        .values_list("item_code", "version")
    )
    for code, version in rows[: round(len(rows) * share)]:
        item_grade_save(
            actor=staff,
            assessment=assessment,
            item_code=code,
            expected_version=version,
            grade=demo_grade(licence, code, profile),
            note="演示数据",
        )


#: The demo's findings go as far as the state named in the demo file.
FINDING_STATES = ("open", "plan_submitted", "plan_accepted")


def _seed_findings(
    assessment: Assessment, states: list[str], staff: User, reviewer: User, report: SeedReport
) -> None:
    """The county reviewer turns the comments of the return into findings, one per
    commented item in order, and each is taken to its state in ``states``: ``open``
    (the institution owes a plan), ``plan_submitted`` (the reviewer owes a decision)
    or ``plan_accepted`` (the institution owes evidence of effect)."""
    back = AssessmentReturn.objects.filter(assessment=assessment).order_by("pk").first()
    if back is None:
        raise ValueError(f"{assessment}: findings in the demo file need a returned assessment")
    today = timezone.localdate()
    for (code, comment), state in zip(back.item_comments.items(), states, strict=False):
        if state not in FINDING_STATES:
            raise ValueError(f"finding state {state!r}: expected one of {FINDING_STATES}")
        finding = finding_raise(
            actor=reviewer,
            assessment=assessment,
            source=Finding.Source.COUNTY,
            item_code=code,
            description=f"县级审核退回意见：{comment}",
            required_grade="C",
            assessment_return=back,
        )
        report.count("findings")
        if state == "open":
            continue
        plan_submit(
            actor=staff,
            finding=finding,
            root_cause="制度文件未及时归档，工作记录由各科室分散保存。",
            actions="由院办牵头整理制度文件，建立按月归档的工作记录台账，并组织一次自查。",
            owner="院办主任（演示）",
            due_on=today + dt.timedelta(days=45),
        )
        if state == "plan_accepted":
            plan_accept(
                actor=reviewer, finding=finding, comment="计划可行，请按期提交整改成效材料。"
            )


def _seed_assessment(spec, cycle, institution, staff, reviewer, report) -> Assessment:
    state, profile = spec["state"], spec["profile"]
    assessment = assessment_open(
        actor=staff, cycle=cycle, institution=institution, target_level=spec["target"]
    )
    if state == "opened":
        return assessment
    _grade(assessment, staff, spec["licence"], profile, 0.4 if state == "in_progress" else 1.0)
    if state == "in_progress":
        return assessment
    required = list(
        ItemGrade.objects.filter(assessment=assessment, item__evidence_required=True)
        .order_by("item__position")
        .values_list("item_code", flat=True)
    )
    evidence_upload(
        actor=staff,
        assessment=assessment,
        item_codes=required,
        file=ContentFile(_evidence_pdf(institution), name="自评佐证材料.pdf"),
    )
    assessment_submit(actor=staff, assessment=assessment)
    if state in ("returned", "resubmitted"):
        assessment_return(
            actor=reviewer,
            assessment=assessment,
            reason="部分佐证材料不完整，请补充后重新提交。",
            item_comments={code: "请补充相关制度文件和工作记录。" for code in required[:2]},
        )
    if state == "resubmitted":
        code = required[0]
        version = ItemGrade.objects.get(assessment=assessment, item_code=code).version
        item_grade_save(
            actor=staff,
            assessment=assessment,
            item_code=code,
            expected_version=version,
            grade="A",
            note="已补充材料",
        )
        assessment_submit(actor=staff, assessment=assessment)
    if spec.get("findings"):
        _seed_findings(assessment, spec["findings"], staff, reviewer, report)
    return assessment


def seed_demo(data: dict[str, Any]) -> SeedReport:
    """Create whatever of the demo world is missing, in one transaction."""
    report = SeedReport()
    with transaction.atomic():
        regions = _seed_regions(data, report)
        institutions = _seed_institutions(data, regions, report)
        users = _seed_users(data, regions, institutions, report)
        cycle = _seed_cycle(data, regions[data["province"]["code"]], report)
        staff_of = {spec["licence"]: users[spec["staff"]] for spec in data["institutions"]}
        reviewer_of = {
            u.region_id: u for u in users.values() if u.role == User.Role.COUNTY_REVIEWER
        }
        for spec in data["assessments"]:
            institution = institutions[spec["licence"]]
            if Assessment.objects.filter(cycle=cycle, institution=institution).exists():
                continue
            _seed_assessment(
                spec,
                cycle,
                institution,
                staff_of[spec["licence"]],
                reviewer_of[institution.region_id],
                report,
            )
            report.count("assessments")
    return report


def demo_editions(data: dict[str, Any]) -> set[str]:
    return set(data["cycle"]["editions"].values())
