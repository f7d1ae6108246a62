"""generate_synthetic: a small nation, its shape, its grades, reproducibility and the
refusal to run twice. The PostgreSQL run exercises COPY."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accreditation.models import (
    Assessment,
    AuditEvent,
    Cycle,
    CycleStandard,
    ExpertAssignment,
    ExpertProfile,
    Institution,
    InstitutionFacts,
    ItemGrade,
    Region,
    User,
)
from bench.synthetic.plan import draw_grades, nation_plan
from tests.factories import make_edition, make_rule_sets

ARGS = ("--provinces", "2", "--institutions", "40", "--seed", "7", "--year", "2026")
EDITIONS = ("--thc-edition", "THC-S", "--chc-edition", "CHC-S")


@pytest.fixture
def catalogue(db):
    editions = {kind: make_edition(kind=kind, code=f"{kind.upper()}-S") for kind in ("thc", "chc")}
    for edition in editions.values():
        make_rule_sets(edition)
    return editions


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_synthetic", *ARGS, *EDITIONS, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def nation(catalogue) -> str:
    return generate()


def test_plan_is_the_same_for_the_same_seed():
    assert nation_plan(provinces=2, institutions=40, seed=7) == nation_plan(
        provinces=2, institutions=40, seed=7
    )
    assert nation_plan(provinces=2, institutions=40, seed=7) != nation_plan(
        provinces=2, institutions=40, seed=8
    )


def test_plan_codes_are_fictional_and_nested():
    plan = nation_plan(provinces=2, institutions=40, seed=7)
    assert [r.code for r in plan.regions] == [
        "910000",
        "910100",
        "910101",
        "910102",
        "911000",
        "911100",
        "911101",
        "911102",
    ]
    assert [(r.level, r.parent_code) for r in plan.regions[:3]] == [
        ("province", None),
        ("city", "910000"),
        ("county", "910100"),
    ]


def test_plan_shares_of_kinds_sizes_and_statuses_at_scale():
    plan = nation_plan(provinces=3, institutions=3000, seed=1)
    assert Counter(i.kind for i in plan.institutions) == {
        "thc": 1893,
        "central_thc": 414,
        "chc": 693,
    }
    assert sum(i.small for i in plan.institutions) == 249
    assert Counter(r.level for r in plan.regions) == {"province": 3, "city": 20, "county": 188}
    assert Counter(i.status for i in plan.institutions)["draft"] == 665
    assert {i.target for i in plan.institutions if i.target == "qualified" and not i.small} == set()


def test_drawn_grades_are_mostly_c_and_b():
    plan = nation_plan(provinces=3, institutions=3000, seed=1)
    submitted = [i for i in plan.institutions if i.status != "draft"][:500]
    grades = Counter(g for i in submitted for g in draw_grades(i, 1, 100))
    assert grades == {"C": 15209, "B": 16704, "A": 12431, "none": 3538, "NA": 2118}
    assert draw_grades(submitted[0], 1, 100) == draw_grades(submitted[0], 1, 100)


def test_generate_writes_the_planned_nation(nation):
    assert Region.objects.filter(code__startswith="91").count() == 8
    assert Institution.objects.count() == 40
    assert InstitutionFacts.objects.count() == 40
    assert Cycle.objects.count() == 2
    assert CycleStandard.objects.count() == 4
    assert Assessment.objects.count() == 40
    assert ItemGrade.objects.count() == 40 * 6
    assert dict(Counter(User.objects.values_list("role", flat=True))) == {
        "institution_staff": 40,
        "county_reviewer": 4,
        "officer": 5,
        "expert": 10,
        "administrator": 1,
    }
    assert ExpertProfile.objects.count() == 10
    assert "Generated 40 institutions, 40 assessments and 240 item grades" in nation


def test_generated_regions_have_paths_and_institutions_sit_in_counties(nation):
    county = Region.objects.get(code="910101")
    assert county.path == "910000/910100/910101/"
    assert set(Institution.objects.values_list("region__level", flat=True)) == {"county"}
    assert set(Institution.objects.values_list("licence_number", flat=True)) >= {"SYN9101010001"}


def test_generated_assessments_match_the_plan(nation):
    plan = nation_plan(provinces=2, institutions=40, seed=7)
    rows = dict(Assessment.objects.values_list("institution__licence_number", "status"))
    assert rows == {i.licence: i.status for i in plan.institutions}
    for assessment in Assessment.objects.select_related("institution", "edition"):
        assert assessment.edition.kind == assessment.institution.standard_kind
        assert (assessment.submitted_at is None) == (assessment.status == "draft")


def test_generated_grades_follow_status_and_applicability(nation):
    submitted = ItemGrade.objects.exclude(assessment__status="draft")
    assert not submitted.filter(grade="").exists()
    assert set(ItemGrade.objects.filter(grade="NA").values_list("na_reason", flat=True)) == {
        "本机构未开展该项服务（合成数据）"
    }
    assert not ItemGrade.objects.exclude(grade="NA").exclude(na_reason="").exists()
    no_beds = ItemGrade.objects.filter(
        item_code="1.1.3", assessment__institution__facts_snapshots__beds=0
    ).exclude(grade="")
    assert set(no_beds.values_list("grade", flat=True)) <= {"NA"}
    graded = ItemGrade.objects.exclude(grade="")
    assert set(graded.values_list("version", flat=True)) == {2}
    assert not graded.filter(updated_by=None).exists()


def test_generated_rows_are_in_catalogue_order(nation):
    first = Assessment.objects.order_by("id").first()
    codes = list(
        ItemGrade.objects.filter(assessment=first)
        .order_by("id")
        .values_list("item_code", flat=True)
    )
    assert codes == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "2.1.1", "2.1.2"]


def test_targets_are_levels_the_cycle_awards_and_qualified_only_for_small_units(nation):
    for assessment in Assessment.objects.select_related("institution"):
        facts = assessment.institution.facts_snapshots.get()
        if assessment.target_level == "qualified":
            assert facts.medical_staff < 10 and facts.service_population < 10_000
    assert set(Assessment.objects.values_list("target_level", flat=True)) <= {
        "qualified",
        "basic",
        "recommended",
    }


def test_panels_are_assigned_from_the_province_from_expert_review_on(nation):
    panel = ExpertAssignment.objects.select_related("assessment__cycle", "expert__expert_profile")
    assert (
        panel.count()
        == 3
        * Assessment.objects.filter(
            status__in=[
                "expert_review",
                "consolidation",
                "decided",
                "public_notice",
                "recognised",
                "not_recognised",
            ]
        ).count()
    )
    for assignment in panel:
        assert (
            assignment.expert.expert_profile.home_region_id
            == assignment.assessment.cycle.province_id
        )


def test_generation_is_audited_per_cycle_and_the_chain_holds(nation):
    assert AuditEvent.objects.filter(action="synthetic.generate").count() == 2
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith("Audit chain intact:")


def test_generate_refuses_to_run_twice(nation):
    with pytest.raises(CommandError) as excinfo:
        generate()
    assert str(excinfo.value) == (
        "Synthetic data is already present (province 910000 exists). A data set is "
        "generated once; use a fresh database."
    )
    assert Institution.objects.count() == 40


def test_generate_refuses_editions_of_the_wrong_kind(catalogue):
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "generate_synthetic",
            *ARGS,
            "--thc-edition",
            "CHC-S",
            "--chc-edition",
            "CHC-S",
            stdout=io.StringIO(),
        )
    assert str(excinfo.value) == (
        "Published editions missing: CHC-S (thc). Import them first "
        "(manage.py load_catalogue or import_standard)."
    )
    assert not Region.objects.exists()


def test_generate_refuses_impossible_sizes(catalogue):
    with pytest.raises(CommandError) as excinfo:
        call_command("generate_synthetic", "--provinces", "81", stdout=io.StringIO())
    assert str(excinfo.value) == "--provinces must be between 1 and 80."
