"""Journey 2 in a real browser: an expert grades beside the self-assessment and
submits; the panel lead consolidates, disagreements first, and completes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accreditation.models import Consolidation, ExpertItemGrade, ExpertReview
from accreditation.services.experts import expert_review_submit
from accreditation.services.panels import panel_assign
from tests.accreditation.conftest import World
from tests.accreditation.web.browser import DESKTOP, console_errors, screenshot, sign_in
from tests.workflows.conftest import Experts, experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import CODES, at_expert_review, grade_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _item(page, code: str):
    return page.locator(f'article.item[data-code="{code}"]')


def test_expert_grades_and_the_lead_consolidates(
    chromium,
    live_server,
    world: World,
    experts: Experts,  # noqa: F811
):
    assessment = world.assessment_a
    at_expert_review(world, assessment, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province,
        assessment=assessment,
        lead=experts.lead,
        members=[experts.member],
    )
    # The member has graded already; 1.1.2 they see differently.
    grade_all(experts.member, assessment, {**dict.fromkeys(CODES, "A"), "1.1.2": "C"})
    expert_review_submit(actor=experts.member, assessment=assessment)

    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    sign_in(page, live_server.url, "lead")
    expect(page).to_have_url(f"{live_server.url}/expert/")
    expect(page.locator("#expert-tasks")).to_contain_text(world.institution_a.name)
    page.click("#expert-tasks a.button")
    expect(page.locator("h1")).to_have_text(world.institution_a.name)

    # Grade beside the self-assessment: a finding typed before the grade waits for it.
    first = _item(page, "1.1.1")
    first.locator('[data-field="finding"]').fill("制度文件齐全，执行记录完整")
    expect(first.locator('[data-role="state"]')).to_have_text("请先选择等级再保存")
    first.locator('label[for="grade-1.1.1-A"]').click()
    first.locator('input[data-field="evidence_checked"]').first.check()
    expect(first.locator('[data-role="state"]')).to_have_text("已保存", timeout=10000)
    for code in CODES[1:]:
        _item(page, code).locator(f'label[for="grade-{code}-A"]').click()
        expect(_item(page, code).locator('[data-role="state"]')).to_have_text("已保存")
    expect(page.locator("#expert-count")).to_contain_text("6 / 6")
    screenshot(page, "30-expert-scoring")
    row = ExpertItemGrade.objects.get(review__expert=experts.lead, item_code="1.1.1")
    assert (row.grade, row.finding, len(row.evidence_checked)) == (
        "A",
        "制度文件齐全，执行记录完整",
        1,
    )

    page.click("#submit-form button")
    expect(page.locator(".messages")).to_contain_text("您的评审已提交")
    assert ExpertReview.objects.get(expert=experts.lead).submitted_at is not None

    # Both reviews are in: the consolidation lists the disagreement first.
    page.click('#expert-tasks a[href$="/consolidation/"]')
    expect(page.locator("h1")).to_contain_text("意见汇总")
    first_row = page.locator("table.consolidation tbody tr").first
    expect(first_row).to_have_id("row-1.1.2")
    expect(first_row).to_have_class("consolidation__disagree")
    screenshot(page, "31-consolidation")

    # Completing without a reason for the split item lists the problem.
    page.click('button[name="complete"]')
    expect(page.locator("#problems")).to_contain_text("1.1.2")
    page.select_option('select[name="final-1.1.2"]', "B")
    page.fill('input[name="reason-1.1.2"]', "现场核查后取中间等级")
    page.click('button[name="complete"]')
    expect(page.locator(".messages")).to_contain_text("意见汇总已完成")
    assert Consolidation.objects.get(assessment=assessment).status == "completed"
    assert errors == [] or all("422" in e or "409" in e for e in errors)
    context.close()
