"""Hostile file names: neutralised before they are stored or shown, never used as a
storage path, and sent back in a Content-Disposition header that cannot be split or
reinterpreted."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accreditation.models import Evidence, EvidenceAttachment
from accreditation.services.evidence import evidence_upload
from tests import files

HOSTILE = {
    "traversal": "../../../../etc/passwd.pdf",
    "windows traversal": "..\\..\\windows\\system32\\evil.pdf",
    "absolute": "/var/www/html/shell.pdf",
    "script": "<script>alert(1)</script>.pdf",
    "attribute": '"><img src=x onerror=alert(1)>.pdf',
    "header split": "report.pdf\r\nSet-Cookie: sessionid=stolen",
    "quote": 'a"; filename="evil.exe',
    "null byte": "evil.exe\x00.pdf",
    "bidi override": "invoice\u202efdp.exe",
    "double extension": "photo.pdf.exe",
    "dot file": ".htaccess",
    "only dots": "....",
    "empty": "",
    "very long": "很长的文件名" * 200 + ".pdf",
    "unicode": "证明材料（2026）.pdf",
}


DISPOSITION = re.compile(
    r'attachment; (filename="(?:[^"\\\x00-\x1f]|\\.)*"'
    r"|filename\*=utf-8''[A-Za-z0-9%!#$&+.^_`|~-]+)"
)


def upload(world, name: str) -> EvidenceAttachment:
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=files.upload(files.PDF + name.encode("utf-8", "surrogatepass"), "x.pdf"),
        filename=name,
    )
    return attachment


@pytest.mark.parametrize("name", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_name_is_neutralised_in_storage_and_in_the_download(world, client, name):
    attachment = upload(world, name)
    shown = attachment.name
    assert shown and len(shown) <= 120
    assert not re.search(r'[<>:"|?*\x00-\x1f\x7f/\\]', shown)
    assert not any(unicodedata.category(ch) == "Cf" for ch in shown)  # no bidi controls
    assert not shown.startswith(".")
    assert shown.endswith(".pdf")  # the detected type decides the extension
    # The stored file is named by its content, never by the upload's name.
    evidence = Evidence.objects.get(pk=attachment.evidence_id)
    assert re.fullmatch(r"evidence/[0-9a-f]{2}/[0-9a-f]{64}\.pdf", evidence.file.name)
    root = Path(settings.MEDIA_ROOT).resolve()
    assert (root / evidence.file.name).resolve().is_relative_to(root)

    client.force_login(world.staff_a)
    url = reverse("web:evidence_download", args=[world.assessment_a.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith("attachment;")
    assert "\r" not in header and "\n" not in header
    # Exactly one parameter: a quoted ASCII name without an unescaped quote, or the
    # RFC 5987 percent-encoded form for other names.
    assert DISPOSITION.fullmatch(header), header
    assert header.endswith(('.pdf"', ".pdf"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_api_download_sends_the_same_safe_header(world):
    from rest_framework.test import APIClient

    attachment = upload(world, HOSTILE["header split"])
    api = APIClient()
    api.force_authenticate(world.staff_a)
    response = api.get(
        reverse("api:evidence-download", args=[world.assessment_a.pk, attachment.pk])
    )
    assert response.status_code == 200, response.status_code
    header = response["Content-Disposition"]
    assert header.startswith("attachment;") and "\r" not in header and "\n" not in header
    assert "Set-Cookie" not in response.headers or "stolen" not in response["Set-Cookie"]
