"""Synthetic national data sets for benchmarks and load tests (``generate_synthetic``):
``plan`` draws what exists from a seed, ``writer`` bulk-inserts it."""

from bench.synthetic.plan import NationPlan, nation_plan
from bench.synthetic.writer import AlreadyGenerated, SyntheticReport, synthetic_generate

__all__ = [
    "AlreadyGenerated",
    "NationPlan",
    "SyntheticReport",
    "nation_plan",
    "synthetic_generate",
]
