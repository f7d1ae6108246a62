"""Autosave in a real browser when the connection drops: nothing typed is lost."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accreditation.models import ItemGrade
from accreditation.services.assessments import item_grade_save
from tests.accreditation.conftest import World
from tests.accreditation.web.browser import DESKTOP, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _item(page, code: str):
    return page.locator(f'article.item[data-code="{code}"]')


def _state(page, code: str):
    return _item(page, code).locator('[data-role="state"]')


def _row(world: World, code: str) -> ItemGrade:
    return ItemGrade.objects.get(assessment=world.assessment_a, item_code=code)


def _checklist(page, base: str, world: World) -> None:
    page.goto(f"{base}/institution/assessments/{world.assessment_a.pk}/")
    expect(page.locator("h1")).to_have_text("自评清单")


def test_a_save_made_offline_is_retried_when_the_connection_returns(
    chromium, live_server, world: World
):
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "staff_a")
    _checklist(page, live_server.url, world)

    context.set_offline(True)
    _item(page, "1.1.1").locator('label[for="grade-1.1.1-B"]').click()
    expect(_state(page, "1.1.1")).to_contain_text("网络连接中断")
    screenshot(page, "10-checklist-offline")
    assert _row(world, "1.1.1").grade == ""

    context.set_offline(False)
    expect(_state(page, "1.1.1")).to_have_text("已保存", timeout=15000)
    assert _row(world, "1.1.1").grade == "B"
    context.close()


def test_unsaved_values_survive_a_closed_tab_and_meet_later_changes_as_a_conflict(
    chromium, live_server, world: World
):
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "staff_a")
    _checklist(page, live_server.url, world)

    context.set_offline(True)
    _item(page, "1.1.2").locator('[data-field="note"]').fill("离线时写的备注")
    _item(page, "2.1.1").locator('label[for="grade-2.1.1-C"]').click()
    expect(_state(page, "1.1.2")).to_contain_text("网络连接中断")
    expect(_state(page, "2.1.1")).to_contain_text("网络连接中断")
    page.close(run_before_unload=False)
    context.set_offline(False)

    # A colleague changes 2.1.1 meanwhile.
    row = _row(world, "2.1.1")
    item_grade_save(
        actor=world.staff_a2,
        assessment=world.assessment_a,
        item_code="2.1.1",
        expected_version=row.version,
        grade="A",
    )

    page = context.new_page()
    _checklist(page, live_server.url, world)
    # 1.1.2 was untouched by others: restored and saved at once.
    expect(_state(page, "1.1.2")).to_have_text("已保存", timeout=10000)
    expect(_item(page, "1.1.2").locator('[data-field="note"]')).to_have_value("离线时写的备注")
    assert _row(world, "1.1.2").note == "离线时写的备注"
    # 2.1.1 changed since: the person chooses.
    conflict = _item(page, "2.1.1").locator('[data-role="conflict"]')
    expect(conflict).to_be_visible()
    expect(conflict.locator(".conflict__theirs").first).to_have_text("A")
    expect(conflict.locator(".conflict__mine").first).to_have_text("C")
    screenshot(page, "11-checklist-restored-conflict")
    conflict.get_by_role("button", name="采用对方的").click()
    expect(conflict).to_be_hidden()
    expect(_item(page, "2.1.1").locator("#grade-2\\.1\\.1-A")).to_be_checked()
    assert _row(world, "2.1.1").grade == "A"

    # Nothing is left to restore on the next visit.
    page.reload()
    expect(_item(page, "2.1.1").locator('[data-role="conflict"]')).to_be_hidden()
    expect(_state(page, "1.1.2")).to_have_text("")
    context.close()


def test_next_item_to_grade_moves_focus_down_the_list(chromium, live_server, world: World):
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "staff_a")
    _checklist(page, live_server.url, world)
    focused_item = "document.activeElement.closest('article.item').dataset.code"

    page.click("[data-next-ungraded]")
    assert page.evaluate(focused_item) == "1.1.1"
    _item(page, "1.1.1").locator('label[for="grade-1.1.1-C"]').click()
    expect(_state(page, "1.1.1")).to_have_text("已保存")
    page.click("[data-next-ungraded]")
    assert page.evaluate(focused_item) == "1.1.2"
    context.close()
