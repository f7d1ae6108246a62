"""Continuity in a real browser: a new cycle opened from last cycle's accepted grading,
proposals confirmed one by one, by changing them and all at once; an attachment's dates
corrected on the checklist, a bad correction refused in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accreditation.models import Assessment, EvidenceAttachment, ItemGrade
from accreditation.services.assessments import assessment_open
from accreditation.services.evidence import evidence_upload
from tests import files
from tests.accreditation.conftest import World
from tests.accreditation.web.browser import DESKTOP, console_errors, screenshot, sign_in
from tests.files import upload
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import CODES, next_cycle, recognise_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _item(page, code: str):
    return page.locator(f'article.item[data-code="{code}"]')


def _carry(assessment: Assessment) -> dict[str, str]:
    return dict(ItemGrade.objects.filter(assessment=assessment).values_list("item_code", "carry"))


@pytest.fixture
def next_year(world: World, experts):  # noqa: F811
    """Institution A's assessment recognised at A throughout; next year's cycle open."""
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [(world.assessment_a, world.staff_a, world.reviewer_a, "A")],
    )
    return next_cycle(world)


def test_a_new_cycle_starts_from_last_cycles_grading_and_is_confirmed(
    chromium, live_server, world: World, next_year
):
    cycle = next_year
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    sign_in(page, live_server.url, "staff_a")
    page.goto(f"{live_server.url}/institution/")
    expect(page.locator("#carry-forward")).to_be_checked()
    page.locator(f'form[action$="/cycles/{cycle.pk}/open/"] button[type=submit]').click()
    page.wait_for_load_state()
    opened = Assessment.objects.get(cycle=cycle, institution=world.institution_a)
    assert opened.carried_from_id == world.assessment_a.pk
    page.goto(f"{live_server.url}/institution/assessments/{opened.pk}/")
    expect(page.locator('[data-carry="proposed"]')).to_have_count(len(CODES))
    count = page.locator('#carried-proposed [data-role="carried-count"]')
    expect(count).to_have_text(str(len(CODES)))
    screenshot(page, "60-checklist-carried")

    # One proposal confirmed as it stands: its badge goes, the grade stays.
    first, second = CODES[0], CODES[1]
    _item(page, first).locator('[data-role="confirm-carry"]').click()
    expect(_item(page, first).locator('[data-role="state"]')).to_have_text("已保存")
    expect(_item(page, first).locator('[data-carry="proposed"]')).to_have_count(0)
    # Another changed: the staff's own grade now.
    _item(page, second).locator(f'label[for="grade-{second}-B"]').click()
    expect(_item(page, second).locator('[data-role="state"]')).to_have_text("已保存")
    expect(_item(page, second).locator('[data-carry="proposed"]')).to_have_count(0)
    carry = _carry(opened)
    assert carry[first] == carry[second] == ItemGrade.Carry.CONFIRMED
    assert ItemGrade.objects.get(assessment=opened, item_code=first).grade == "A"
    assert ItemGrade.objects.get(assessment=opened, item_code=second).grade == "B"
    assert sum(v == ItemGrade.Carry.PROPOSED for v in carry.values()) == len(CODES) - 2
    expect(count).to_have_text(str(len(CODES) - 2))

    # The rest at once.
    page.locator("#carried form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator('[data-carry="proposed"]')).to_have_count(0)
    expect(page.locator("#carried-proposed")).to_have_count(0)
    assert set(_carry(opened).values()) == {ItemGrade.Carry.CONFIRMED}
    assert errors == []
    context.close()


def test_an_attachments_dates_are_corrected_on_the_checklist(chromium, live_server, world: World):
    (row,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "执业许可证.pdf"),
        effective_on=dt.date(2025, 3, 1),
    )
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    sign_in(page, live_server.url, "staff_a")
    page.goto(f"{live_server.url}/institution/assessments/{world.assessment_a.pk}/")
    item = _item(page, "1.1.1")
    editor = item.locator('[data-role="dates-edit"]')
    editor.locator("summary").click()

    # An expiry before the effective date: refused in words, nothing stored.
    editor.locator('[data-dates-field="expires_on"]').fill("2025-01-01")
    editor.locator("[data-dates-url]").click()
    expect(item).to_have_attribute("data-state", "error")
    expect(item.locator('[data-role="state"]')).not_to_have_text("")
    assert EvidenceAttachment.objects.get(pk=row.pk).expires_on is None

    # A past expiry: stored, and the file is flagged expired at once.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    editor.locator('[data-dates-field="expires_on"]').fill(yesterday.isoformat())
    editor.locator("[data-dates-url]").click()
    expect(item.locator('[data-expiry="expired"]')).to_be_visible()
    stored = EvidenceAttachment.objects.get(pk=row.pk)
    assert (stored.effective_on, stored.expires_on) == (dt.date(2025, 3, 1), yesterday)
    screenshot(page, "61-checklist-dates-corrected")
    # The refusal's 400 is logged by the browser; nothing else went wrong.
    assert [e for e in errors if "status of 400" not in e] == []
    context.close()


def test_the_banner_goes_with_the_last_proposal_confirmed(
    chromium, live_server, world: World, next_year
):
    opened = assessment_open(
        actor=world.staff_a,
        cycle=next_year,
        institution=world.institution_a,
        target_level="basic",
        carry_forward=True,
    )
    ItemGrade.objects.filter(assessment=opened).exclude(item_code=CODES[0]).update(
        carry=ItemGrade.Carry.CONFIRMED
    )
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "staff_a")
    page.goto(f"{live_server.url}/institution/assessments/{opened.pk}/")
    expect(page.locator("#carried-proposed")).to_be_visible()
    _item(page, CODES[0]).locator('[data-role="confirm-carry"]').click()
    expect(page.locator("#carried-proposed")).to_be_hidden()
    assert _carry(opened)[CODES[0]] == ItemGrade.Carry.CONFIRMED
    context.close()
