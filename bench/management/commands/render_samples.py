"""manage.py render_samples --out DIR: a certificate and an assessment report rendered
by the real services, for looking at the layout (CI artifacts). Writes to the
database: run it on a throwaway one."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accreditation.models import Assessment, CertificateRecord, ItemGrade, User
from accreditation.services.certificates import certificate_issue
from accreditation.services.reports import assessment_report_render
from bench.data import build_recognitions


class Command(BaseCommand):
    help = (
        "Render a certificate (certificate_issue on a recognition created for the "
        "purpose) and the report of the most completely graded assessment "
        "(assessment_report_render) into --out. Seed data first (manage.py seed_demo). "
        "Writes to the database: use a throwaway one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, out: Path, **options) -> None:
        out.mkdir(parents=True, exist_ok=True)
        operator = User(username="render-samples", role=User.Role.ADMINISTRATOR)
        assessment = (
            Assessment.objects.filter(grades__grade__in=["A", "B", "C", "none", "NA"])
            .order_by("-submitted_at", "id")
            .first()
        )
        if assessment is None:
            raise CommandError("no graded assessment: run manage.py seed_demo first")
        graded = ItemGrade.objects.filter(assessment=assessment).exclude(grade="").count()
        report = assessment_report_render(user=operator, assessment_id=assessment.pk)
        (out / "report.pdf").write_bytes(report)
        self.stdout.write(f"report.pdf: {assessment.institution.name}, {graded} items graded")

        notice = build_recognitions(1, province="示例省", names=("示例市", "示例县"))
        record = CertificateRecord.objects.get(recognition__notice=notice)
        issued = certificate_issue(actor=None, certificate=record)
        with issued.file.open("rb") as handle:
            (out / "certificate.pdf").write_bytes(handle.read())
        self.stdout.write(
            f"certificate.pdf: {issued.number}, code {issued.verification_code}, "
            f"sha256 {issued.sha256[:16]}…"
        )
