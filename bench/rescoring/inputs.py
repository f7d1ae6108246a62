"""Scoring inputs of many assessments at once (a province, a nation), for the
``bench_rescore`` benchmark, in a constant number of queries.

On PostgreSQL the grades never leave the database row by row. Each item's grade
becomes a 3-bit slot at the item's place in the edition, and one aggregate per 20
items ORs the slots into a 60-bit integer per assessment: a 100-item assessment
arrives as five integers. The aggregate is an ordinary ``GROUP BY assessment`` that
PostgreSQL runs in parallel, as fast as counting the grades. Python unpacks the
integers into the engine's ``{item code: grade}``.

SQLite runs in-process and has nothing to parallelise, so there the grades are read
row by row, in assessment order, alongside the assessments.

Queries: the cycles' standards (1), each edition not compiled yet (1 each), the
editions' item ids (1, PostgreSQL), the packed grades (1, PostgreSQL) or the grade
rows (1, SQLite, streamed), the assessments with their facts (1, streamed). None
depends on the number of assessments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Q

from accreditation.models import (
    Assessment,
    Cycle,
    CycleStandard,
    Institution,
    InstitutionFacts,
    ItemGrade,
    Region,
)
from accreditation.selectors.scoring import today
from standards.models import Item
from standards.scoring import EditionSpec, Facts, RuleSpec
from standards.selectors import edition_spec, rule_spec

#: Items per packed integer (3 bits each: 60 bits, below the sign bit of a bigint).
ITEMS_PER_WORD = 20
#: Slot of each stored grade; 0 (not graded yet) leaves the item out of the grades.
SLOTS: dict[str, int] = {"": 0, "none": 1, "C": 2, "B": 3, "A": 4, "NA": 5}
GRADE_OF_SLOT: tuple[str | None, ...] = (None, "none", "C", "B", "A", "NA", None, None)


@dataclass(frozen=True, slots=True)
class AssessmentScoringInput:
    """One assessment, ready for ``standards.scoring.evaluate(edition, rules, facts,
    grades)``. ``grades`` has every item of the edition; ``None`` marks an item not
    graded yet, which the engine and the gap plan count as none."""

    assessment_id: int
    institution_id: int
    cycle_id: int
    status: str
    target_level: str
    edition: EditionSpec
    rules: Mapping[str, RuleSpec]
    facts: Facts
    facts_declared: bool
    grades: dict[str, str | None]


@dataclass(frozen=True, slots=True)
class Scope:
    joins: str
    where: str
    params: tuple[Any, ...]
    #: ``where`` for queries over item grades ``g``: the id range repeated on
    #: ``g.assessment_id`` so that the database reads only that slice of grades.
    grade_where: str
    grade_params: tuple[Any, ...]


def _tables() -> dict[str, str]:
    return {
        "assessment": Assessment._meta.db_table,
        "cycle": Cycle._meta.db_table,
        "institution": Institution._meta.db_table,
        "region": Region._meta.db_table,
        "grade": ItemGrade._meta.db_table,
        "facts": InstitutionFacts._meta.db_table,
    }


def scope_for(
    cycle: Cycle | int | None,
    year: int | None,
    region: Region | None,
    id_range: tuple[int, int] | None = None,
) -> Scope:
    """Joins after assessments ``a`` (cycle ``c``, maybe institution ``i`` and region
    ``r``) and the WHERE clause of the assessments in scope."""
    t = _tables()
    joins = f" JOIN {t['cycle']} c ON c.id = a.cycle_id"
    where, params = ["1 = 1"], []
    if cycle is not None:
        where.append("a.cycle_id = %s")
        params.append(cycle.pk if isinstance(cycle, Cycle) else cycle)
    if year is not None:
        where.append("c.year = %s")
        params.append(year)
    if region is not None:
        joins += (
            f" JOIN {t['institution']} i ON i.id = a.institution_id"
            f" JOIN {t['region']} r ON r.id = i.region_id"
        )
        escaped = region.path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append("r.path LIKE %s ESCAPE '\\'")
        params.append(escaped + "%")
    grade_where, grade_params = list(where), list(params)
    if id_range is not None:
        where.append("a.id BETWEEN %s AND %s")
        params.extend(id_range)
        grade_where.append("g.assessment_id BETWEEN %s AND %s")
        grade_params.extend(id_range)
    return Scope(
        joins, " AND ".join(where), tuple(params), " AND ".join(grade_where), tuple(grade_params)
    )


def standards_for(
    cycle: Cycle | int | None, year: int | None, region: Region | None
) -> dict[tuple[int, int], tuple[EditionSpec, dict[str, RuleSpec]]]:
    """(cycle id, edition id) -> the compiled edition and the cycle's rules, for the
    cycles of the assessments in scope."""
    standards = CycleStandard.objects.select_related(
        "edition", "qualified_rule_set", "basic_rule_set", "recommended_rule_set"
    )
    if cycle is not None:
        standards = standards.filter(cycle_id=cycle.pk if isinstance(cycle, Cycle) else cycle)
    if year is not None:
        standards = standards.filter(cycle__year=year)
    if region is not None:
        # A cycle's province lies below the region, or the region lies in it.
        parts = region.path.split("/")[:-1]
        around = ["/".join(parts[: n + 1]) + "/" for n in range(len(parts))]
        standards = standards.filter(
            Q(cycle__province__path__startswith=region.path) | Q(cycle__province__path__in=around)
        )
    specs: dict[int, EditionSpec] = {}
    rules_of: dict[int, RuleSpec] = {}
    chosen = {}
    for standard in standards:
        if standard.edition_id not in specs:
            specs[standard.edition_id] = edition_spec(edition=standard.edition)
        rules = {}
        for level, rule_set in standard.rule_sets().items():
            if rule_set.pk not in rules_of:
                rules_of[rule_set.pk] = rule_spec(rule_set)
            rules[level] = rules_of[rule_set.pk]
        chosen[(standard.cycle_id, standard.edition_id)] = (specs[standard.edition_id], rules)
    return chosen


def item_places(
    specs: Mapping[int, EditionSpec],
) -> tuple[list[tuple[int, int, int]], dict[int, tuple[str, ...]], int]:
    """Per item id its (word, bit shift); per edition its item codes in order; and the
    number of words of the longest edition."""
    position = {
        edition_id: {item.code: i for i, item in enumerate(spec.items)}
        for edition_id, spec in specs.items()
    }
    places: list[tuple[int, int, int]] = []
    for edition_id, item_id, code in Item.objects.filter(edition_id__in=list(specs)).values_list(
        "edition_id", "id", "code"
    ):
        index = position[edition_id][code]
        places.append((item_id, index // ITEMS_PER_WORD, 3 * (index % ITEMS_PER_WORD)))
    codes = {
        edition_id: tuple(item.code for item in spec.items) for edition_id, spec in specs.items()
    }
    longest = max((len(c) for c in codes.values()), default=0)
    return places, codes, -(-longest // ITEMS_PER_WORD)


def _packed_grades_sql(scope: Scope, places: list[tuple[int, int, int]], n_words: int) -> str:
    t = _tables()
    slot = (
        "CAST(CASE g.grade "
        + " ".join(f"WHEN '{grade}' THEN {value}" for grade, value in SLOTS.items())
        + " ELSE 0 END AS bigint) << p.shift"
    )
    words = ", ".join(f"bit_or({slot}) FILTER (WHERE p.word = {k})" for k in range(n_words))
    values = ", ".join(f"({item}, {word}, {shift})" for item, word, shift in places)
    # PostgreSQL inlines the CTE, so the plan stays parallel.
    cte = f"WITH p(item_id, word, shift) AS (VALUES {values}) "
    return (
        f"{cte}SELECT g.assessment_id, {words} FROM {t['grade']} g "
        "JOIN p ON p.item_id = g.item_id "
        f"JOIN {t['assessment']} a ON a.id = g.assessment_id{scope.joins} "
        f"WHERE {scope.grade_where} GROUP BY g.assessment_id"
    )


def _grade_rows_sql(scope: Scope) -> str:
    t = _tables()
    # CROSS JOIN keeps SQLite's order: assessments in scope, then their grades by the
    # assessment index, already in (assessment, id) order.
    return (
        f"SELECT a.id, g.item_code, g.grade FROM {t['assessment']} a{scope.joins} "
        f"CROSS JOIN {t['grade']} g WHERE g.assessment_id = a.id AND {scope.grade_where} "
        "ORDER BY a.id, g.id"
    )


def _assessments_sql(scope: Scope) -> str:
    t = _tables()
    return (
        "SELECT a.id, a.institution_id, a.cycle_id, a.edition_id, a.status, a.target_level, "
        "f.id, f.medical_staff, f.service_population, f.beds, f.inpatient_ward "
        f"FROM {t['assessment']} a{scope.joins} LEFT JOIN {t['facts']} f ON f.id = ("
        f"SELECT f2.id FROM {t['facts']} f2 WHERE f2.institution_id = a.institution_id "
        "AND f2.effective_from <= %s ORDER BY f2.effective_from DESC LIMIT 1) "
        f"WHERE {scope.where} ORDER BY a.id"
    )


@cache
def _chunk_table() -> tuple[tuple[str | None, ...], ...]:
    """Every 15-bit chunk (five slots) -> its five grades (None: not graded)."""
    return tuple(
        tuple(GRADE_OF_SLOT[(value >> (3 * j)) & 7] for j in range(5)) for value in range(1 << 15)
    )


_UNGRADED_WORD = (None,) * ITEMS_PER_WORD


def unpack_grades(words: Sequence[int | None], codes: Sequence[str]) -> dict[str, str | None]:
    """``{item code: grade or None}`` (None: not graded yet, which the engine counts as
    none) from the packed integers and the edition's item codes in catalogue order.
    Table lookups five items at a time and no filtering: this runs once per assessment
    of a nation."""
    table = _chunk_table()
    slots: list[str | None] = []
    extend = slots.extend
    for word in words:
        if word:
            extend(table[word & 0x7FFF])
            extend(table[(word >> 15) & 0x7FFF])
            extend(table[(word >> 30) & 0x7FFF])
            extend(table[word >> 45])
        else:
            extend(_UNGRADED_WORD)
    return dict(zip(codes, slots, strict=False))


class PackedGrades:
    """PostgreSQL: every assessment's packed grades, read at once (a few integers each)."""

    def __init__(
        self,
        scope: Scope,
        specs: Mapping[int, EditionSpec],
        packing: tuple[list[tuple[int, int, int]], dict[int, tuple[str, ...]], int] | None = None,
    ):
        places, self.codes, n_words = packing or item_places(specs)
        self.packed: dict[int, tuple[int | None, ...]] = {}
        if places:
            with connection.cursor() as cursor:
                cursor.execute(_packed_grades_sql(scope, places, n_words), scope.grade_params)
                for row in cursor.fetchall():
                    self.packed[row[0]] = row[1:]

    def grades(self, assessment_id: int, edition_id: int) -> dict[str, str | None]:
        return unpack_grades(self.packed.get(assessment_id, ()), self.codes[edition_id])

    def close(self) -> None:
        pass


