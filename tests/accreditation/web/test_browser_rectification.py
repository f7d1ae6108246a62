"""Rectification (整改) in a real browser: the officer raises findings from the gap plan,
the institution submits a plan, the officer accepts it, the institution uploads
evidence of effect, the officer verifies it, and the finding shows closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accreditation.models import Finding
from tests.accreditation.conftest import World
from tests.accreditation.web.browser import DESKTOP, console_errors, screenshot, sign_in
from tests.files import PDF
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import at_decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(chromium, base: str, username: str):
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    sign_in(page, base, username)
    return context, page


def test_the_rectification_loop_in_the_browser(
    chromium,
    live_server,
    world: World,
    experts,  # noqa: F811
    tmp_path,
):
    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("C", "C"))
    base = live_server.url
    evidence = tmp_path / "培训签到表.pdf"
    evidence.write_bytes(PDF)
    errors: list[str] = []

    context, page = _page(chromium, base, "officer_province")
    errors += console_errors(page)
    page.goto(f"{base}/officer/decisions/")
    page.locator(f'tr[data-assessment="{world.assessment_a.pk}"] a[data-role="findings"]').click()
    expect(page.locator("#candidates tbody tr").first).to_be_visible()
    screenshot(page, "rectification-01-gap-plan")
    page.click("#raise-from-gap-plan")
    expect(page.locator(".messages")).to_contain_text("已根据差距清单提出")
    finding = Finding.objects.order_by("id").first()
    expect(page.locator(f'#finding-list tr[data-finding="{finding.pk}"]')).to_contain_text(
        "待提交整改计划"
    )
    context.close()

    context, page = _page(chromium, base, "staff_a")
    errors += console_errors(page)
    page.goto(f"{base}/institution/")
    page.click("#rectification a")
    page.locator(f'#finding-list tr[data-finding="{finding.pk}"] a').click()
    page.fill("#p-root-cause", "院感制度未及时修订")
    page.fill("#p-actions", "修订制度，全员培训并考核")
    page.fill("#p-owner", "王主任")
    page.fill("#p-due-on", (timezone.localdate() + dt.timedelta(days=20)).isoformat())
    page.click("#plan-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("整改计划已提交审核")
    expect(page.locator("#finding-status")).to_have_text("整改计划待审核")
    context.close()

    context, page = _page(chromium, base, "officer_province")
    errors += console_errors(page)
    page.goto(f"{base}/findings/{finding.pk}/")
    page.fill("#d-comment", "同意")
    page.click('#plan-decision-form button[value="accept"]')
    expect(page.locator("#finding-status")).to_have_text("整改中")
    context.close()

    context, page = _page(chromium, base, "staff_a")
    errors += console_errors(page)
    page.goto(f"{base}/findings/{finding.pk}/")
    page.fill("#e-description", "已完成全员培训，考核合格率 100%")
    page.set_input_files("#e-files", str(evidence))
    page.click("#evidence-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("整改佐证材料已提交")
    expect(page.locator('#evidence a[data-role="file"]')).to_have_text("培训签到表.pdf")
    context.close()

    context, page = _page(chromium, base, "officer_province")
    errors += console_errors(page)
    page.goto(f"{base}/findings/{finding.pk}/")
    page.click('#verification-form button[value="verify"]')
    expect(page.locator(".messages")).to_contain_text("已核实，问题已销号")
    expect(page.locator("#finding-status")).to_have_text("已核实销号")
    screenshot(page, "rectification-02-closed")
    page.goto(f"{base}/findings/?status=closed")
    expect(page.locator(f'#finding-list tr[data-finding="{finding.pk}"]')).to_contain_text(
        "已核实销号"
    )
    context.close()
    assert Finding.objects.get(pk=finding.pk).status == Finding.Status.CLOSED
    assert errors == []
