"""Scoring a nation on every core: the database reads once, forked processes score.

``scoring_inputs_stream`` feeds one Python process, so reading the packed grades,
unpacking them and ``evaluate()`` run one after the other on one core. Here, on
PostgreSQL, the parent reads every packed grade and every assessment row (two queries,
a few integers per assessment), then forks ``workers`` processes that inherit those
rows and score disjoint chunks of them; only chunk bounds go to the workers and only
each assessment's summary (by default its level) comes back, in assessment order.

The workers never touch the database connection they inherit (they end with
``os._exit`` as every ``multiprocessing`` child does, so nothing closes it), and the
fork happens after the reading, so they see exactly the rows read. Where ``fork`` is
unavailable, on SQLite (whose grade rows are streamed, not held) and with one worker,
this is the sequential loop over ``scoring_inputs_stream``.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection

from accreditation.models import Cycle, Region
from bench.rescoring.inputs import (
    AssessmentScoringInput,
    PackedGrades,
    assessment_rows,
    item_places,
    rows_to_inputs,
    scope_for,
    scoring_inputs_stream,
    standards_for,
)
from standards.scoring import Evaluation, evaluate

Summary = Callable[[AssessmentScoringInput, Evaluation], Any]

#: Assessments per task sent to a worker.
CHUNK = 2000


def level_reached(inputs: AssessmentScoringInput, evaluation: Evaluation) -> tuple[int, str | None]:
    """The default summary: (assessment id, level reached or None)."""
    return inputs.assessment_id, evaluation.level


#: What the forked workers inherit: rows, standards, grade source, summary.
_job: tuple[list[tuple], Any, PackedGrades, Summary] | None = None


def _summaries(inputs: Iterable[AssessmentScoringInput], summarise: Summary) -> Iterator[Any]:
    for one in inputs:
        yield summarise(one, evaluate(one.edition, one.rules, one.facts, one.grades))


def _score(bounds: tuple[int, int]) -> list[Any]:
    assert _job is not None, "workers are forked after the job is set"
    rows, standards, source, summarise = _job
    start, stop = bounds
    return list(_summaries(rows_to_inputs(rows[start:stop], standards, source), summarise))


def default_workers() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def scored(
    *,
    cycle: Cycle | int | None = None,
    year: int | None = None,
    region: Region | None = None,
    on: dt.date | None = None,
    workers: int | None = None,
    summarise: Summary = level_reached,
) -> Iterator[Any]:
    """``summarise(inputs, evaluate(...))`` of every assessment in scope, in id order,
    scored by ``workers`` forked processes (default: one per core; see the module
    docstring for when it runs in this process instead). ``summarise`` runs in the
    workers and its results must pickle."""
    workers = workers or default_workers()
    forking = "fork" in multiprocessing.get_all_start_methods()
    if connection.vendor != "postgresql" or workers <= 1 or not forking:
        yield from _summaries(
            scoring_inputs_stream(cycle=cycle, year=year, region=region, on=on), summarise
        )
        return
    global _job
    scope = scope_for(cycle, year, region)
    standards = standards_for(cycle, year, region)
    specs = {edition_id: spec for (_, edition_id), (spec, _) in standards.items()}
    source = PackedGrades(scope, specs, item_places(specs))
    rows = assessment_rows(scope, on)
    chunks = [(start, min(start + CHUNK, len(rows))) for start in range(0, len(rows), CHUNK)]
    _job = (rows, standards, source, summarise)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_score, chunks):
                yield from part
    finally:
        _job = None
