"""Journey 3 in a real browser: an officer reads the dashboard, decides, publishes the
notice, closes it, and the certificate is verified on the public page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accreditation.models import Assessment, CertificateRecord
from accreditation.services.consolidation import consolidation_complete
from tests.accreditation.conftest import World
from tests.accreditation.web.browser import DESKTOP, console_errors, screenshot, sign_in
from tests.workflows.conftest import Experts, experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import at_consolidation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_decides_publishes_recognises_and_the_certificate_verifies(
    chromium,
    live_server,
    world: World,
    experts: Experts,  # noqa: F811
):
    at_consolidation(world, experts, world.assessment_a, world.officer_province)
    consolidation_complete(actor=experts.lead, assessment=world.assessment_a)

    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    sign_in(page, live_server.url, "officer_province")
    expect(page).to_have_url(f"{live_server.url}/commission/")
    expect(page.locator("h1")).to_have_text(world.province.name)
    expect(page.locator("svg.chart")).to_have_count(3)
    screenshot(page, "40-commission-dashboard")

    page.click("nav.subnav >> text=我的待办")
    expect(page.locator("#officer-tasks")).to_contain_text(world.institution_a.name)
    page.click("#officer-tasks a.button")
    expect(page.locator("#result")).to_be_visible()
    screenshot(page, "41-commission-case")
    page.click("#decide button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("决定已记录")
    assert Assessment.objects.get(pk=world.assessment_a.pk).status == "decided"

    page.click("nav.subnav >> text=公示")
    page.check(f'input[name="assessments"][value="{world.assessment_a.pk}"]')
    page.fill("#notice-number", "示卫公示〔2026〕8号")
    page.fill("#notice-title", "2026年优质服务基层行拟认定名单")
    started = timezone.localdate() - dt.timedelta(days=8)
    page.fill("#notice-start", started.isoformat())
    page.click("#open-notice button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("公示已发布")
    expect(page.locator("#entries")).to_contain_text(world.institution_a.name)
    screenshot(page, "42-public-notice")
    page.click("#close-notice button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("名单中的机构已获认定")
    assert Assessment.objects.get(pk=world.assessment_a.pk).status == "recognised"

    page.click("nav.subnav >> text=认定名单")
    certificate = CertificateRecord.objects.get()
    expect(page.locator("#recognitions")).to_contain_text(certificate.number)
    screenshot(page, "43-recognitions")

    # The public verification page, from the link the QR code carries.
    public = chromium.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/verify/{certificate.number}/")
    expect(public.locator(".verify__badge")).to_have_text("证书有效")
    expect(public.locator(".facts")).to_contain_text(world.institution_a.name)
    screenshot(public, "44-verify-issued-certificate")
    assert errors == [] or all("409" in e or "422" in e for e in errors)
    context.close()
