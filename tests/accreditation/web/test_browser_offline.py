"""The expert's offline scoring in Chromium with the network switched off and on:
twenty items graded offline survive a reload served by the service worker, are saved
exactly once when the connection returns, and the one item changed meanwhile on the
server is shown for merging, never overwritten; a closed tab loses nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accreditation.core.audit import AuditAction
from accreditation.models import Assessment, AuditEvent, ExpertItemGrade, ExpertPhoto
from accreditation.services.assessments import assessment_open
from accreditation.services.experts import expert_grade_save
from accreditation.services.panels import panel_assign
from tests import files
from tests.accreditation.conftest import World
from tests.accreditation.web.browser import console_errors, screenshot, sign_in
from tests.factories import make_cycle, make_edition
from tests.workflows.conftest import Experts, experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import at_expert_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
CODES = [f"{chapter}.1.{n}" for chapter in (1, 2) for n in range(1, 11)]
CHANGED = "2.1.5"


@pytest.fixture
def panel20(world: World, experts: Experts) -> Assessment:  # noqa: F811
    """Institution A's assessment of a 20-item edition at expert review, panel assigned
    (the lead grades in the browser)."""
    edition = make_edition(
        code="OFF-20",
        items=tuple((code, code[0], "basic", False, None, "") for code in CODES),
    )
    cycle = make_cycle(province=world.province, editions={"thc": edition}, year=2027)
    assessment = assessment_open(
        actor=world.staff_a, cycle=cycle, institution=world.institution_a, target_level="basic"
    )
    at_expert_review(world, assessment, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province,
        assessment=assessment,
        lead=experts.lead,
        members=[experts.member],
    )
    return assessment


def _item(page, code: str):
    return page.locator(f'article.item[data-code="{code}"]')


def _saves(experts: Experts, code: str) -> int:  # noqa: F811
    return AuditEvent.objects.filter(
        action=AuditAction.EXPERT_GRADE_SAVE, actor=experts.lead, note=code
    ).count()


def _row(experts: Experts, code: str) -> ExpertItemGrade:  # noqa: F811
    return ExpertItemGrade.objects.get(review__expert=experts.lead, item_code=code)


def _open_scoring(page, base: str, assessment: Assessment) -> None:
    page.goto(f"{base}/expert/assessments/{assessment.pk}/")
    expect(page.locator("h1")).to_have_text("河口镇卫生院")


def _written(page) -> None:
    """Every IndexedDB write of the page has committed."""
    expect(page.locator("html")).to_have_attribute("data-store-writes", "0")


def test_twenty_items_graded_offline_sync_once_with_the_changed_one_merged(
    chromium,
    live_server,
    world: World,
    panel20: Assessment,
    experts: Experts,  # noqa: F811
):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", service_workers="allow")
    page = context.new_page()
    errors = console_errors(page)
    sign_in(page, live_server.url, "lead")
    _open_scoring(page, live_server.url, panel20)
    # The service worker controls the page and the assigned pages are cached.
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1", timeout=20000)
    assert len(context.service_workers) == 1
    expect(page.locator("#sync-status")).to_have_attribute("data-state", "synced")

    context.set_offline(True)
    for code in CODES:
        item = _item(page, code)
        item.locator(f'label[for="grade-{code}-B"]').click()
        item.locator('[data-field="finding"]').fill(f"离线核查 {code}")
        item.locator('[data-field="onsite_note"]').fill(f"现场 {code}")
    status = page.locator("#sync-status")
    expect(status).to_have_attribute("data-pending", "20")
    expect(status).to_have_attribute("data-state", "offline")
    expect(status).to_have_text("离线：20 项修改已保存在本设备")
    _written(page)
    assert _saves(experts, CODES[0]) == 0

    # Reloaded without a network: the service worker serves the page, IndexedDB the values.
    page.reload()
    expect(page.locator("h1")).to_have_text("河口镇卫生院")
    expect(page.locator("#workspace")).to_have_attribute("data-restored", "1")
    for code in CODES:
        item = _item(page, code)
        expect(item.locator(f'[id="grade-{code}-B"]')).to_be_checked()
        expect(item.locator('[data-field="finding"]')).to_have_value(f"离线核查 {code}")
        expect(item.locator('[data-field="onsite_note"]')).to_have_value(f"现场 {code}")
    expect(status).to_have_attribute("data-pending", "20")
    screenshot(page, "60-offline-scoring")
    assert ExpertItemGrade.objects.filter(review__expert=experts.lead, grade="B").count() == 0

    # Meanwhile the expert's other device saved one item.
    expert_grade_save(
        actor=experts.lead,
        assessment=panel20,
        item_code=CHANGED,
        grade="C",
        finding="另一台设备上的记录",
        expected_version=None,  # the other device read it fresh
    )

    context.set_offline(False)
    expect(status).to_have_attribute("data-conflicts", "1", timeout=30000)
    expect(status).to_have_attribute("data-pending", "0", timeout=30000)
    changed = _item(page, CHANGED)
    expect(changed.locator('[data-role="state"]')).to_have_text("其他人修改了此条款")
    conflict = changed.locator('[data-role="conflict"]')
    expect(conflict.locator(".conflict__theirs").first).to_have_text("C")
    expect(conflict).to_contain_text("另一台设备上的记录")
    expect(conflict).to_contain_text(f"离线核查 {CHANGED}")
    screenshot(page, "61-offline-conflict")
    # Not overwritten while the conflict is open.
    assert _row(experts, CHANGED).finding == "另一台设备上的记录"

    conflict.locator('button[data-action="merge"]').click()
    expect(changed.locator('[data-role="state"]')).to_have_text("已保存", timeout=10000)
    expect(status).to_have_attribute("data-state", "synced")

    for code in CODES:
        row = _row(experts, code)
        if code == CHANGED:
            assert row.grade == "B"
            assert row.finding == f"另一台设备上的记录\n离线核查 {code}"
            assert row.onsite_note == f"现场 {code}"
            assert row.version == 3
            assert _saves(experts, code) == 2  # the other device's, then the merge
        else:
            assert (row.grade, row.finding, row.onsite_note) == (
                "B",
                f"离线核查 {code}",
                f"现场 {code}",
            )
            assert row.version == 2
            assert _saves(experts, code) == 1
    assert [e for e in errors if "Content Security Policy" in e] == []
    context.close()


def test_values_typed_offline_survive_a_closed_tab(
    chromium,
    live_server,
    world: World,
    panel20: Assessment,
    experts: Experts,  # noqa: F811
):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", service_workers="allow")
    page = context.new_page()
    sign_in(page, live_server.url, "lead")
    _open_scoring(page, live_server.url, panel20)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1", timeout=20000)

    context.set_offline(True)
    _item(page, "1.1.2").locator('label[for="grade-1.1.2-A"]').click()
    _item(page, "1.1.2").locator('[data-field="finding"]').fill("关门前写下的发现")
    _item(page, "2.1.1").locator('[data-field="onsite_note"]').fill("尚未评级的现场记录")
    _written(page)
    page.close(run_before_unload=False)
    context.set_offline(False)

    page = context.new_page()
    _open_scoring(page, live_server.url, panel20)
    expect(page.locator("#workspace")).to_have_attribute("data-restored", "1")
    first = _item(page, "1.1.2")
    expect(first.locator('[id="grade-1.1.2-A"]')).to_be_checked()
    expect(first.locator('[data-field="finding"]')).to_have_value("关门前写下的发现")
    expect(first.locator('[data-role="state"]')).to_have_text("已保存", timeout=15000)
    # Typed without a grade: kept on the device, waiting for one.
    second = _item(page, "2.1.1")
    expect(second.locator('[data-field="onsite_note"]')).to_have_value("尚未评级的现场记录")
    expect(second.locator('[data-role="state"]')).to_have_text("请先选择等级再保存")
    row = _row(experts, "1.1.2")
    assert (row.grade, row.finding, row.version) == ("A", "关门前写下的发现", 2)
    assert _saves(experts, "1.1.2") == 1
    assert _saves(experts, "2.1.1") == 0
    context.close()


def test_a_photo_taken_offline_is_queued_on_the_device_and_uploaded_when_possible(
    chromium,
    live_server,
    world: World,
    panel20: Assessment,
    experts: Experts,  # noqa: F811
):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", service_workers="allow")
    page = context.new_page()
    sign_in(page, live_server.url, "lead")
    _open_scoring(page, live_server.url, panel20)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1", timeout=20000)

    context.set_offline(True)
    item = _item(page, "1.1.3")
    item.locator('[data-role="photo"]').set_input_files(
        {"name": "现场.png", "mimeType": "image/png", "buffer": files.PNG}
    )
    photo = item.locator('[data-role="photos"] li')
    expect(photo).to_have_count(1)
    expect(photo).to_have_attribute("data-state", "queued")
    expect(photo).to_contain_text("照片已保存在本设备，联网后上传")
    status = page.locator("#sync-status")
    expect(status).to_have_attribute("data-pending", "1")
    _written(page)

    # Still queued after a reload without a network.
    page.reload()
    expect(_item(page, "1.1.3").locator('[data-role="photos"] li')).to_have_count(1)

    context.set_offline(False)
    photo = _item(page, "1.1.3").locator('[data-role="photos"] li')
    expect(photo).to_have_attribute("data-state", "uploaded", timeout=15000)
    expect(status).to_have_attribute("data-pending", "0")
    stored = ExpertPhoto.objects.select_related("evidence", "grade").get()
    assert stored.grade.item_code == "1.1.3" and stored.taken_by == experts.lead
    assert stored.evidence.size == len(files.PNG)
    # Reloading does not upload it again (the queue is empty, the server dedupes anyway).
    page.reload()
    expect(page.locator("#sync-status")).to_have_attribute("data-pending", "0")
    assert ExpertPhoto.objects.count() == 1
    context.close()
