"""The public verification page in a real browser: the QR link and the typed form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accreditation.models import CertificateRecord
from accreditation.pdf.verification import certificate_code
from accreditation.selectors.certificates import certificate_fields, certificate_secret
from tests.accreditation.web.browser import DESKTOP, TABLET, screenshot
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import recognise_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_certificate_is_verified_by_its_qr_link_and_by_typing(
    chromium,
    live_server,
    world,
    experts,  # noqa: F811
):
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [(world.assessment_a, world.staff_a, world.reviewer_a, "A")],
    )
    record = CertificateRecord.objects.select_related(
        "recognition__institution", "recognition__cycle"
    ).get(recognition__assessment=world.assessment_a)
    code = certificate_code(certificate_fields(record), certificate_secret())

    context = chromium.new_context(viewport=TABLET, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/verify/{record.number}/?code={code}")
    expect(page.locator(".verify__badge")).to_have_text("证书有效")
    expect(page.locator("#code-check")).to_contain_text("真实")
    expect(page.locator(".facts")).to_contain_text(world.institution_a.name)
    screenshot(page, "20-verify-valid-tablet")

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/verify/")
    page.fill("#id_number", record.number.lower())
    page.fill("#id_code", "0000-0000-0000-0000")
    page.click("form.form button[type=submit]")
    expect(page.locator(".verify__badge")).to_have_text("证书有效")
    expect(page.locator("#code-check")).to_contain_text("不符")
    screenshot(page, "21-verify-code-mismatch")

    page.goto(f"{live_server.url}/verify/JC-00-2000-J-00000/")
    expect(page.locator(".verify__badge")).to_have_text("查无此证书")
    context.close()
