"""The public verification page against real certificate records: valid, expired,
revoked and superseded, by number, with and without the printed code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from accreditation.models import CertificateRecord, Recognition
from accreditation.pdf.verification import certificate_code
from accreditation.selectors.certificates import (
    certificate_fields,
    certificate_lookup,
    certificate_secret,
)
from accreditation.services.recognitions import certificate_record_issue, recognition_change
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import recognise_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(world, experts):  # noqa: F811
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [(world.assessment_a, world.staff_a, world.reviewer_a, "A")],
    )
    return CertificateRecord.objects.select_related(
        "recognition__institution", "recognition__cycle"
    ).get(recognition__assessment=world.assessment_a)


def _page(client, number: str, code: str = ""):
    url = reverse("web:verify_code", args=[number])
    return client.get(url, {"code": code} if code else {})


def test_a_valid_certificate_shows_its_fields(client, certificate, world):
    response = _page(client, certificate.number)
    body = response.content.decode()
    assert response.status_code == 200
    assert "证书有效" in body
    assert "verify--valid" in body
    assert certificate.number in body
    assert world.institution_a.name in body
    assert world.institution_a.licence_number in body
    assert certificate.recognition.issuing_body in body
    assert certificate.recognition.valid_until.isoformat() in body
    assert "推荐标准" in body or "基本标准" in body


def test_the_number_is_found_whatever_the_case(client, certificate):
    assert _page(client, certificate.number.lower()).status_code == 200


def test_the_printed_code_is_checked(client, certificate):
    code = certificate_code(certificate_fields(certificate), certificate_secret())
    body = _page(client, certificate.number, code.lower().replace("-", " ")).content.decode()
    assert 'id="code-check"' in body and "真实" in body
    body = _page(client, certificate.number, "0000-0000-0000-0000").content.decode()
    assert "查验码与此证书不符" in body


def test_an_expired_certificate(certificate):
    later = certificate.recognition.valid_until + dt.timedelta(days=1)
    check = certificate_lookup(number=certificate.number, on=later)
    assert check.status == "expired"


def test_an_expired_certificate_page(client, certificate):
    Recognition.objects.filter(pk=certificate.recognition_id).update(
        valid_until=dt.date(2020, 1, 1)
    )
    CertificateRecord.objects.filter(pk=certificate.pk).update(
        issued_at=dt.datetime(2017, 1, 1, tzinfo=dt.UTC)
    )
    body = _page(client, certificate.number).content.decode()
    assert "证书已过期" in body
    assert "2020-01-01" in body


def test_a_revoked_certificate_shows_when_and_why(client, certificate, world):
    with transaction.atomic():
        recognition = Recognition.objects.select_for_update().get(pk=certificate.recognition_id)
        recognition_change(
            actor=world.officer_province,
            recognition=recognition,
            action="revoke",
            reason="回头看发现弄虚作假",
        )
    body = _page(client, certificate.number).content.decode()
    assert "证书已撤销" in body
    assert "回头看发现弄虚作假" in body


def test_a_superseded_certificate_names_its_replacement(client, certificate, world):
    with transaction.atomic():
        reissued = certificate_record_issue(
            actor=world.officer_province,
            recognition=certificate.recognition,
            supersedes=certificate,
        )
    body = _page(client, certificate.number).content.decode()
    assert "证书已被替换" in body
    assert reissued.number in body
    assert "证书有效" in _page(client, reissued.number).content.decode()


def test_an_unknown_number_is_a_404_with_the_form(client, db):
    response = _page(client, "JC-99-2026-J-99999")
    assert response.status_code == 404
    body = response.content.decode()
    assert "查无此证书" in body
    assert 'name="number"' in body


def test_a_malformed_number_is_not_looked_up(client, db):
    assert _page(client, "<script>").status_code == 404


def test_the_form_redirects_to_the_result(client, db):
    response = client.get(reverse("web:verify"), {"number": " jc-44-2026-j-00001 ", "code": "AB"})
    assert response.status_code == 302
    assert response.url == reverse("web:verify_code", args=["JC-44-2026-J-00001"]) + "?code=AB"


def test_the_form_refuses_a_malformed_number(client, db):
    response = client.get(reverse("web:verify"), {"number": "JC 44/2026"})
    assert response.status_code == 200
    assert "field__error" in response.content.decode()


def test_code_checks_are_limited_per_address(client, certificate, settings):
    settings.ACCREDITATION = {**settings.ACCREDITATION, "VERIFY_CODE_CHECKS_PER_HOUR": 2}
    from django.core.cache import cache

    cache.clear()
    for _ in range(2):
        assert _page(client, certificate.number, "AAAA").status_code == 200
    response = _page(client, certificate.number, "AAAA")
    assert response.status_code == 429
    body = response.content.decode()
    assert 'id="code-check"' not in body
    assert certificate.number in body
    # Looking a number up without a code is not limited.
    assert _page(client, certificate.number).status_code == 200
