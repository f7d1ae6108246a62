"""Rectification and continuity through the API alone: the institution submits, the
county forwards, the panel grades below the target and consolidates; the province
raises findings from the gap plan; the institution answers with a plan (refused
without owner or date), the province accepts it, the institution submits evidence of
effect, the province verifies and the finding closes (evidence for a closed finding is
refused). The province decides; next year the institution opens the new cycle from
this grading: proposals to confirm, the changed item flagged, and submission refused
until every proposal is confirmed. A carry-over across incompatible editions is
refused and opens nothing."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import load_workbook

from accreditation.models import Assessment
from standards.models import Criterion
from tests import files
from tests.api.test_scenario import all_pages, ok, signed_in
from tests.factories import make_cycle, make_edition
from tests.files import upload

PASSWORD = "a-long-test-password"


def test_findings_to_verified_and_the_next_cycle_pre_filled(world, experts):
    staff, reviewer = signed_in("staff_a"), signed_in("reviewer_a")
    officer = signed_in("officer_province")
    base = f"/api/v1/assessments/{world.assessment_a.pk}/"
    ok(
        staff.post(
            f"/api/v1/institutions/{world.institution_a.pk}/facts/",
            {
                "effective_from": "2026-01-01",
                "medical_staff": 36,
                "service_population": 28000,
                "beds": 0,
                "inpatient_ward": False,
            },
            format="json",
        ),
        201,
    )
    rows = all_pages(staff, base + "items/")
    for row in rows:
        if row["auto_not_applicable"]:
            continue
        body = {"grade": "B", "version": row["version"]}
        if row["item"]["metric_code"]:
            body["metric_value"] = "0"
        ok(staff.patch(base + f"items/{row['item']['code']}/", body, format="json"))
    ok(
        staff.post(
            base + "evidence/",
            {"file": upload(files.PDF, "制度汇编.pdf"), "item_codes": ["1.1.1", "2.1.1"]},
            format="multipart",
        ),
        201,
    )
    ok(staff.post(base + "submit/"))
    ok(reviewer.post(base + "county-review/start/"))
    ok(reviewer.post(base + "county-review/forward/", {"comment": "材料齐全"}, format="json"))
    pool = {e["username"]: e["id"] for e in ok(officer.get("/api/v1/experts/"))["results"]}
    ok(
        officer.post(
            base + "panel/", {"lead": pool["lead"], "members": [pool["member"]]}, format="json"
        ),
        201,
    )
    lead, member = signed_in("lead"), signed_in("member")
    codes = [r["item"]["code"] for r in rows]
    for expert in (lead, member):
        for code in codes:
            ok(
                expert.put(
                    base + f"expert-grades/{code}/", {"grade": "C", "finding": "仅达C"}, "json"
                )
            )
        ok(expert.post(base + "expert-review/submit/"))
    for row in all_pages(lead, base + "consolidation/items/?disagreement=true"):
        ok(
            lead.put(
                base + f"consolidation/items/{row['item_code']}/",
                {"final_grade": "C", "reason": "现场核实仅达C级"},
                format="json",
            )
        )
    ok(lead.post(base + "consolidation/complete/"))

    # --- consolidation leaves items below the target: the gap plan is the start -------
    candidates = ok(officer.get(base + "finding-candidates/"))
    assert candidates["items"], candidates
    assert all(c["finding"] is None for c in candidates["items"])
    raised = ok(officer.post(base + "finding-candidates/", {}, format="json"), 201)
    assert [f["item_code"] for f in raised] == [c["item_code"] for c in candidates["items"]]
    assert {f["status"] for f in raised} == {"open"}
    first = raised[0]
    url = f"/api/v1/findings/{first['id']}/"
    mine = ok(staff.get(f"/api/v1/findings/?assessment={world.assessment_a.pk}"))["results"]
    assert [f["id"] for f in mine] == [f["id"] for f in raised]

    # --- a plan without owner or date is refused, naming the fields ---------------------
    refused = ok(
        staff.post(url + "plan/", {"root_cause": "制度未落实", "actions": "修订制度"}, "json"),
        400,
    )["error"]
    assert set(refused["fields"]) == {"owner", "due_on"}
    assert ok(staff.get(url))["status"] == "open"
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    planned = ok(
        staff.post(
            url + "plan/",
            {
                "root_cause": "制度未落实",
                "actions": "修订制度并培训",
                "owner": "王主任",
                "due_on": due,
            },
            "json",
        )
    )
    assert planned["status"] == "plan_submitted"
    accepted = ok(officer.post(url + "plan/accept/", {"comment": "同意"}, "json"))
    assert (accepted["status"], accepted["due_on"]) == ("plan_accepted", due)
    evidenced = ok(
        staff.post(
            url + "evidence/",
            {"description": "已完成培训", "files": [upload(files.PDF, "培训签到.pdf")]},
            format="multipart",
        )
    )
    assert evidenced["status"] == "evidence_submitted"
    file = evidenced["evidence"][0]["files"][0]
    assert file["name"] == "培训签到.pdf"
    download = officer.get(f"/api/v1/rectification-files/{file['id']}/")
    assert b"".join(download.streaming_content) == files.PDF
    closed = ok(officer.post(url + "verify/", {}, "json"))
    assert closed["status"] == "closed"
    # Evidence for a closed finding: refused, nothing changes.
    error = ok(staff.post(url + "evidence/", {"description": "再交一次"}, "json"), 409)["error"]
    assert error["code"] == "not_editable"
    assert len(ok(staff.get(url))["evidence"]) == 1

    # --- the province's figures and its action plans --------------------------------
    dashboard = ok(officer.get(f"/api/v1/regions/{world.province.code}/dashboard/"))
    assert dashboard["totals"]["findings"] == {
        "open": len(raised) - 1,
        "overdue": 0,
        "closed": 1,
    }
    export = officer.get(f"/api/v1/regions/{world.province.code}/action-plans.xlsx")
    sheet = load_workbook(io.BytesIO(export.content))["整改台账"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values.index(next(r for r in values if r and r[0] == "序号"))
    assert len(values) - header - 1 == len(raised)
    assert ["王主任" in (r or []) for r in values[header + 1 :]].count(True) == 1

    # --- the province decides; next year starts from this grading ---------------------
    ok(officer.post(base + "decisions/", {}, format="json"), 201)
    edition = make_edition(code="THC-2027")
    Criterion.objects.filter(item__edition=edition, item__code="2.1.1", grade="B").update(
        text="B级要求（2027年修订）"
    )
    next_cycle = make_cycle(province=world.province, editions={"thc": edition}, year=2027)
    opened = ok(
        staff.post(
            "/api/v1/assessments/",
            {"cycle": next_cycle.pk, "target_level": "basic", "carry_forward": True},
            format="json",
        ),
        201,
    )
    assert opened["carried_from"] == world.assessment_a.pk
    new_base = f"/api/v1/assessments/{opened['id']}/"
    carried = {r["item"]["code"]: r for r in all_pages(staff, new_base + "items/")}
    assert carried["2.1.1"]["carry"] == "changed" and carried["2.1.1"]["grade"] == ""
    assert carried["1.1.1"]["carry"] == "proposed" and carried["1.1.1"]["grade"] == "C"
    problems = ok(staff.post(new_base + "submit/"), 422)["error"]["details"]["problems"]
    assert "carried_unconfirmed" in {p["code"] for p in problems}
    confirmed = ok(staff.post(new_base + "carried/confirm/", {}, "json"))["confirmed"]
    assert "2.1.1" not in confirmed and "1.1.1" in confirmed
    problems = ok(staff.post(new_base + "submit/"), 422)["error"]["details"]["problems"]
    assert "carried_unconfirmed" not in {p["code"] for p in problems}
    assert ("ungraded", "2.1.1") in {(p["code"], p["item"]) for p in problems}

    # --- the carried evidence is the same file; once out of date it blocks submission
    links = ok(staff.get(new_base + "evidence/"))["results"]
    assert {a["name"] for a in links} == {"制度汇编.pdf"}
    manual = next(a for a in links if a["item_code"] == "1.1.1")
    ok(
        staff.put(
            new_base + f"evidence/{manual['id']}/dates/",
            {"effective_on": "2025-01-01", "expires_on": "2026-06-30"},
            format="json",
        )
    )
    carried = {r["item"]["code"]: r for r in all_pages(staff, new_base + "items/")}
    assert [a["expired"] for a in carried["1.1.1"]["attachments"]] == [True]
    problems = ok(staff.post(new_base + "submit/"), 422)["error"]["details"]["problems"]
    expired = [p for p in problems if p["code"] == "evidence_expired"]
    assert [p["item"] for p in expired] == ["1.1.1"]
    assert "2026-06-30" in expired[0]["message"] and "制度汇编.pdf" in expired[0]["message"]
    ok(
        staff.post(
            new_base + f"evidence/{manual['id']}/revise/",
            {"file": upload(files.PNG, "制度汇编2027.png")},
            format="multipart",
        ),
        201,
    )
    problems = ok(staff.post(new_base + "submit/"), 422)["error"]["details"]["problems"]
    assert "evidence_expired" not in {p["code"] for p in problems}


def test_a_carry_over_across_incompatible_editions_opens_nothing(world, experts):
    from tests.workflows.helpers import at_decision

    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("C", "C"))
    signed_in("officer_province").post(
        f"/api/v1/assessments/{world.assessment_a.pk}/decisions/", {}, format="json"
    )
    cycle = make_cycle(
        province=world.province,
        editions={"thc": make_edition(kind="chc", code="CHC-27")},
        year=2027,
    )
    staff = signed_in("staff_a")
    before = Assessment.objects.count()
    error = ok(
        staff.post(
            "/api/v1/assessments/",
            {"cycle": cycle.pk, "target_level": "basic", "carry_forward": True},
            format="json",
        ),
        409,
    )["error"]
    assert error["code"] == "incompatible_editions"
    assert "CHC-27" in error["message"]
    assert Assessment.objects.count() == before
