"""The cases of ``tests/api/test_permission_matrix.py`` by subject: ``accounts``
(auth, users, catalogue), ``registers`` (regions, institutions, cycles) and
``assessments`` (assessments and their evidence). ``CASES`` keeps the matrix's order."""

from __future__ import annotations

from tests.api.matrix_cases.accounts import ACCOUNTS
from tests.api.matrix_cases.assessments import ASSESSMENTS
from tests.api.matrix_cases.base import ANON, Case
from tests.api.matrix_cases.registers import REGISTERS

__all__ = ["ANON", "CASES", "Case"]

CASES: list[Case] = ACCOUNTS + REGISTERS + ASSESSMENTS
