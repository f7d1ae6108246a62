"""Journey 3 in a real browser, on the officer's pages: an officer reads the
dashboard, decides, opens the public notice, closes it, and the certificate issued
with the recognition is verified on the public page."""

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
    expect(page).to_have_url(f"{live_server.url}/officer/")
    expect(page.locator("h1")).to_contain_text(world.province.name)
    expect(page.locator("#count-decisions")).to_have_text("1")
    screenshot(page, "40-officer-dashboard")

    page.click("#count-decisions")
    row = page.locator(f'#decision-list tr[data-assessment="{world.assessment_a.pk}"]')
    expect(row).to_contain_text(world.institution_a.name)
    screenshot(page, "41-officer-decisions")
    row.locator('button[name="one"]').click()
    expect(page.locator(".messages")).to_contain_text("已记录 1 项决定")
    assert Assessment.objects.get(pk=world.assessment_a.pk).status == "decided"

    page.goto(f"{live_server.url}/officer/notices/")
    group = page.locator("#to-publish form.notice-group").first
    expect(group).to_contain_text(world.institution_a.name)
    started = timezone.localdate() - dt.timedelta(days=8)
    group.locator('input[name$="-starts_on"]').fill(started.isoformat())
    group.locator('input[name$="-document_number"]').fill("示卫公示〔2026〕8号")
    group.locator('input[name$="-title"]').fill("2026年优质服务基层行拟认定名单")
    group.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("示卫公示〔2026〕8号")
    screenshot(page, "42-officer-notice")
    page.click("#close-notice")
    expect(page.locator(".messages")).to_contain_text("名单中的机构已获认定")
    assert Assessment.objects.get(pk=world.assessment_a.pk).status == "recognised"

    # The public verification page, from the link the certificate's QR code carries.
    certificate = CertificateRecord.objects.get()
    public = chromium.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/verify/{certificate.number}/")
    expect(public.locator(".verify__badge")).to_have_text("证书有效")
    expect(public.locator(".facts")).to_contain_text(world.institution_a.name)
    screenshot(public, "43-verify-issued-certificate")
    assert errors == [] or all("409" in e or "422" in e for e in errors)
    context.close()
