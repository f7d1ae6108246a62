"""Rectification (整改) in the pages: the findings list for every role, the finding page
with the forms each viewer may use, refusals that write nothing, the loop plan →
accept → evidence → verify through POSTs, the assessment's findings with the gap plan,
the dashboard's figures and action plans, and look-backs requiring rectification."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accreditation.models import (
    AuditEvent,
    Finding,
    LookBack,
    RectificationEvidence,
    RectificationFile,
    RectificationPlan,
)
from accreditation.services.consistency import consistency_rescore_record
from accreditation.services.findings import (
    finding_withdraw,
    findings_from_gap_plan,
    plan_accept,
    plan_submit,
)
from accreditation.services.notices import objection_resolve
from tests.accreditation.web.officer_pages.helpers import messages
from tests.accreditation.web.officer_setup import checked, on_notice, recognised, with_objection
from tests.factories import make_cycle
from tests.files import PDF
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import CODES, at_decision

pytestmark = pytest.mark.django_db
Status = Finding.Status


def _future(days: int = 20) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _counts() -> tuple[int, ...]:
    return (
        Finding.objects.count(),
        RectificationPlan.objects.count(),
        RectificationEvidence.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def below_target(world, experts):  # noqa: F811
    """Institution A's assessment consolidated at C throughout: below its target."""
    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("C", "C"))
    return world.assessment_a


@pytest.fixture
def finding(world, below_target) -> Finding:
    return findings_from_gap_plan(actor=world.officer_province, assessment=below_target)[0]


def _page(client, user, finding):
    client.force_login(user)
    return client.get(reverse("web:finding", args=[finding.pk]))


def _plan(client, finding, **kw):
    data = {
        "step": "plan",
        "root_cause": "制度未落实",
        "actions": "修订制度并培训",
        "owner": "王主任",
        "due_on": _future(),
    }
    return client.post(reverse("web:finding", args=[finding.pk]), data | kw)


# --- The list ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("staff_a", True),
        ("staff_b", False),
        ("reviewer_a", True),
        ("reviewer_b", False),
        ("officer_city", True),
        ("officer_other_city", False),
        ("officer_national", True),
    ],
)
def test_the_list_shows_the_findings_in_the_viewers_scope(client, world, finding, who, sees):
    client.force_login(getattr(world, who))
    response = client.get(reverse("web:findings"))
    assert response.status_code == 200
    ids = [row["finding"].pk for row in response.context["rows"]]
    assert (finding.pk in ids) is sees


def test_the_list_filters_by_status_source_and_overdue_and_flags_overdue_in_words(
    client, world, finding
):
    Finding.objects.filter(pk=finding.pk).update(due_on=timezone.localdate() - dt.timedelta(3))
    client.force_login(world.officer_province)
    url = reverse("web:findings")
    overdue = client.get(url, {"overdue": "1"})
    assert [r["finding"].pk for r in overdue.context["rows"]] == [finding.pk]
    assert "逾期 3 天" in overdue.content.decode()
    assert 'data-role="overdue"' in overdue.content.decode()
    assert client.get(url, {"status": "closed"}).context["rows"] == []
    assert client.get(url, {"source": "county"}).context["rows"] == []
    panel = client.get(url, {"source": "panel"}).context["rows"]
    assert len(panel) == Finding.objects.count()


def test_the_expert_lead_sees_the_findings_of_the_assessment(client, world, experts, finding):  # noqa: F811
    client.force_login(experts.lead)
    response = client.get(reverse("web:findings"))
    assert finding.pk in [row["finding"].pk for row in response.context["rows"]]


