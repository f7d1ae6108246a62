"""The self-assessment's steps: open, target level, item grades, facts, evidence,
submission."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accreditation.models import EvidenceAttachment, ItemGrade
from accreditation.services.assessments import (
    assessment_open,
    assessment_target_level_set,
    item_grade_save,
)
from accreditation.services.evidence import (
    evidence_attach,
    evidence_dates_set,
    evidence_detach,
    evidence_reuse,
    evidence_revise,
    evidence_upload,
)
from accreditation.services.institutions import institution_facts_record
from accreditation.services.submission import assessment_submit
from tests import files
from tests.accreditation.helpers import complete
from tests.factories import FactsFactory, InstitutionFactory, StaffFactory
from tests.faults.scenarios.base import Scenario, Step, reread


def open_(world, experts) -> Step:
    institution = InstitutionFactory(name="新开镇卫生院", region=world.county_a)
    FactsFactory(institution=institution)
    staff = StaffFactory(username="staff_new", institution=institution)
    return lambda: assessment_open(
        actor=staff, cycle=world.cycle, institution=institution, target_level="basic"
    )


def target_level(world, experts) -> Step:
    a = world.assessment_a
    return lambda: assessment_target_level_set(
        actor=world.staff_a,
        assessment=reread(a),
        target_level="recommended",
        expected_version=reread(a).version,
    )


def item_save(world, experts) -> Step:
    a = world.assessment_a

    def step():
        version = ItemGrade.objects.get(assessment=a, item_code="1.1.4").version
        return item_grade_save(
            actor=world.staff_a,
            assessment=reread(a),
            item_code="1.1.4",
            expected_version=version,
            grade="B",
            metric_value="12",
            note="床位 12 张",
        )

    return step


def facts(world, experts) -> Step:
    return lambda: institution_facts_record(
        actor=world.staff_a,
        institution=world.institution_a,
        effective_from=timezone.localdate(),
        medical_staff=8,
        service_population=9000,
        beds=0,
        inpatient_ward=False,
    )


def upload(world, experts) -> Step:
    return lambda: evidence_upload(
        actor=world.staff_a,
        assessment=reread(world.assessment_a),
        item_codes=["1.1.1", "2.1.1"],
        file=files.upload(files.PDF + b"fault", "制度.pdf"),
    )


def _uploaded(world) -> EvidenceAttachment:
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=files.upload(files.PDF + b"attach", "制度.pdf"),
    )
    return attachment


def attach(world, experts) -> Step:
    attachment = _uploaded(world)
    return lambda: evidence_attach(
        actor=world.staff_a,
        attachment=EvidenceAttachment.objects.get(pk=attachment.pk),
        item_codes=["1.1.3", "2.1.1"],
    )


def detach(world, experts) -> Step:
    attachment = _uploaded(world)
    return lambda: evidence_detach(
        actor=world.staff_a, attachment=EvidenceAttachment.objects.get(pk=attachment.pk)
    )


def revise(world, experts) -> Step:
    attachment = _uploaded(world)
    return lambda: evidence_revise(
        actor=world.staff_a,
        attachment=EvidenceAttachment.objects.get(pk=attachment.pk),
        file=files.upload(files.PNG, "新版.png"),
    )


def dates_set(world, experts) -> Step:
    attachment = _uploaded(world)
    return lambda: evidence_dates_set(
        actor=world.staff_a,
        attachment=EvidenceAttachment.objects.get(pk=attachment.pk),
        effective_on=timezone.localdate(),
        expires_on=timezone.localdate() + dt.timedelta(days=365),
    )


def reuse(world, experts) -> Step:
    attachment = _uploaded(world)
    return lambda: evidence_reuse(
        actor=world.staff_a,
        assessment=reread(world.assessment_a),
        item_codes=["1.1.3", "2.1.1"],
        source=EvidenceAttachment.objects.get(pk=attachment.pk),
    )


def submit(world, experts) -> Step:
    a = world.assessment_a
    complete(a, world.staff_a, grade="A")
    return lambda: assessment_submit(actor=world.staff_a, assessment=reread(a))


SELF_ASSESSMENT: tuple[Scenario, ...] = (
    Scenario("assessment_open", open_),
    Scenario("assessment_target_level_set", target_level),
    Scenario("item_grade_save", item_save),
    Scenario("institution_facts_record", facts),
    Scenario("evidence_upload", upload),
    Scenario("evidence_attach", attach),
    Scenario("evidence_detach", detach),
    Scenario("evidence_revise", revise),
    Scenario("evidence_dates_set", dates_set),
    Scenario("evidence_reuse", reuse),
    Scenario("assessment_submit", submit),
)
