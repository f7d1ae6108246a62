"""Benchmark of the renderers, without Django: ``python -m bench.pdf``.

Prints the cold font load, per-certificate times over repeated renders, a batch of
distinct certificates (each with its own number, code and QR) rendered in one
process with nothing stored, and the assessment report time.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

from accreditation.pdf.certificate import render_certificate
from accreditation.pdf.fonts import load_cjk_font
from accreditation.pdf.report import render_assessment_report
from accreditation.pdf.samples import SAMPLE_SECRET, sample_certificate, sample_report
from accreditation.pdf.verification import certificate_code


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200, help="timed renders of one certificate")
    parser.add_argument("--batch", type=int, default=1000, help="distinct certificates in a batch")
    parser.add_argument("--items", type=int, default=100, help="items in the report")
    parser.add_argument("--reports", type=int, default=5, help="timed report renders")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    font = load_cjk_font()
    print(f"font: {font.name} ({font.source}, embedded={font.embedded}) {font.path or ''}")
    print(f"font load (cold, once per process): {_ms(time.perf_counter() - start)}")

    data = sample_certificate()
    size = len(render_certificate(data, font=font))  # warm-up: first subset, imports
    times = []
    for _ in range(args.renders):
        start = time.perf_counter()
        render_certificate(data, font=font)
        times.append(time.perf_counter() - start)
    mean = statistics.fmean(times)
    print(f"certificate ({size} bytes), {args.renders} renders:")
    print(
        f"  mean {_ms(mean)}, median {_ms(statistics.median(times))}, "
        f"p95 {_ms(statistics.quantiles(times, n=20)[-1])}, min {_ms(min(times))}"
    )
    print(f"  {1 / mean:.0f} certificates per second (one process)")

    start = time.perf_counter()
    total_bytes = 0
    for n in range(args.batch):
        fields = replace(data.fields, number=f"YZJC-2026-990102-{n:05d}")
        batch_item = replace(
            data,
            fields=fields,
            verification_code=certificate_code(fields, SAMPLE_SECRET),
            verification_url=f"https://jiceng.example.org/verify/{fields.number}?v=1",
        )
        total_bytes += len(render_certificate(batch_item, font=font))
    elapsed = time.perf_counter() - start
    print(
        f"batch of {args.batch} distinct certificates (code + QR + PDF, not stored): "
        f"{elapsed:.2f} s, {args.batch / elapsed:.0f}/s, {total_bytes / 1e6:.1f} MB"
    )

    report = sample_report(args.items)
    pdf = render_assessment_report(report, font=font)  # warm-up
    times = []
    for _ in range(args.reports):
        start = time.perf_counter()
        render_assessment_report(report, font=font)
        times.append(time.perf_counter() - start)
    print(
        f"assessment report, {args.items} items ({len(pdf)} bytes): "
        f"mean {_ms(statistics.fmean(times))} over {args.reports} renders"
    )


if __name__ == "__main__":
    main()
