"""The cases of ``tests/api/test_permission_matrix_review.py`` by subject: ``review``
(tasks, county review, panel, expert grades, consolidation, result, decisions),
``notices`` (public notices and objections), ``recognitions`` (recognitions,
look-backs, certificates and their batches, public verification) and ``checks``
(consistency checks, reductions) and ``rectification`` (findings, plans, evidence of
effect, action plans). The states they start from are in ``states``.
``CASES`` keeps the matrix's order."""

from __future__ import annotations

from tests.api.review_matrix_cases.base import ANON, Case
from tests.api.review_matrix_cases.checks import CHECKS
from tests.api.review_matrix_cases.notices import NOTICES
from tests.api.review_matrix_cases.recognitions import RECOGNITIONS
from tests.api.review_matrix_cases.rectification import RECTIFICATION
from tests.api.review_matrix_cases.review import REVIEW

__all__ = ["ANON", "CASES", "Case"]

CASES: list[Case] = REVIEW + NOTICES + RECOGNITIONS + CHECKS + RECTIFICATION
