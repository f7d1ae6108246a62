"""Certificate issuance with the real services: the stored PDF, its QR code and text,
tamper detection over the stored fields, reissue after a correction, revocation."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from accreditation.core.errors import DomainError
from accreditation.models import AuditEvent, CertificateRecord, Institution, Recognition
from accreditation.pdf.verification import ALPHABET
from accreditation.selectors.certificates import certificate_lookup
from accreditation.services.certificates import (
    certificate_issue,
    certificate_reissue,
    verification_url,
)
from accreditation.services.recognitions import recognition_change
from tests.pdf.pdftools import fonts, text
from tests.pdf.qrdecode import decode, matrix_from_pdf

CODE = re.compile(rf"^[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{3}}$")


def stored(record: CertificateRecord) -> bytes:
    with default_storage.open(record.file.name, "rb") as handle:
        return handle.read()


def squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def test_issue_stores_the_pdf_with_its_sha256_and_freezes_the_signed_fields(world, record):
    issued = certificate_issue(actor=world.officer_province, certificate=record)

    pdf = stored(issued)
    assert issued.file.name == f"certificates/{record.number}-v1.pdf"
    assert issued.sha256 == hashlib.sha256(pdf).hexdigest()
    recognition = issued.recognition
    assert (issued.institution_name, issued.institution_licence) == (
        "河口镇卫生院",
        world.institution_a.licence_number,
    )
    assert (issued.level, issued.cycle_year, issued.valid_until) == (
        recognition.level,
        2026,
        recognition.valid_until,
    )
    assert issued.issuing_body == "示范省卫生健康委员会"
    assert CODE.match(issued.verification_code)
    event = AuditEvent.objects.get(action="certificate.render")
    assert (event.actor, event.after["sha256"]) == (world.officer_province, issued.sha256)


def test_the_stored_pdf_holds_the_expected_chinese_text_and_an_embedded_font(world, record):
    issued = certificate_issue(actor=None, certificate=record)
    pdf = stored(issued)
    content = squash(text(pdf))
    level = {"qualified": "合格", "basic": "基本标准", "recommended": "推荐标准"}[issued.level]
    for expected in (
        "优质服务基层行",
        "证书",
        "河口镇卫生院",
        world.institution_a.licence_number,
        level,
        "示范省卫生健康委员会",
        issued.number,
        issued.verification_code,
        "2026年度",
    ):
        assert squash(expected) in content, expected
    assert all(font.embedded_truetype for font in fonts(pdf))


def test_the_qr_code_is_the_verification_url(world, record, settings):
    settings.ACCREDITATION = {**settings.ACCREDITATION, "PUBLIC_BASE_URL": "https://jc.example.cn/"}
    issued = certificate_issue(actor=None, certificate=record)
    url = f"https://jc.example.cn/verify/{issued.verification_code}/"
    assert verification_url(issued.verification_code) == url
    assert decode(matrix_from_pdf(stored(issued))) == url.encode("ascii")


def test_issue_is_idempotent(world, record):
    first = certificate_issue(actor=None, certificate=record)
    events = AuditEvent.objects.count()
    again = certificate_issue(actor=None, certificate=record)
    assert (again.sha256, again.file.name) == (first.sha256, first.file.name)
    assert AuditEvent.objects.count() == events
    assert CertificateRecord.objects.filter(recognition=record.recognition).count() == 1


@pytest.mark.parametrize("who", ["officer_other_city", "officer_city", "staff_a", "expert"])
def test_only_officers_over_the_issuing_region_issue(world, record, who):
    with pytest.raises(PermissionDenied):
        certificate_issue(actor=getattr(world, who), certificate=record)
    assert CertificateRecord.objects.get(pk=record.pk).sha256 == ""


def test_the_qr_code_verifies_the_certificate(world, record):
    issued = certificate_issue(actor=None, certificate=record)

    by_code = certificate_lookup(number=issued.verification_code)
    by_number = certificate_lookup(number=issued.number, code=issued.verification_code)

    for check in (by_code, by_number):
        assert (check.status, check.code_matches, check.number) == ("valid", True, issued.number)
        assert check.institution_name == "河口镇卫生院"
    typed = issued.verification_code.lower().replace("-", " ")
    assert certificate_lookup(number=issued.number, code=typed).code_matches is True


def test_the_verification_page_reached_by_the_qr_code(client, world, record):
    issued = certificate_issue(actor=None, certificate=record)
    response = client.get(reverse("web:verify_code", args=[issued.verification_code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "verify--valid" in body and "河口镇卫生院" in body
    assert 'id="code-check"' in body and "alert--success" in body


SIGNED = {
    "number": "JC-99-2026-T-99999",
    "institution_name": "冒名卫生院",
    "institution_licence": "FAKE-0001",
    "level": "qualified",
    "cycle_year": 2025,
    "issuing_body": "某某卫生健康委员会",
    "issue_date": dt.date(2026, 1, 2),
    "valid_until": dt.date(2040, 1, 1),
    "version": 7,
}


@pytest.mark.parametrize(("field", "value"), list(SIGNED.items()), ids=list(SIGNED))
def test_tampering_any_signed_field_of_the_stored_record_fails_verification(
    client, world, record, field, value
):
    issued = certificate_issue(actor=None, certificate=record)
    if field == "level" and issued.level == value:
        value = "basic"
    CertificateRecord.objects.filter(pk=issued.pk).update(**{field: value})

    check = certificate_lookup(number=issued.verification_code)

    assert check.status == "tampered"
    response = client.get(reverse("web:verify_code", args=[issued.verification_code]))
    body = response.content.decode()
    assert "verify--tampered" in body
    assert "冒名卫生院" not in body and "FAKE-0001" not in body


def test_tampering_the_code_itself_finds_nothing_or_fails(world, record):
    issued = certificate_issue(actor=None, certificate=record)
    CertificateRecord.objects.filter(pk=issued.pk).update(verification_code="0000-0000-0000-0000")
    assert certificate_lookup(number=issued.verification_code) is None
    assert certificate_lookup(number="0000-0000-0000-0000").status == "tampered"


def test_reissue_after_a_correction_supersedes_the_old_version(world, record):
    old = certificate_issue(actor=None, certificate=record)
    Institution.objects.filter(pk=world.institution_a.pk).update(name="河口镇中心卫生院")

    new = certificate_reissue(actor=world.officer_province, certificate=old, reason="机构更名")

    old.refresh_from_db()
    assert (old.status, new.status, new.version, new.supersedes_id) == (
        "superseded",
        "valid",
        2,
        old.pk,
    )
    assert new.number != old.number
    assert new.institution_name == "河口镇中心卫生院"
    assert old.institution_name == "河口镇卫生院"  # the old paper still says what it said
    assert "河口镇中心卫生院" in squash(text(stored(new)))
    assert stored(old)  # the old file stays
    previous = certificate_lookup(number=old.verification_code)
    assert (previous.status, previous.superseded_by) == ("superseded", new.number)
    assert certificate_lookup(number=new.verification_code).status == "valid"
    event = AuditEvent.objects.get(action="certificate.reissue")
    assert (event.note, event.before["number"]) == ("机构更名", old.number)


def test_reissue_needs_a_reason_and_a_valid_certificate(world, record):
    old = certificate_issue(actor=None, certificate=record)
    with pytest.raises(ValidationError):
        certificate_reissue(actor=world.officer_province, certificate=old, reason=" ")
    certificate_reissue(actor=world.officer_province, certificate=old, reason="更正")
    with pytest.raises(DomainError) as info:
        certificate_reissue(actor=world.officer_province, certificate=old, reason="再次更正")
    assert info.value.code == "certificate_not_valid"
    assert CertificateRecord.objects.filter(recognition=record.recognition).count() == 2


def test_revocation_shows_on_the_verification(world, record):
    issued = certificate_issue(actor=None, certificate=record)
    with transaction.atomic():
        recognition = Recognition.objects.select_for_update().get(pk=issued.recognition_id)
        recognition_change(
            actor=world.officer_province,
            recognition=recognition,
            action="revoke",
            reason="弄虚作假",
        )
    check = certificate_lookup(number=issued.verification_code)
    assert (check.status, check.revocation_reason) == ("revoked", "弄虚作假")
    with pytest.raises(DomainError):
        certificate_reissue(actor=world.officer_province, certificate=issued, reason="x")


def test_an_issued_certificate_expires(world, record):
    issued = certificate_issue(actor=None, certificate=record)
    later = issued.valid_until + dt.timedelta(days=1)
    assert certificate_lookup(number=issued.verification_code, on=later).status == "expired"
    assert certificate_lookup(number=issued.verification_code, on=issued.valid_until).status == (
        "valid"
    )


def test_a_superseded_or_revoked_record_is_not_issued(world, record):
    CertificateRecord.objects.filter(pk=record.pk).update(status="revoked")
    with pytest.raises(DomainError) as info:
        certificate_issue(actor=None, certificate=record)
    assert info.value.code == "certificate_not_valid"


def test_the_public_api_reports_a_tampered_record_without_its_data(client, world, record):
    issued = certificate_issue(actor=None, certificate=record)
    CertificateRecord.objects.filter(pk=issued.pk).update(institution_name="冒名卫生院")
    response = client.get(f"/api/v1/public/certificates/{issued.verification_code}/")
    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["institution_name"], body["number"]) == (
        "tampered",
        "",
        issued.number,
    )
