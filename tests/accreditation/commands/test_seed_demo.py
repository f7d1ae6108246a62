import io
import re

import pytest
from django.core.management import CommandError, call_command

from accreditation.models import (
    Assessment,
    AssessmentSnapshot,
    AuditEvent,
    Cycle,
    Evidence,
    ExpertProfile,
    Finding,
    Institution,
    InstitutionFacts,
    ItemGrade,
    Region,
    User,
)
from tests.factories import make_edition, make_rule_sets


@pytest.fixture
def catalogue(db):
    for code, kind in (("THC-2022", "thc"), ("CHC-2022", "chc")):
        make_rule_sets(make_edition(code=code, kind=kind))


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (
        Region,
        Institution,
        InstitutionFacts,
        User,
        ExpertProfile,
        Cycle,
        Assessment,
        ItemGrade,
        AssessmentSnapshot,
        Evidence,
        Finding,
        AuditEvent,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_builds_the_demo_world(catalogue):
    output = seed()
    province = Region.objects.get(code="990000")
    assert province.name == "示范省"
    assert Region.objects.filter(level="city").count() == 2
    assert Region.objects.filter(level="county").count() == 4
    assert Institution.objects.count() == 20
    assert set(Institution.objects.values_list("kind", flat=True)) == {"thc", "central_thc", "chc"}
    assert set(User.objects.values_list("role", flat=True)) == {
        "administrator",
        "officer",
        "county_reviewer",
        "expert",
        "institution_staff",
    }
    cycle = Cycle.objects.get()
    assert (cycle.year, cycle.status, cycle.province) == (2026, "open", province)
    assert sorted(cycle.standards.values_list("edition__code", flat=True)) == [
        "CHC-2022",
        "THC-2022",
    ]
    assert cycle.deadlines.count() == 5
    states = sorted(Assessment.objects.values_list("status", flat=True))
    assert states == ["draft"] * 4 + ["returned"] + ["submitted"] * 6
    resubmitted = Assessment.objects.get(institution__licence_number="PDY99012101")
    assert resubmitted.snapshots.count() == 2
    findings = Finding.objects.order_by("assessment__institution__licence_number", "pk")
    assert [(f.assessment.institution.licence_number, f.source, f.status) for f in findings] == [
        ("PDY99010203", "county", "plan_submitted"),
        ("PDY99010203", "county", "open"),
        ("PDY99012101", "county", "open"),
        ("PDY99012101", "county", "plan_accepted"),
    ]
    assert all(f.assessment_return_id and f.item_code for f in findings)
    passwords = re.findall(r"^  (\S+)\s+(\S+)\s+\w+", output, flags=re.M)
    assert len(passwords) == User.objects.count() == 32
    user, password = passwords[0]
    assert User.objects.get(username=user).check_password(password)


def test_seed_demo_is_idempotent_and_prints_passwords_once(catalogue):
    seed()
    before = counts()
    output = seed()
    assert counts() == before
    assert "nothing created" in output
    assert "password" not in output.lower()


def test_seed_demo_without_the_catalogue_explains_what_is_missing(db):
    make_edition(code="THC-2022")
    with pytest.raises(CommandError, match="CHC-2022"):
        seed()
    assert not Region.objects.exists()
