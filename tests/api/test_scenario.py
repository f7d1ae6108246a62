"""One whole self-assessment through the API alone: an administrator registers an
institution and its user; the institution signs in for a token, declares its facts,
opens its assessment, grades every item page by page, uploads evidence, checks its
progress and provisional result and submits; the county returns it with a comment; the
institution corrects it and submits again; the county forwards it; the province assigns
a panel; the experts grade independently; the lead consolidates; the province decides,
publishes the notice and closes it; the institution finds its recognition and
downloads its certificate; anyone verifies it, without signing in, with the code
printed on it."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from tests import files
from tests.files import upload

PASSWORD = "a-long-test-password"


def signed_in(username: str, password: str = PASSWORD) -> APIClient:
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def ok(response, status: int = 200) -> dict | list:
    assert response.status_code == status, response.content[:1000]
    return response.json()


def all_pages(client: APIClient, url: str) -> list[dict]:
    rows: list[dict] = []
    while url:
        page = ok(client.get(url))
        rows += page["results"]
        url = page["next"]
    return rows


def test_institution_from_first_sign_in_to_a_certificate(world, experts):
    admin = signed_in("admin")
    institution = ok(
        admin.post(
            "/api/v1/institutions/",
            {
                "name": "河口县新桥镇卫生院",
                "kind": "thc",
                "licence_number": "PDY-XQ-0001",
                "region": world.county_a.code,
                "contact_name": "王院长",
            },
            format="json",
        ),
        201,
    )
    ok(
        admin.post(
            "/api/v1/users/",
            {
                "username": "xinqiao",
                "password": "Xinqiao-clinic-2026",
                "role": "institution_staff",
                "institution": institution["id"],
            },
            format="json",
        ),
        201,
    )

    staff = signed_in("xinqiao", "Xinqiao-clinic-2026")
    me = ok(staff.get("/api/v1/me/"))
    assert (me["role"], me["institution"]) == ("institution_staff", institution["id"])
    assert [i["id"] for i in ok(staff.get("/api/v1/institutions/"))["results"]] == [
        institution["id"]
    ]
    cycle = ok(staff.get(f"/api/v1/cycles/?province={world.province.code}&status=open"))["results"][
        0
    ]
    ok(
        staff.post(
            f"/api/v1/institutions/{institution['id']}/facts/",
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
    assessment = ok(
        staff.post(
            "/api/v1/assessments/", {"cycle": cycle["id"], "target_level": "basic"}, format="json"
        ),
        201,
    )
    base = f"/api/v1/assessments/{assessment['id']}/"
    assert (assessment["status"], assessment["edition"]) == ("draft", "THC-T")

    rows = all_pages(staff, base + "items/?page_size=2")
    assert [r["item"]["code"] for r in rows] == [
        "1.1.1",
        "1.1.2",
        "1.1.3",
        "1.1.4",
        "2.1.1",
        "2.1.2",
    ]
    # 1.1.3 applies only with beds: the facts make it not applicable by themselves.
    assert [r["item"]["code"] for r in rows if r["auto_not_applicable"]] == ["1.1.3"]
    for row in rows:
        if row["auto_not_applicable"]:
            continue
        grade = "A" if row["item"]["code"] == "1.1.1" else "B"
        body = {"grade": grade, "version": row["version"]}
        if row["item"]["metric_code"]:
            body["metric_value"] = "0"
        ok(staff.patch(base + f"items/{row['item']['code']}/", body, format="json"))

    problems = ok(staff.post(base + "submit/"), 422)["error"]["details"]["problems"]
    assert {(p["code"], p["item"]) for p in problems} == {
        ("evidence_missing", "1.1.1"),
        ("evidence_missing", "2.1.1"),
    }
    uploaded = ok(
        staff.post(
            base + "evidence/",
            {"file": upload(files.PDF, "制度汇编.pdf"), "item_codes": ["1.1.1", "2.1.1"]},
            format="multipart",
        ),
        201,
    )
    assert [a["item_code"] for a in uploaded] == ["1.1.1", "2.1.1"]
    download = staff.get(uploaded[0]["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.PDF

    progress = ok(staff.get(base + "progress/"))
    assert (progress["complete"], progress["answered"], progress["applicable"]) == (True, 5, 5)
    result = ok(staff.get(base + "result/"))
    assert (result["target_level"], result["level"]) == ("basic", "recommended")

    submission = ok(staff.post(base + "submit/"))
    assert submission["assessment"]["status"] == "submitted"
    assert submission["snapshot"] == {
        "sequence": 1,
        "created_at": submission["snapshot"]["created_at"],
        "created_by": "xinqiao",
        "provisional_level": "recommended",
    }
    assert ok(staff.patch(base + "items/1.1.2/", {"grade": "A", "version": 2}, "json"), 409)

    reviewer = signed_in("reviewer_a")
    assert assessment["id"] in [
        a["id"] for a in ok(reviewer.get("/api/v1/assessments/?status=submitted"))["results"]
    ]
    ok(
        reviewer.post(
            base + "returns/",
            {"reason": "证明材料不完整", "item_comments": {"2.1.1": "请补充2025年度记录"}},
            format="json",
        ),
        201,
    )

    returned = ok(staff.get(base + "items/2.1.1/"))
    assert returned["review_comment"] == "请补充2025年度记录"
    ok(
        staff.post(
            base + "evidence/",
            {"file": upload(files.PNG, "记录.png"), "item_codes": ["2.1.1"]},
            format="multipart",
        ),
        201,
    )
    ok(staff.patch(base + "items/2.1.1/", {"grade": "A", "version": returned["version"]}, "json"))
    assert ok(staff.post(base + "submit/"))["snapshot"]["sequence"] == 2

    snapshots = ok(staff.get(base + "snapshots/"))["results"]
    assert [s["sequence"] for s in snapshots] == [2, 1]
    frozen = ok(staff.get(base + "snapshots/2/"))["data"]
    assert frozen["grades"]["2.1.1"]["grade"] == "A"
    actions = [e["action"] for e in all_pages(staff, base + "history/?page_size=50")]
    # The resubmission went back to the county review, which opened its second round.
    assert actions[:2] == ["review.round_open", "assessment.submit"]
    assert actions.count("assessment.submit") == 2
    assert "assessment.return" in actions
    assert actions[-1] == "assessment.open"

    # --- the county forwards the corrected submission to the experts ------------------
    inbox = ok(reviewer.get("/api/v1/tasks/?step=county_review"))["results"]
    assert [t["assessment"] for t in inbox] == [assessment["id"]]
    ok(reviewer.post(base + "county-review/start/"))
    ok(reviewer.post(base + "county-review/forward/", {"comment": "材料齐全"}, format="json"))
    rounds = ok(staff.get(base + "rounds/"))["results"]
    assert [(r["stage"], r["outcome"]) for r in rounds] == [
        ("county", "returned"),
        ("county", "forwarded"),
        ("expert", "open"),
    ]

    # --- the province assigns a panel; each expert grades on their own ----------------
    officer = signed_in("officer_province")
    pool = {e["username"]: e["id"] for e in ok(officer.get("/api/v1/experts/"))["results"]}
    panel = ok(
        officer.post(
            base + "panel/", {"lead": pool["lead"], "members": [pool["member"]]}, format="json"
        ),
        201,
    )
    assert sorted(m["role"] for m in panel) == ["lead", "member"]
    lead, member = signed_in("lead"), signed_in("member")
    codes = [r["item"]["code"] for r in all_pages(lead, base + "items/")]
    for expert, grade in ((lead, "A"), (member, "B")):
        for code in codes:
            ok(
                expert.put(
                    base + f"expert-grades/{code}/", {"grade": grade, "finding": "核实"}, "json"
                )
            )
        # Before submitting, an expert sees only their own grades.
        seen = {g["expert"] for g in ok(expert.get(base + "expert-grades/"))["results"]}
        assert len(seen) == 1
    ok(lead.post(base + "expert-review/submit/"))
    ok(member.post(base + "expert-review/submit/"))

    # --- the lead consolidates: every item split A/B needs a final grade and reason ---
    rows = all_pages(lead, base + "consolidation/items/?disagreement=true")
    assert {r["item_code"] for r in rows} == set(codes)
    for row in rows:
        ok(
            lead.put(
                base + f"consolidation/items/{row['item_code']}/",
                {"final_grade": "A", "reason": "现场核实达到A级"},
                format="json",
            )
        )
    ok(lead.post(base + "consolidation/complete/"))
    result = ok(officer.get(base + "review-result/"))
    assert result["computed_level"] == "recommended"

    # --- the province decides, publishes the list and closes the notice --------------
    decision = ok(officer.post(base + "decisions/", {}, format="json"), 201)
    assert (decision["decided_level"], decision["is_override"]) == ("recommended", False)
    starts_on = (timezone.localdate() - dt.timedelta(days=8)).isoformat()
    notice = ok(
        officer.post(
            "/api/v1/notices/",
            {
                "cycle": cycle["id"],
                "region": world.province.code,
                "assessments": [assessment["id"]],
                "starts_on": starts_on,
                "document_number": "示卫公示〔2026〕3号",
            },
            format="json",
        ),
        201,
    )
    assert [
        e["assessment"] for e in ok(staff.get(f"/api/v1/notices/{notice['id']}/"))["entries"]
    ] == [assessment["id"]]
    ok(officer.post(f"/api/v1/notices/{notice['id']}/close/"))

    # --- the institution finds its recognition and certificate ------------------------
    assert ok(staff.get(base))["status"] == "recognised"
    recognitions = ok(staff.get("/api/v1/recognitions/"))["results"]
    assert [(r["level"], r["status"]) for r in recognitions] == [("recommended", "active")]
    number = recognitions[0]["certificates"][0]["number"]
    certificate = ok(staff.get(f"/api/v1/certificates/{number}/"))
    assert (certificate["status"], certificate["version"]) == ("valid", 1)

    # --- anyone verifies the certificate with the code printed on it -----------------
    pdf = staff.get(f"/api/v1/certificates/{number}/download/")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    printed = re.search(r"验\s*证\s*码：\s*([0-9A-Z-]+)", text).group(1)
    verified = ok(APIClient().get(f"/api/v1/public/certificates/{number}/?code={printed}"))
    assert (verified["status"], verified["code_matches"]) == ("valid", True)
    assert verified["institution_name"] == "河口县新桥镇卫生院"
    forged = ok(APIClient().get(f"/api/v1/public/certificates/{number}/?code=AAAA-BBBB"))
    assert forged["code_matches"] is False
