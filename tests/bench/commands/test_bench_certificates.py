import io
import re

from django.core.management import call_command

from accreditation.models import CertificateRecord, Institution


def test_bench_certificates_prints_its_figures_and_keeps_nothing(db):
    out = io.StringIO()
    call_command("bench_certificates", "--renders", "2", "--batch", "3", stdout=out)
    text = out.getvalue()
    assert re.search(r"\d+ certificates per second \(one process\)", text)
    assert re.search(r"batch of 3 .*; 3 issued, 0 failed, 3 stored", text)
    assert "rolled back" in text
    assert not CertificateRecord.objects.exists()
    assert not Institution.objects.exists()