class _GradeRows:
    """SQLite: the grade rows of the assessments in scope, streamed in assessment order
    and merged with the assessments, which come in the same order."""

    def __init__(self, scope: Scope, chunk_size: int):
        self.cursor = connection.cursor()
        self.cursor.execute(_grade_rows_sql(scope), scope.grade_params)
        self.chunk_size = chunk_size
        self.rows: list[tuple] = []
        self.at = 0

    def _next(self) -> tuple | None:
        if self.at == len(self.rows):
            self.rows, self.at = self.cursor.fetchmany(self.chunk_size), 0
            if not self.rows:
                return None
        row = self.rows[self.at]
        self.at += 1
        return row

    def grades(self, assessment_id: int, edition_id: int) -> dict[str, str | None]:
        grades: dict[str, str | None] = {}
        while (row := self._next()) is not None:
            if row[0] != assessment_id:  # the next assessment's first row
                self.at -= 1
                break
            grades[row[1]] = row[2] or None
        return grades

    def close(self) -> None:
        self.cursor.close()


def scoring_inputs_stream(
    *,
    cycle: Cycle | int | None = None,
    year: int | None = None,
    region: Region | None = None,
    id_range: tuple[int, int] | None = None,
    on: dt.date | None = None,
    chunk_size: int = 2000,
) -> Iterator[AssessmentScoringInput]:
    """Every assessment in scope (filters combine; none means every assessment), in id
    order, with its edition, its cycle's rules, the facts in force on ``on`` (default
    today) and its grades. ``id_range`` (first, last assessment id, inclusive) takes
    one slice (a batch that checkpoints, or one worker's share). A constant
    number of queries (see the module docstring); memory grows with the number of
    assessments by a few integers each.

    Raises ``CycleStandard.DoesNotExist`` for an assessment whose edition its cycle no
    longer applies, as ``cycle_standard_for`` does."""
    scope = scope_for(cycle, year, region, id_range)
    standards = standards_for(cycle, year, region)
    specs = {edition_id: spec for (_, edition_id), (spec, _) in standards.items()}
    source: PackedGrades | _GradeRows
    if connection.vendor == "postgresql":
        source = PackedGrades(scope, specs)
    else:
        source = _GradeRows(scope, chunk_size)
    try:
        yield from _inputs(scope, standards, source, on, chunk_size)
    finally:
        source.close()


