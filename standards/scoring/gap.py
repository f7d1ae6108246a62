"""The gap plan: the fewest single-item upgrades that reach a level.

Contract of :func:`gap_plan`: the plan reaches the target level (when ``reachable``),
and no plan changes fewer items; among plans changing that many items, none needs
fewer grade steps (C->A is two steps). Ties are broken by catalogue order.

Why it is minimal. Let the target's rule sets (the level and every level it includes)
require at least ``needC``, ``needB``, ``needA`` basic-tier items at C-or-better,
B-or-better and A, and ``needR`` recommended-tier items at C-or-better. Must-pass items
below their grade are raised to exactly that grade first; they must change in every
plan. The remaining deficits ``DC, DB, DA`` then have to be covered by:

* new items at none (``x`` of them): the only way to add C-or-better items;
* new items at C (``y``): each adds a B-or-better item;
* new items at B (``z``): each adds an A item;
* raising already-changed must-pass items further (``w1`` at C, ``w2`` at B), which adds
  steps but no item.

Every changed item adds at most one to each cumulative count, so a plan with ``n`` new
items needs ``x >= DC``, ``x + y + w1 >= DB`` and ``n + w1 + w2 >= DA``. Hence
``n >= max(DC, DB - w1, DA - w1 - w2)``, and raising the chosen items as far as A meets
that bound whenever the counts of candidates allow it: that ``n`` is optimal.

For a fixed split ``(x, y, z)`` with ``x + y + z = n`` the cheapest grades follow by
exchange: every step adds exactly one to exactly one cumulative count, so the steps are
``n`` (each chosen item moves once) plus ``RB = max(0, DB - y)`` steps lifting chosen
none-items or must-pass C items to B, plus the A deficit ``RA = max(0, DA - z)``, paid
at one step on items already at B and at two steps on items still at C. The solver
enumerates every split and takes the cheapest, so the steps are minimal too. The
recommended tier is independent (its items count towards no basic-tier share): it needs
exactly ``DR`` none->C upgrades. Tests check both claims against brute force.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from standards.scoring.engine import _closure, _required, effective_grades, evaluate
from standards.scoring.types import (
    BASIC,
    GRADE_ORDER,
    GRADE_RANK,
    LEVEL_RANK,
    LEVELS,
    NA,
    EditionSpec,
    Facts,
    RuleSpec,
)


@dataclass(frozen=True, slots=True)
class Upgrade:
    item: str
    from_grade: str
    to_grade: str

    @property
    def steps(self) -> int:
        return GRADE_RANK[self.to_grade] - GRADE_RANK[self.from_grade]

    def as_dict(self) -> dict[str, str]:
        return {"item": self.item, "from": self.from_grade, "to": self.to_grade}


@dataclass(frozen=True, slots=True)
class GapPlan:
    """``target`` is None when the grading already reaches the highest level."""

    target: str | None
    reachable: bool
    upgrades: tuple[Upgrade, ...] = ()
    reason: str = ""

    @property
    def steps(self) -> int:
        return sum(u.steps for u in self.upgrades)

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "reachable": self.reachable,
            "upgrades": [u.as_dict() for u in self.upgrades],
            "items": len(self.upgrades),
            "steps": self.steps,
            "reason": self.reason,
        }


class _Unreachable(Exception):
    pass


def _rank(grade: str | None) -> int:
    return GRADE_RANK[grade or "none"]


def _solve_basic(
    final: dict[str, int],
    unforced: tuple[list[str], list[str], list[str]],
    forced_at: tuple[list[str], list[str]],
    deficits: tuple[int, int, int],
) -> None:
    """Choose basic-tier upgrades; writes final ranks into ``final``."""
    u0, u1, u2 = unforced
    w1, w2 = forced_at
    dc, db, da = (max(0, d) for d in deficits)
    if dc > len(u0):
        raise _Unreachable(f"needs {dc} more items at C or better, only {len(u0)} can rise")
    if db > len(u0) + len(u1) + len(w1):
        raise _Unreachable(f"needs {db} more items at B or better; not enough can rise")
    if da > len(u0) + len(u1) + len(u2) + len(w1) + len(w2):
        raise _Unreachable(f"needs {da} more items at A; not enough can rise")
    n = max(dc, db - len(w1), da - len(w1) - len(w2), 0)
    if not (dc or db or da):
        return

    best: tuple[int, int, int, int, int] | None = None  # steps, x, y, rb, ra
    for x in range(max(dc, n - len(u1) - len(u2)), min(len(u0), n) + 1):
        for y in range(max(0, n - x - len(u2)), min(len(u1), n - x) + 1):
            z = n - x - y
            rb = max(0, db - y)
            if rb > x + len(w1):
                continue
            ra = max(0, da - z)
            cheap = len(w2) + rb + y
            dear = x + len(w1) - rb
            if ra <= cheap:
                extra = ra
            elif ra - cheap <= dear:
                extra = cheap + 2 * (ra - cheap)
            else:
                continue
            steps = n + rb + extra
            if best is None or steps < best[0]:
                best = (steps, x, y, rb, ra)
    if best is None:  # pragma: no cover - the bound above guarantees a split exists
        raise _Unreachable("no combination of upgrades reaches the shares")
    _, x, y, rb, ra = best
    z = n - x - y
    chosen0, chosen1 = u0[:x], u1[:y]
    for code in chosen0:
        final[code] = 1
    for code in chosen1:
        final[code] = 2
    for code in u2[:z]:
        final[code] = 3
    at_c = [*w1, *chosen0]
    raised_b = at_c[:rb]
    for code in raised_b:
        final[code] = 2
    at_b = [*w2, *chosen1, *raised_b]
    still_c = at_c[rb:]
    for code in [*at_b, *still_c][: max(0, ra)]:
        final[code] = 3


def _plan_for(
    level: str,
    edition: EditionSpec,
    rules: Mapping[str, RuleSpec],
    facts: Facts,
    grades: Mapping[str, str],
) -> GapPlan:
    closure = _closure(level, rules)
    for rule in closure:
        outcomes = [cond.evaluate(facts) for cond in rule.eligibility]
        combine = all if rule.eligibility_combine == "all" else any
        if rule.eligibility and not combine(o is True for o in outcomes):
            return GapPlan(level, False, reason=f"not eligible for {rule.level}")

    grades, _ = effective_grades(edition, facts, grades)
    required: dict[str, int] = {}
    for rule in closure:
        for must in rule.must_pass:
            required[must.item] = max(required.get(must.item, 0), GRADE_RANK[must.grade])

    final: dict[str, int] = {}
    have = [0, 0, 0]  # basic-tier C-or-better, B-or-better, A after forced raises
    n_basic = n_basic_na = n_rec = n_rec_na = have_rec = 0
    unforced: tuple[list[str], list[str], list[str]] = ([], [], [])
    forced_at: tuple[list[str], list[str]] = ([], [])
    rec_candidates: list[str] = []
    for item in edition.items:
        grade = grades.get(item.code)
        basic = item.tier == BASIC
        if grade == NA:
            if basic:
                n_basic_na += 1
            else:
                n_rec_na += 1
            continue
        rank = _rank(grade)
        need = required.get(item.code, 0)
        if need > rank:
            final[item.code] = rank = need
            if basic and rank < 3:
                forced_at[rank - 1].append(item.code)
        elif basic and rank < 3:
            unforced[rank].append(item.code)
        elif not basic and rank == 0:
            rec_candidates.append(item.code)
        if basic:
            n_basic += 1
            for threshold in range(rank):
                have[threshold] += 1
        else:
            n_rec += 1
            have_rec += rank > 0

    need_c = need_b = need_a = need_r = 0
    for rule in closure:
        denominator = n_basic if rule.na_excluded else n_basic + n_basic_na
        need_c = max(need_c, _required(rule.min_basic_c, denominator))
        need_b = max(need_b, _required(rule.min_basic_b, denominator))
        need_a = max(need_a, _required(rule.min_basic_a, denominator))
        if rule.min_recommended_c is not None:
            rec_denominator = n_rec if rule.na_excluded else n_rec + n_rec_na
            need_r = max(need_r, _required(rule.min_recommended_c, rec_denominator))
    try:
        _solve_basic(
            final,
            unforced,
            forced_at,
            (need_c - have[0], need_b - have[1], need_a - have[2]),
        )
        short = need_r - have_rec
        if short > len(rec_candidates):
            raise _Unreachable(
                f"needs {short} more recommended-tier items at C, only "
                f"{len(rec_candidates)} can rise"
            )
        for code in rec_candidates[: max(0, short)]:
            final[code] = 1
    except _Unreachable as exc:
        return GapPlan(level, False, reason=str(exc))

    upgrades = tuple(
        Upgrade(item.code, grades.get(item.code) or "none", GRADE_ORDER[final[item.code]])
        for item in edition.items
        if item.code in final
    )
    return GapPlan(level, True, upgrades)


def gap_plan(
    edition: EditionSpec,
    rules: Mapping[str, RuleSpec],
    facts: Facts,
    grades: Mapping[str, str],
    *,
    target: str | None = None,
    current_level: str | bool | None = False,
) -> GapPlan:
    """The minimal upgrade plan to ``target``, or by default to the lowest level above
    the current result that the institution is eligible for and can reach.

    ``current_level`` may pass an already computed result to save an evaluation.
    A target the grading already reaches gives an empty, reachable plan.
    """
    if target is not None:
        return _plan_for(target, edition, rules, facts, grades)
    if current_level is False:
        current_level = evaluate(edition, rules, facts, grades).level
    current_rank = LEVEL_RANK[current_level] if isinstance(current_level, str) else -1
    candidates = [lv for lv in LEVELS if lv in rules and LEVEL_RANK[lv] > current_rank]
    if not candidates:
        return GapPlan(None, True)
    first_failure = None
    for level in candidates:
        plan = _plan_for(level, edition, rules, facts, grades)
        if plan.reachable:
            return plan
        first_failure = first_failure or plan
    assert first_failure is not None
    return first_failure