def test_anonymous_visitors_are_sent_to_sign_in(client, finding):
    for url in (
        reverse("web:findings"),
        reverse("web:finding", args=[finding.pk]),
        reverse("web:assessment_findings", args=[finding.assessment_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- One finding ---------------------------------------------------------------------


def test_outsiders_get_404_and_change_nothing(client, world, finding):
    before = _counts()
    for who in ("staff_b", "reviewer_b", "officer_other_city"):
        client.force_login(getattr(world, who))
        assert client.get(reverse("web:finding", args=[finding.pk])).status_code == 404
        assert _plan(client, finding).status_code == 404
    assert _counts() == before


def test_each_role_sees_the_forms_it_may_use_while_open(client, world, finding):
    staff = _page(client, world.staff_a, finding).context["forms"]
    assert staff == {
        "plan": True,
        "evidence": False,
        "plan_decision": False,
        "verification": False,
        "withdraw": False,
    }
    officer = _page(client, world.officer_province, finding)
    assert officer.context["forms"]["withdraw"] and not officer.context["forms"]["plan"]
    assert 'id="plan-form"' not in officer.content.decode()
    # The county reviewer did not raise it: nothing to decide.
    reviewer = _page(client, world.reviewer_a, finding).context["forms"]
    assert not any(reviewer.values())


def test_a_plan_without_owner_shows_the_field_message_and_writes_nothing(client, world, finding):
    client.force_login(world.staff_a)
    before = _counts()
    response = _plan(client, finding, owner="")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-error="owner"' in page
    assert "请填写责任人" in page or response.context["errors"]["owner"]
    assert response.context["typed"]["root_cause"] == "制度未落实"  # kept as typed
    assert _counts() == before
    assert Finding.objects.get(pk=finding.pk).status == Status.OPEN


def test_the_decider_flow_accept_evidence_verify_closes_the_finding(client, world, finding):
    url = reverse("web:finding", args=[finding.pk])
    client.force_login(world.staff_a)
    assert _plan(client, finding).status_code == 302
    assert Finding.objects.get(pk=finding.pk).status == Status.PLAN_SUBMITTED

    client.force_login(world.officer_province)
    response = client.post(url, {"step": "accept", "comment": "同意"}, follow=True)
    assert Finding.objects.get(pk=finding.pk).status == Status.PLAN_ACCEPTED
    assert messages(response)[-1] == "整改计划已通过，机构开始整改。"

    client.force_login(world.staff_a)
    assert _page(client, world.staff_a, finding).context["forms"]["evidence"]
    files = [SimpleUploadedFile("培训签到表.pdf", PDF), SimpleUploadedFile("制度.pdf", PDF + b"2")]
    response = client.post(url, {"step": "evidence", "description": "已完成培训", "files": files})
    assert response.status_code == 302
    assert Finding.objects.get(pk=finding.pk).status == Status.EVIDENCE_SUBMITTED
    names = sorted(RectificationFile.objects.values_list("name", flat=True))
    assert names == ["制度.pdf", "培训签到表.pdf"]

    client.force_login(world.officer_province)
    page = client.get(url)
    assert page.context["forms"]["verification"]
    file = RectificationFile.objects.order_by("id").first()
    download = client.get(reverse("web:rectification_file", args=[file.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    response = client.post(url, {"step": "verify", "comment": ""}, follow=True)
    closed = Finding.objects.get(pk=finding.pk)
    assert closed.status == Status.CLOSED and closed.closed_at is not None
    assert 'id="finding-status">已核实销号' in response.content.decode()
    assert not any(response.context["forms"].values())


def test_returning_a_plan_needs_a_comment_and_writes_nothing_without(client, world, finding):
    plan_submit(
        actor=world.staff_a,
        finding=finding,
        root_cause="原因",
        actions="措施",
        owner="李医生",
        due_on=_future(),
    )
    client.force_login(world.officer_province)
    url = reverse("web:finding", args=[finding.pk])
    before = _counts()
    response = client.post(url, {"step": "return", "comment": " "})
    assert response.status_code == 400 and 'data-error="comment"' in response.content.decode()
    assert _counts() == before
    client.post(url, {"step": "return", "comment": "原因分析不到位"})
    assert Finding.objects.get(pk=finding.pk).status == Status.OPEN
    assert RectificationPlan.objects.get().outcome == RectificationPlan.Outcome.RETURNED


def test_a_step_refused_by_state_or_permission_is_a_message_and_writes_nothing(
    client, world, finding
):
    url = reverse("web:finding", args=[finding.pk])
    before = _counts()
    # Evidence before any plan is accepted: the transition is refused.
    client.force_login(world.staff_a)
    response = client.post(url, {"step": "evidence", "description": "已整改"}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert len(messages(response)) == 1
    # The county reviewer who did not raise it may not withdraw it.
    client.force_login(world.reviewer_a)
    response = client.post(url, {"step": "withdraw", "reason": "误报"}, follow=True)
    assert messages(response) == ["您无权执行此操作。"]
    assert _counts() == before
    assert Finding.objects.get(pk=finding.pk).status == Status.OPEN


def test_rectification_files_are_404_outside_the_scope(client, world, finding):
    plan_submit(
        actor=world.staff_a,
        finding=finding,
        root_cause="原因",
        actions="措施",
        owner="李医生",
        due_on=_future(),
    )
    plan_accept(actor=world.officer_province, finding=finding)
    client.force_login(world.staff_a)
    client.post(
        reverse("web:finding", args=[finding.pk]),
        {"step": "evidence", "description": "已完成", "files": [SimpleUploadedFile("a.pdf", PDF)]},
    )
    file = RectificationFile.objects.get()
    client.force_login(world.staff_b)
    assert client.get(reverse("web:rectification_file", args=[file.pk])).status_code == 404
    client.force_login(world.staff_a)
    assert client.get(reverse("web:rectification_file", args=[file.pk])).status_code == 200


# --- An assessment's findings --------------------------------------------------------


def test_the_gap_plan_raises_findings_for_the_chosen_items(client, world, below_target):
    client.force_login(world.officer_province)
    url = reverse("web:assessment_findings", args=[below_target.pk])
    page = client.get(url)
    candidates = page.context["candidates"].items
    assert len(candidates) >= 2 and page.context["may_raise"]
    chosen = [candidates[0].item_code, candidates[1].item_code]
    response = client.post(url, {"step": "from_gap_plan", "item_codes": chosen}, follow=True)
    assert messages(response) == ["已根据差距清单提出 2 个问题。"]
    assert sorted(Finding.objects.values_list("item_code", flat=True)) == sorted(chosen)
    rows = response.context["candidates"].items
    assert [c.finding is not None for c in rows[:2]] == [True, True]


def test_nothing_chosen_from_the_gap_plan_is_refused(client, world, below_target):
    client.force_login(world.officer_province)
    url = reverse("web:assessment_findings", args=[below_target.pk])
    response = client.post(url, {"step": "from_gap_plan"})
    assert response.status_code == 400
    assert 'data-error="item_codes"' in response.content.decode()
    assert Finding.objects.count() == 0


def test_a_reviewer_raises_one_finding_and_a_bad_one_is_refused_by_field(
    client, world, below_target
):
    client.force_login(world.reviewer_a)
    url = reverse("web:assessment_findings", args=[below_target.pk])
    page = client.get(url)
    assert page.context["typed"]["source"] == "county"
    code = page.context["items"][0][0]
    bad = client.post(
        url, {"step": "raise", "source": "county", "item_code": code, "description": ""}
    )
    assert bad.status_code == 400 and 'data-error="description"' in bad.content.decode()
    assert Finding.objects.count() == 0
    client.post(
        url,
        {
            "step": "raise",
            "source": "county",
            "item_code": code,
            "description": "未见培训记录",
            "required_grade": "B",
            "due_on": _future(10),
        },
    )
    raised = Finding.objects.get()
    assert (raised.item_code, raised.source, raised.required_grade, raised.raised_by) == (
        code,
        "county",
        "B",
        world.reviewer_a,
    )
    assert raised.due_on == timezone.localdate() + dt.timedelta(days=10)
    # The raiser decides on it.
    assert _page(client, world.reviewer_a, raised).context["forms"]["withdraw"]


def test_the_assessment_page_is_403_for_staff_and_404_outside_the_scope(
    client, world, below_target
):
    url = reverse("web:assessment_findings", args=[below_target.pk])
    client.force_login(world.staff_a)
    assert client.get(url).status_code == 403
    client.force_login(world.reviewer_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"step": "from_gap_plan", "item_codes": ["1.1.1"]}).status_code == 404
    assert Finding.objects.count() == 0


def test_the_pages_link_to_the_findings(client, world, experts, below_target):  # noqa: F811
    findings_url = reverse("web:findings")
    own = reverse("web:assessment_findings", args=[below_target.pk])
    client.force_login(world.staff_a)
    assert findings_url in client.get(reverse("web:institution_home")).content.decode()
    client.force_login(world.reviewer_a)
    assert findings_url in client.get(reverse("web:review_queue")).content.decode()
    review = client.get(reverse("web:review_assessment", args=[below_target.pk]))
    assert own in review.content.decode()
    client.force_login(world.officer_province)
    assert findings_url in client.get(reverse("web:officer_dashboard")).content.decode()
    assert own in client.get(reverse("web:officer_decisions")).content.decode()
    client.force_login(experts.lead)
    consolidation = client.get(reverse("web:expert_consolidation", args=[below_target.pk]))
    assert own in consolidation.content.decode()


# --- The dashboard -------------------------------------------------------------------


def test_the_dashboard_counts_findings_per_region_and_lists_the_overdue(client, world, finding):
    raised = Finding.objects.count()
    Finding.objects.filter(pk=finding.pk).update(due_on=timezone.localdate() - dt.timedelta(2))
    client.force_login(world.officer_province)
    response = client.get(reverse("web:officer_dashboard"))
    by_code = {row["row"].code: row for row in response.context["table"]}
    assert by_code["990100"]["findings"] == [raised, 1, 0]
    assert by_code["990200"]["findings"] == [0, 0, 0]
    assert response.context["totals"]["findings"] == [raised, 1, 0]
    overdue = response.context["overdue_findings"]
    assert [(o.finding.pk, o.days_overdue) for o in overdue] == [(finding.pk, 2)]
    page = response.content.decode()
    assert reverse("web:officer_action_plans", args=[world.province.pk]) in page


def test_the_action_plans_download_as_excel_within_the_officers_region(client, world, finding):
    client.force_login(world.officer_city)
    response = client.get(reverse("web:officer_action_plans", args=[world.city.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"
    other = client.get(reverse("web:officer_action_plans", args=[world.other_city.pk]))
    assert other.status_code == 404
    client.force_login(world.staff_a)
    assert client.get(reverse("web:officer_action_plans", args=[world.city.pk])).status_code == 403


def test_the_dashboard_and_its_action_plans_cover_the_chosen_year(client, world, finding):
    """Findings count under their assessment's cycle year, like the assessments columns;
    the Excel link of a row carries the year, so the download matches the row."""
    raised = Finding.objects.count()
    make_cycle(province=world.province, year=world.cycle.year + 1)  # the newest, no findings
    client.force_login(world.officer_province)
    newest = client.get(reverse("web:officer_dashboard"))
    assert newest.context["data"].year == world.cycle.year + 1
    assert newest.context["totals"]["findings"] == [0, 0, 0]
    chosen = client.get(reverse("web:officer_dashboard"), {"year": world.cycle.year})
    assert chosen.context["totals"]["findings"] == [raised, 0, 0]
    link = reverse("web:officer_action_plans", args=[world.city.pk])
    assert f"{link}?year={world.cycle.year}" in chosen.content.decode()

    def rows(year):
        response = client.get(link, {"year": year})
        assert response.status_code == 200
        assert f"-{year}.xlsx" in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]

    assert len(rows(world.cycle.year)) == raised
    assert rows(world.cycle.year + 1) == []


# --- Look-backs requiring rectification ----------------------------------------------


def test_a_lookback_requiring_rectification_raises_findings_and_concludes(
    client,
    world,
    experts,  # noqa: F811
):
    recognition = recognised(world, experts)
    client.force_login(world.officer_province)
    url = reverse("web:officer_recognition", args=[recognition.pk])
    response = client.post(
        url,
        {
            "outcome": "rectify",
            "reason": "回头看发现问题",
            "rectify_by": _future(60),
            "shortcomings": "1.1.1: 制度未更新\n\n院感培训记录缺失\n",
        },
        follow=True,
    )
    lookback = LookBack.objects.get()
    assert lookback.rectification == LookBack.Rectification.PENDING
    found = list(lookback.rectification_findings.order_by("id"))
    assert [(f.item_code, f.description) for f in found] == [
        ("1.1.1", "制度未更新"),
        ("", "院感培训记录缺失"),
    ]
    page = response.content.decode()
    assert 'data-role="conclude"' in page and "制度未更新" in page
    conclude = reverse("web:officer_lookback_conclude", args=[recognition.pk, lookback.pk])
    # Findings still open before the deadline: refused, nothing changes.
    response = client.post(conclude, follow=True)
    assert len(messages(response)) == 1
    assert LookBack.objects.get().rectification == LookBack.Rectification.PENDING
    for f in found:
        finding_withdraw(actor=world.officer_province, finding=f, reason="已现场整改")
    response = client.post(conclude, follow=True)
    assert LookBack.objects.get().rectification == LookBack.Rectification.RECTIFIED
    assert messages(response) == ["整改完成，认定保持有效。"]


def test_a_rectify_lookback_without_deadline_or_shortcomings_writes_nothing(
    client,
    world,
    experts,  # noqa: F811
):
    recognition = recognised(world, experts)
    client.force_login(world.officer_province)
    url = reverse("web:officer_recognition", args=[recognition.pk])
    response = client.post(url, {"outcome": "rectify", "reason": "回头看"}, follow=True)
    assert LookBack.objects.count() == 0 and Finding.objects.count() == 0
    assert len(messages(response)) == 1


# --- Findings raised from the record they come from ----------------------------------


def test_an_upheld_objection_links_to_a_finding_raised_from_it(client, world, experts):  # noqa: F811
    notice = on_notice(world, experts)
    objection = with_objection(world, notice)
    objection_resolve(
        actor=world.officer_province, objection=objection, upheld=True, reason="核实属实"
    )
    client.force_login(world.officer_province)
    page = client.get(reverse("web:officer_notice", args=[notice.pk])).content.decode()
    url = reverse("web:assessment_findings", args=[world.assessment_a.pk])
    assert f"{url}?objection={objection.pk}#raise" in page
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    with CaptureQueriesContext(connection) as linked:
        form = client.get(url, {"objection": objection.pk})
    assert form.status_code == 200
    assert len(linked) == len(plain) + 1  # the objection, read with its entry
    text = form.content.decode()
    assert 'id="raise-link"' in text and "服务记录不实" in text and "（成立）" in text
    assert f'name="objection" value="{objection.pk}"' in text
    response = client.post(
        url,
        {
            "step": "raise",
            "source": "objection",
            "objection": objection.pk,
            "item_code": "1.1.1",
            "description": "服务记录与实际不符，需整改记录管理。",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get(source="objection")
    assert (finding.objection_id, finding.item_code, finding.status) == (
        objection.pk,
        "1.1.1",
        Status.OPEN,
    )


def test_a_record_of_another_assessment_is_404_on_the_form_and_refused_on_post(
    client,
    world,
    experts,  # noqa: F811
):
    notice = on_notice(world, experts)
    objection = with_objection(world, notice)
    objection_resolve(
        actor=world.officer_province, objection=objection, upheld=True, reason="核实属实"
    )
    client.force_login(world.officer_province)
    other = reverse("web:assessment_findings", args=[world.assessment_b.pk])
    assert client.get(other, {"objection": objection.pk}).status_code == 404
    assert client.get(other, {"objection": "x"}).status_code == 404
    before = _counts()
    response = client.post(
        other,
        {"step": "raise", "source": "objection", "objection": objection.pk, "description": "x"},
    )
    assert response.status_code == 400
    assert 'data-error="objection"' in response.content.decode()
    assert _counts() == before


def test_a_rescored_sample_links_to_a_finding_raised_from_it(client, world, experts):  # noqa: F811
    check = checked(world, experts)
    (sample,) = check.samples.all()
    consistency_rescore_record(
        actor=world.officer_province,
        check=check,
        recognition=sample.recognition,
        grades=dict.fromkeys(CODES, "C"),
    )
    client.force_login(world.officer_province)
    page = client.get(reverse("web:officer_check", args=[check.pk])).content.decode()
    url = reverse("web:assessment_findings", args=[world.assessment_a.pk])
    assert f"{url}?consistency_sample={sample.pk}#raise" in page
    form = client.get(url, {"consistency_sample": sample.pk}).content.decode()
    assert 'data-link="consistency_sample"' in form
    response = client.post(
        url,
        {
            "step": "raise",
            "source": "consistency",
            "consistency_sample": sample.pk,
            "description": "抽查复核等级低于认定等级。",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get(source="consistency")
    assert finding.consistency_sample_id == sample.pk