def _inputs(
    scope: Scope,
    standards: Mapping[tuple[int, int], tuple[EditionSpec, dict[str, RuleSpec]]],
    source: PackedGrades | _GradeRows,
    on: dt.date | None,
    chunk_size: int,
) -> Iterator[AssessmentScoringInput]:
    with connection.cursor() as cursor:
        cursor.execute(_assessments_sql(scope), (on or today(), *scope.params))
        while rows := cursor.fetchmany(chunk_size):
            yield from rows_to_inputs(rows, standards, source)


def assessment_rows(scope: Scope, on: dt.date | None) -> list[tuple]:
    """The assessments in scope with their facts in force on ``on``, as
    :func:`rows_to_inputs` takes them (one query, fetched at once)."""
    with connection.cursor() as cursor:
        cursor.execute(_assessments_sql(scope), (on or today(), *scope.params))
        return cursor.fetchall()


def rows_to_inputs(
    rows: Sequence[tuple],
    standards: Mapping[tuple[int, int], tuple[EditionSpec, dict[str, RuleSpec]]],
    source: PackedGrades | _GradeRows,
) -> Iterator[AssessmentScoringInput]:
    """The engine's inputs of assessment rows (see ``_assessments_sql``), with grades
    from ``source``."""
    for (
        assessment_id,
        institution_id,
        cycle_id,
        edition_id,
        status,
        target_level,
        facts_id,
        staff,
        population,
        beds,
        ward,
    ) in rows:
        standard = standards.get((cycle_id, edition_id))
        if standard is None:
            raise CycleStandard.DoesNotExist(
                f"cycle {cycle_id} does not apply edition {edition_id} (assessment {assessment_id})"
            )
        spec, rules = standard
        yield AssessmentScoringInput(
            assessment_id=assessment_id,
            institution_id=institution_id,
            cycle_id=cycle_id,
            status=status,
            target_level=target_level,
            edition=spec,
            rules=rules,
            facts=Facts(
                medical_staff=staff,
                service_population=population,
                beds=beds,
                inpatient_ward=bool(ward),
            )
            if facts_id is not None
            else Facts(),
            facts_declared=facts_id is not None,
            grades=source.grades(assessment_id, edition_id),
        )


