import io

from django.core.management import call_command

from accreditation.models import CertificateRecord
from tests.accreditation.helpers import grade_all
from tests.pdf.pdftools import text


def test_render_samples_writes_a_report_and_an_issued_certificate(world, tmp_path):
    grade_all(world.assessment_a, world.staff_a, {"1.1.1": "A", "1.1.2": "B"})
    out = io.StringIO()
    call_command("render_samples", "--out", str(tmp_path), stdout=out)
    report = (tmp_path / "report.pdf").read_bytes()
    certificate = (tmp_path / "certificate.pdf").read_bytes()
    assert "河口镇卫生院" in text(report).replace(" ", "")
    assert "示例县中心卫生院" in text(certificate).replace(" ", "")
    record = CertificateRecord.objects.get()
    assert record.sha256 and record.verification_code in out.getvalue()
