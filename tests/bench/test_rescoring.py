"""scoring_inputs_stream: the inputs of many assessments in a constant number of
queries, equal to what the one-assessment selectors give; the raw grade counts; and
bench_rescore's report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accreditation.models import Assessment, CycleStandard, ItemGrade
from accreditation.selectors import assessment_provisional_result
from accreditation.services.assessments import assessment_open
from bench.rescoring import parallel as rescoring_parallel
from bench.rescoring.inputs import (
    SLOTS,
    grade_counts_by_assessment,
    scoring_inputs_stream,
    unpack_grades,
)
from standards.scoring import Facts, evaluate
from tests.accreditation.helpers import grade_all
from tests.factories import FactsFactory, InstitutionFactory, StaffFactory

GRADES_A = {"1.1.1": "A", "1.1.2": "B", "1.1.3": "NA", "2.1.1": "none", "2.1.2": "C"}


@pytest.fixture
def graded(world):
    grade_all(world.assessment_a, world.staff_a, GRADES_A)
    grade_all(world.assessment_b, world.staff_b, {"1.1.1": "C"})
    return world


def more_assessments(world, count: int) -> None:
    for _ in range(count):
        institution = InstitutionFactory(region=world.county_a)
        FactsFactory(institution=institution, beds=0, inpatient_ward=False)
        staff = StaffFactory(institution=institution)
        assessment = assessment_open(
            actor=staff, cycle=world.cycle, institution=institution, target_level="basic"
        )
        grade_all(assessment, staff, {"1.1.1": "B", "2.1.2": "A"})


def test_stream_gives_each_assessment_in_id_order_with_its_grades(graded):
    inputs = list(scoring_inputs_stream(cycle=graded.cycle))
    assert [i.assessment_id for i in inputs] == [graded.assessment_a.pk, graded.assessment_b.pk]
    first = inputs[0]
    assert first.grades == {**GRADES_A, "1.1.4": None}
    assert inputs[1].grades == {
        "1.1.1": "C",
        "1.1.2": None,
        "1.1.3": None,
        "1.1.4": None,
        "2.1.1": None,
        "2.1.2": None,
    }
    assert (first.institution_id, first.cycle_id, first.status, first.target_level) == (
        graded.institution_a.pk,
        graded.cycle.pk,
        "draft",
        "basic",
    )
    assert first.edition.code == "THC-T"
    assert sorted(first.rules) == ["basic", "qualified", "recommended"]
    assert first.facts == Facts(
        medical_staff=40, service_population=30000, beds=20, inpatient_ward=True
    )
    assert first.facts_declared is True


def test_stream_scores_like_the_one_assessment_selector(graded):
    for inputs in scoring_inputs_stream(cycle=graded.cycle):
        assessment = Assessment.objects.get(pk=inputs.assessment_id)
        expected = assessment_provisional_result(assessment=assessment).evaluation
        actual = evaluate(inputs.edition, inputs.rules, inputs.facts, inputs.grades)
        assert actual.as_dict() == expected.as_dict()


def count_queries(**scope) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert list(scoring_inputs_stream(**scope))
    return len(ctx.captured_queries)


def test_stream_query_count_does_not_grow_with_assessments(graded):
    count_queries(cycle=graded.cycle)  # compiles and caches the published edition
    with_two = count_queries(cycle=graded.cycle)
    more_assessments(graded, 10)
    assert Assessment.objects.count() == 12
    # standards, item places, packed grades, assessments; SQLite: grade rows instead
    # of item places and packed grades.
    assert (
        count_queries(cycle=graded.cycle)
        == with_two
        == (4 if connection.vendor == "postgresql" else 3)
    )


def test_stream_filters_by_region_cycle_year_and_id_range(graded):
    def ids(**scope):
        return [i.assessment_id for i in scoring_inputs_stream(**scope)]

    a, b = graded.assessment_a.pk, graded.assessment_b.pk
    assert ids(region=graded.county_a) == [a]
    assert ids(region=graded.other_city) == [b]
    assert ids(region=graded.province) == [a, b]
    assert ids(year=2026) == [a, b]
    assert ids(year=2025) == []
    assert ids(cycle=graded.cycle.pk, region=graded.city) == [a]
    assert ids(id_range=(b, b)) == [b]
    assert ids() == [a, b]


def test_stream_uses_the_facts_in_force_on_the_day(graded):
    FactsFactory(
        institution=graded.institution_a,
        effective_from=dt.date(2026, 3, 1),
        medical_staff=8,
        service_population=9000,
        beds=0,
        inpatient_ward=False,
    )
    before = next(scoring_inputs_stream(cycle=graded.cycle, on=dt.date(2026, 2, 28)))
    after = next(scoring_inputs_stream(cycle=graded.cycle, on=dt.date(2026, 3, 1)))
    undeclared = next(scoring_inputs_stream(cycle=graded.cycle, on=dt.date(2019, 12, 31)))
    assert before.facts.medical_staff == 40
    assert after.facts == Facts(
        medical_staff=8, service_population=9000, beds=0, inpatient_ward=False
    )
    assert (undeclared.facts, undeclared.facts_declared) == (Facts(), False)


def test_stream_refuses_an_assessment_whose_cycle_dropped_its_edition(graded):
    CycleStandard.objects.filter(cycle=graded.cycle).delete()
    with pytest.raises(CycleStandard.DoesNotExist):
        list(scoring_inputs_stream(cycle=graded.cycle))


def test_stream_gives_no_grades_for_an_assessment_without_rows(graded):
    ItemGrade.objects.filter(assessment=graded.assessment_b).delete()
    inputs = list(scoring_inputs_stream(cycle=graded.cycle))
    assert inputs[1].grades == {}


def pack(slots: list[int]) -> list[int]:
    words = [0] * (-(-len(slots) // 20))
    for index, slot in enumerate(slots):
        words[index // 20] |= slot << (3 * (index % 20))
    return words


def test_unpack_reads_twenty_items_per_word():
    codes = [f"c{n}" for n in range(45)]
    grades = ["", "none", "C", "B", "A", "NA"] * 7 + ["A", "", "C"]
    words = pack([SLOTS[g] for g in grades])
    assert len(words) == 3
    assert unpack_grades(words, codes) == {c: g or None for c, g in zip(codes, grades, strict=True)}
    assert unpack_grades([None, words[1], 0], codes[:45]) == {
        **dict.fromkeys(codes[:20]),
        **{c: g or None for c, g in zip(codes[20:40], grades[20:40], strict=True)},
        **dict.fromkeys(codes[40:]),
    }


def test_grade_counts_by_assessment(graded):
    rows = sorted(grade_counts_by_assessment(cycle=graded.cycle))
    assert rows == [
        (graded.assessment_a.pk, 1, 1, 1, 1, 1, 1),
        (graded.assessment_b.pk, 5, 0, 1, 0, 0, 0),
    ]
    assert grade_counts_by_assessment(region=graded.county_a) == [
        (graded.assessment_a.pk, 1, 1, 1, 1, 1, 1)
    ]


def test_bench_rescore_reports_both_scopes(graded):
    out = io.StringIO()
    call_command("bench_rescore", "--repeat", "1", "--workers", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"database: {connection.vendor}; year 2026; best of 1 runs"
    assert lines[1] == "province 990000: 2 assessments, 12 item grades"
    assert lines[2].startswith("  raw SQL aggregate ")
    assert lines[3] == "  engine, sequential"
    assert lines[5].startswith("    of which evaluate() ")
    assert lines[6].startswith("    ratio engine/raw ")
    at = 7
    if connection.vendor == "postgresql":  # the parallel run, PostgreSQL only
        assert lines[7] == "  engine, 2 processes"
        assert lines[9].startswith("    ratio engine/raw ")
        at = 10
    assert lines[at] == "  levels reached: none 2"
    assert lines[at + 1] == "nation 2026: 2 assessments, 12 item grades"


def test_bench_rescore_takes_a_cycle_or_a_province(graded):
    out = io.StringIO()
    call_command(
        "bench_rescore", "--repeat", "1", "--scope", "province", "--province", "990000", stdout=out
    )
    assert out.getvalue().splitlines()[1] == "province 990000: 2 assessments, 12 item grades"
    out = io.StringIO()
    call_command(
        "bench_rescore",
        "--repeat",
        "1",
        "--scope",
        "province",
        "--cycle",
        str(graded.cycle.pk),
        stdout=out,
    )
    assert out.getvalue().splitlines()[1] == (
        f"cycle {graded.cycle.pk} (990000): 2 assessments, 12 item grades"
    )


def test_bench_rescore_without_cycles(db):
    with pytest.raises(CommandError) as excinfo:
        call_command("bench_rescore", stdout=io.StringIO())
    assert str(excinfo.value) == "No cycles. Generate data first (manage.py generate_synthetic)."


@pytest.mark.parametrize("workers", [1, 2])
def test_parallel_scoring_gives_the_sequential_levels_in_order(graded, monkeypatch, workers):
    more_assessments(graded, 3)
    monkeypatch.setattr(rescoring_parallel, "CHUNK", 2)  # several chunks per worker
    expected = [
        (i.assessment_id, evaluate(i.edition, i.rules, i.facts, i.grades).level)
        for i in scoring_inputs_stream(year=2026)
    ]
    assert len(expected) == 5
    assert list(rescoring_parallel.scored(year=2026, workers=workers)) == expected
    assert list(rescoring_parallel.scored(region=graded.other_city, workers=workers)) == [
        expected[1]
    ]


def chapters_met(inputs, evaluation):
    """A summary other than the level, run in the workers."""
    return inputs.assessment_id, sorted(evaluation.chapters)


def test_parallel_scoring_takes_any_summary(graded):
    assert list(rescoring_parallel.scored(cycle=graded.cycle, summarise=chapters_met)) == [
        (graded.assessment_a.pk, ["1", "2"]),
        (graded.assessment_b.pk, ["1", "2"]),
    ]