def grade_counts_by_assessment(
    *,
    cycle: Cycle | int | None = None,
    year: int | None = None,
    region: Region | None = None,
    id_range: tuple[int, int] | None = None,
) -> list[tuple[int, int, int, int, int, int, int]]:
    """Per assessment in scope: (id, not graded, none, C, B, A, N/A) item counts. One
    plain aggregate query; ``bench_rescore`` times the engine against it."""
    scope = scope_for(cycle, year, region, id_range)
    grades = ("", "none", "C", "B", "A", "NA")
    if connection.vendor == "postgresql":
        counts = ", ".join(f"COUNT(*) FILTER (WHERE g.grade = '{g}')" for g in grades)
        sql = (
            f"SELECT g.assessment_id, {counts} FROM {ItemGrade._meta.db_table} g "
            f"JOIN {Assessment._meta.db_table} a ON a.id = g.assessment_id{scope.joins} "
            f"WHERE {scope.grade_where} GROUP BY g.assessment_id"
        )
    else:
        # The same access path as the engine's grade rows (assessments, then their
        # grades by index): a province reads its own rows, not the nation's.
        counts = ", ".join(f"SUM(CASE WHEN g.grade = '{g}' THEN 1 ELSE 0 END)" for g in grades)
        sql = (
            f"SELECT a.id, {counts} FROM {Assessment._meta.db_table} a{scope.joins} "
            f"CROSS JOIN {ItemGrade._meta.db_table} g "
            f"WHERE g.assessment_id = a.id AND {scope.grade_where} GROUP BY a.id"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, scope.grade_params)
        return cursor.fetchall()
