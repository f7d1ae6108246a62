"""Journey 3 in a real browser: a provincial officer signs in and lands on the region
dashboard, decides an assessment whose review was completed through the services, opens
a public notice (its window already over, dated in the past), closes it, issues its
certificates in a background batch, finds the recognition with its certificate number
and checks it on the public verification page, which an anonymous visitor sees too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accreditation.models import Assessment, CertificateRecord, Decision, PublicNotice, Recognition
from tests.accreditation.conftest import World
from tests.accreditation.web.browser import DESKTOP, console_errors, screenshot, sign_in
from tests.accreditation.web.officer_setup import awaiting_decision
from tests.workflows.conftest import Experts, experts  # noqa: F401 - shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_decides_publishes_and_a_certificate_is_verified(
    chromium,
    live_server,
    world: World,
    experts: Experts,  # noqa: F811
):
    a = world.assessment_a
    awaiting_decision(world, experts, a, world.staff_a, world.reviewer_a)
    base = live_server.url
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)

    # Sign in through the real form: an officer lands on the dashboard.
    sign_in(page, base, "officer_province")
    expect(page).to_have_url(f"{base}/officer/")
    expect(page.locator("h1")).to_contain_text(world.province.name)
    expect(page.locator("#count-decisions")).to_have_text("1")
    expect(page.locator("#chart-standard-figure svg .chart__target")).to_have_count(1)
    expect(page.locator('#region-table tr[data-region="990100"]')).to_contain_text(world.city.name)
    screenshot(page, "40-officer-dashboard")

    # The decision, reached from the dashboard's count: the computed level with its
    # agreement, confirmed.
    page.click("#count-decisions")
    row = page.locator(f'#decision-list tr[data-assessment="{a.pk}"]')
    expect(row).to_contain_text(world.institution_a.name)
    expect(row.locator('[data-role="computed"]')).to_have_class("level--recommended")
    screenshot(page, "41-officer-decisions")
    row.locator('button[name="one"]').click()
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("已记录 1 项决定")
    expect(page.locator("#decision-list")).to_have_count(0)
    assert Decision.objects.get(assessment=a).decided_level == "recommended"
    assert Assessment.objects.get(pk=a.pk).status == "decided"

    # The public notice, dated so that its window is already over.
    page.click('.officer-nav a[href="/officer/notices/"]')
    group = page.locator(f'#to-publish form.notice-group[data-region="{world.province.code}"]')
    expect(group).to_contain_text(world.institution_a.name)
    starts_on = timezone.localdate() - dt.timedelta(days=8)
    group.locator('input[type="date"]').fill(starts_on.isoformat())
    group.locator('input[name$="document_number"]').fill("示卫公示〔2026〕5号")
    group.locator('input[name$="title"]').fill("2026年推荐标准拟认定名单公示")
    screenshot(page, "42-officer-notice-form")
    group.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("示卫公示〔2026〕5号")
    expect(page.locator(".messages")).to_contain_text("示卫公示〔2026〕5号")
    expect(page.locator("#notice-status")).to_have_class("status status--open")
    screenshot(page, "43-officer-notice-open")

    page.click("#close-notice")
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("名单中的机构已获认定")
    expect(page.locator("#notice-status")).to_have_class("status status--closed")
    expect(page.locator('#entries [data-role="entry-status"]')).to_have_class(
        "status status--recognised"
    )
    notice = PublicNotice.objects.get()
    assert (notice.status, notice.starts_on) == ("closed", starts_on)
    assert Assessment.objects.get(pk=a.pk).status == "recognised"
    # The notice's certificates, issued by a background batch.
    page.click("#issue-certificates")
    expect(page.locator("#batch-status .status")).to_have_class("status status--completed")
    screenshot(page, "44-officer-notice-closed")

    # The recognition, with its certificate number, and its public verification.
    recognition = Recognition.objects.get(assessment=a)
    record = CertificateRecord.objects.get(recognition=recognition)
    assert len(record.sha256) == 64
    number = record.number
    page.click('.officer-nav a[href="/officer/recognitions/"]')
    listed = page.locator(f'#recognition-list tr[data-recognition="{recognition.pk}"]')
    expect(listed).to_contain_text(world.institution_a.name)
    expect(listed.locator(f'[data-certificate="{number}"]')).to_be_visible()
    screenshot(page, "45-officer-recognitions")
    listed.locator('a[data-role="verify"]').click()
    expect(page).to_have_url(f"{base}/verify/{number}/")
    expect(page.locator(".verify--valid .verify__badge")).to_have_text("证书有效")
    expect(page.locator(".facts")).to_contain_text(world.institution_a.name)
    screenshot(page, "46-officer-certificate-verified")

    # The same page for an anonymous visitor (the link the certificate's QR code carries).
    public = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    visitor = public.new_page()
    visitor_errors = console_errors(visitor)
    visitor.goto(f"{base}/verify/{number}/")
    expect(visitor.locator(".verify--valid .verify__badge")).to_have_text("证书有效")
    expect(visitor.locator(".facts")).to_contain_text(world.institution_a.name)

    assert errors == []
    assert visitor_errors == []
    public.close()
    context.close()
