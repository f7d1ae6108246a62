"""Benchmarks, the load test and synthetic data: a Django app of its own, installed only
by ``bench.settings`` (and the test settings, so that its tests run in ``make test``).

Nothing in the product (``accreditation``, ``standards``, ``workflows``) imports it; an
import-linter contract in ``pyproject.toml`` keeps it so. It has no models and no
migrations: it reads and writes the product's tables through the product's services and
models, on throwaway databases or in rolled-back transactions.

``management/commands`` (``bench_*``, ``generate_synthetic``, ``render_samples``),
``data`` (benchmark worlds built in bulk or through the services), ``request_timing``
(``bench_requests``), ``rescoring`` (a province's or the nation's scoring inputs in a
constant number of queries, and the forked parallel scorer, for ``bench_rescore``),
``synthetic`` (``generate_synthetic``), ``loadtest`` (``bench_load``) and ``pdf`` (the
renderers without Django: ``python -m bench.pdf``).

This package's ``__init__`` imports nothing, so ``python -m bench.pdf`` stays Django-free.
"""
