"""The statistical return and a challenge in a real browser: the officer imports a file
with a bad row (the problems table, nothing written), fixes it and imports; the
institution challenges a value; the county accepts it; the institution sees the new
value with its source."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accreditation.models import FactChallenge, InstitutionFact
from tests.accreditation.conftest import World
from tests.accreditation.facts.helpers import xlsx
from tests.accreditation.web.browser import DESKTOP, console_errors, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_challenge_and_accept_in_the_browser(chromium, live_server, world: World, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx(
            [
                [world.institution_a.licence_number, "河口镇卫生院", 30, 45, 32000],
                ["NOPE", "", "三十", 1, 1],
            ]
        )
    )
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([[world.institution_a.licence_number, "河口镇卫生院", 30, 45, 32000]]))

    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    sign_in(page, live_server.url, "officer_city")
    page.goto(f"{live_server.url}/facts/import/")
    page.set_input_files("#f-file", str(bad))
    page.fill("#f-year", "2026")
    page.click("#fact-import button[type=submit]")
    expect(page.locator("#import-errors")).to_contain_text("实有床位数")
    expect(page.locator("#import-errors tbody tr")).to_have_count(1)
    screenshot(page, "facts-01-import-problems")
    assert InstitutionFact.objects.count() == 0
    page.set_input_files("#f-file", str(good))
    page.fill("#f-year", "2026")
    page.click("#fact-import button[type=submit]")
    expect(page.locator("#import-result")).to_contain_text("新增 3 个值")
    context.close()

    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "staff_a")
    page.goto(f"{live_server.url}/institution/facts/")
    row = page.locator('tr[data-key="beds"]')
    expect(row.locator(".value")).to_have_text("30")
    row.locator('input[name="proposed_value"]').fill("32")
    row.locator('input[name="reason"]').fill("年中新增两张床位")
    row.locator("button").click()
    expect(page.locator(".messages")).to_contain_text("异议已提交")
    expect(page.locator('tr[data-key="beds"]')).to_contain_text("已提出异议")
    context.close()

    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "reviewer_a")
    page.goto(f"{live_server.url}/review/fact-challenges/")
    challenge = FactChallenge.objects.get()
    line = page.locator(f'tr[data-challenge="{challenge.pk}"]')
    expect(line).to_contain_text("年中新增两张床位")
    screenshot(page, "facts-02-challenge-queue")
    line.locator('input[name="comment"]').fill("已核实")
    line.locator('button[value="accept"]').click()
    expect(page.locator(".messages")).to_contain_text("已接受异议")
    context.close()

    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "staff_a")
    page.goto(f"{live_server.url}/institution/facts/")
    row = page.locator('tr[data-key="beds"]')
    expect(row.locator(".value")).to_have_text("32")
    expect(row).to_contain_text("已接受的异议")
    context.close()
    # The refused import answers 400 on purpose (the page with the problems table).
    assert [e for e in errors if "status of 400" not in e] == []
    assert len(errors) == 1
