"""A returned assessment in a real browser: the commented items stand out, the filter
finds them, and the corrected assessment is resubmitted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accreditation.models import Assessment
from accreditation.services.assessments import assessment_return
from accreditation.services.submission import assessment_submit
from tests.accreditation.conftest import World
from tests.accreditation.helpers import complete
from tests.accreditation.web.browser import DESKTOP, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_returned_items_are_highlighted_filtered_corrected_and_resubmitted(
    chromium, live_server, world: World
):
    complete(world.assessment_a, world.staff_a)
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    assessment_return(
        actor=world.reviewer_a,
        assessment=world.assessment_a,
        reason="部分佐证材料不完整，请补充后重新提交。",
        item_comments={"1.1.3": "请补充床位核定文件", "2.1.1": "诊疗记录不全"},
    )

    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "staff_a")
    expect(page.locator(".alert--warning")).to_contain_text("退回修改")
    page.click("text=继续自评")
    expect(page.locator("#returned")).to_contain_text("部分佐证材料不完整")
    returned = page.locator("article.item--returned")
    expect(returned).to_have_count(2)
    expect(returned.first).to_contain_text("请补充床位核定文件")
    screenshot(page, "08-checklist-returned")

    page.click('[data-filter="returned"]')
    expect(page.locator("article.item:visible")).to_have_count(2)
    page.click('[data-filter="all"]')
    expect(page.locator("article.item:visible")).to_have_count(6)

    item = page.locator('article.item[data-code="1.1.3"]')
    item.locator('label[for="grade-1.1.3-A"]').click()
    item.locator('[data-field="note"]').fill("已补充床位核定文件")
    expect(item.locator('[data-role="state"]')).to_have_text("已保存", timeout=10000)

    page.click("#submit-form button")
    expect(page.locator(".messages")).to_contain_text("自评已提交")
    assessment = Assessment.objects.get(pk=world.assessment_a.pk)
    assert assessment.status != "returned"
    assert assessment.snapshots.count() == 2
    frozen = assessment.snapshots.order_by("-sequence").first().data["grades"]["1.1.3"]
    assert (frozen["grade"], frozen["note"]) == ("A", "已补充床位核定文件")
    context.close()
