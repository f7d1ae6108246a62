"""Rescoring a province or the nation for ``bench_rescore``: the scoring inputs of many
assessments in a constant number of queries (``inputs``), and the same scored on every
core by forked processes (``parallel``). Only the benchmark uses them; the product scores
one assessment at a time (``accreditation.selectors.scoring``)."""
