"""Every state-changing step of the self-assessment and of the review process, as a
table: how to bring the world to the step, and the call that takes it.

``arrange(world, experts)`` drives the world there through the services and returns
the step: a call without arguments that re-reads what it needs (so a failed attempt
leaves no stale objects behind) and calls the service. A step may run other services in
the same transaction (the flow's automatic steps: the next review round, the
consolidation, the result, the recognition and its certificate).

The steps live by stage: ``self_assessment``, ``review`` (county and expert review,
consolidation, result), ``notices`` (decisions, the public notice, objections) and
``recognitions`` (after recognition, and the cycle's close) and ``rectification``
(findings, plans, evidence of effect, look-back rectification, carry-forward).
``SCENARIOS`` lists them in the order of the process.
"""

from __future__ import annotations

from tests.faults.scenarios.base import Scenario, Step
from tests.faults.scenarios.notices import NOTICES
from tests.faults.scenarios.recognitions import RECOGNITIONS
from tests.faults.scenarios.rectification import RECTIFICATION
from tests.faults.scenarios.review import REVIEW
from tests.faults.scenarios.self_assessment import SELF_ASSESSMENT

__all__ = ["SCENARIOS", "Scenario", "Step"]

SCENARIOS: tuple[Scenario, ...] = SELF_ASSESSMENT + REVIEW + NOTICES + RECOGNITIONS + RECTIFICATION
