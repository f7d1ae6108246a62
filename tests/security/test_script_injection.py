"""Script injection: every free text a user or an import can write is rendered
escaped on every page that shows it.

One hostile institution goes through the whole review. Every text field on its way
(region, institution, cycle and catalogue names, user names, N/A reasons, notes,
evidence file names, return reasons and comments, county comments, findings, on-site
notes, consolidation reasons, override reasons, notice titles, objections and their
resolutions, look-back reasons, check seeds, reduction reasons) holds a tag naming the
field followed by two payloads. The pages of every role are fetched at each stage, and:

* no page contains a payload unescaped;
* every field's tag shows up on some page, with its payloads escaped (so the test
  cannot pass because a field is simply never shown).
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accreditation.models import (
    CertificateRecord,
    ItemGrade,
    Objection,
    PublicNotice,
    Recognition,
)
from accreditation.services.assessments import assessment_open, item_grade_save
from accreditation.services.certificates import certificate_issue
from accreditation.services.consistency import consistency_check_run
from accreditation.services.consolidation import consolidation_complete, consolidation_grade_set
from accreditation.services.decisions import decision_record
from accreditation.services.evidence import evidence_upload
from accreditation.services.experts import expert_grade_save, expert_review_submit
from accreditation.services.institutions import institution_create, institution_facts_record
from accreditation.services.notices import (
    objection_record,
    objection_resolve,
    public_notice_close,
    public_notice_open,
)
from accreditation.services.panels import panel_assign
from accreditation.services.people import expert_profile_set, user_create, user_details_set
from accreditation.services.reductions import lookback_record
from accreditation.services.regions import region_create
from accreditation.services.reviews import assessment_return, county_review_forward
from accreditation.services.submission import assessment_resubmit, assessment_submit
from standards.models import Criterion, Edition, Item, Section
from tests import files

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
#: What must never reach a page as it is.
RAW = (SCRIPT, "<img src=x onerror=alert(1)>", "<script>", IMG)
#: The payload as it shows escaped, in HTML and in JSON.
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "\\u003Cscript\\u003Ealert(1)")


def hostile(tag: str) -> str:
    return f"{tag}{SCRIPT}{IMG}"


#: Every field written with a payload; each tag must show on some page. (The override
#: reason is written too but no page shows it: the API, the report PDF and the audit
#: log do.)
FIELDS = (
    "REGION",
    "INSTITUTION",
    "CYCLE",
    "EDITION",
    "SECTION",
    "ITEMTITLE",
    "CRITERION",
    "STAFFNAME",
    "NAREASON",
    "ITEMNOTE",
    "FILENAME",
    "RETURNREASON",
    "RETURNCOMMENT",
    "FORWARDCOMMENT",
    "EXPERTNAME",
    "SPECIALTY",
    "FINDING",
    "ONSITE",
    "CONSREASON",
    "NOTICETITLE",
    "OBJECTOR",
    "OBJECTION",
    "RESOLUTION",
    "LOOKBACK",
    "LBFINDINGS",
    "OFFICERNAME",
)


class Crawler:
    """Fetches pages as given users and keeps every answer."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}

    def get(self, user, url: str, **params) -> str:
        client = Client()
        client.force_login(user)
        response = client.get(url, params, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, (url, user.username, response.status_code)
        text = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            # Server-rendered fragments travel in JSON (e.g. the checklist's sidebar).
            text = json.dumps(response.json(), ensure_ascii=False)
            text = text.replace("\\\\u003C", "\\u003C")
        self.pages[f"{user.username} {url} {params}"] = text
        return text

    def anonymous(self, url: str) -> str:
        response = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        self.pages[f"anonymous {url}"] = response.content.decode()
        return self.pages[f"anonymous {url}"]


def _rename_catalogue(assessment) -> None:
    """Catalogue texts come from imported files; they are data like any other."""
    edition = Edition.objects.get(pk=assessment.edition_id)
    Edition.objects.filter(pk=edition.pk).update(title=hostile("EDITION"))
    Section.objects.filter(chapter__edition=edition).update(title=hostile("SECTION"))
    Item.objects.filter(edition=edition, code="1.1.2").update(title=hostile("ITEMTITLE"))
    Criterion.objects.filter(item__edition=edition, item__code="1.1.2").update(
        text=hostile("CRITERION")
    )


@pytest.fixture
def crawl(world, experts) -> Crawler:
    admin, officer = world.administrator, world.officer_province
    crawler = Crawler()
    county = region_create(
        actor=admin, code="990109", name=hostile("REGION"), level="county", parent=world.city
    )
    institution = institution_create(
        actor=admin,
        name=hostile("INSTITUTION"),
        kind="thc",
        licence_number="PDY-HOSTILE-1",
        region=county,
        address=hostile("ADDRESS"),
        contact_name=hostile("CT"),  # 58 characters: the field holds 60
    )
    institution_facts_record(
        actor=None,
        institution=institution,
        effective_from=dt.date(2020, 1, 1),
        medical_staff=40,
        service_population=30000,
        beds=20,
        inpatient_ward=True,
    )
    staff = user_create(
        actor=admin,
        username="hostile_staff",
        password=None,
        role="institution_staff",
        institution=institution,
        full_name=hostile("STAFFNAME"),
    )
    reviewer = user_create(
        actor=admin,
        username="hostile_reviewer",
        password=None,
        role="county_reviewer",
        region=county,
        full_name=hostile("REVIEWERNAME"),
    )
    user_details_set(actor=admin, user=officer, full_name=hostile("OFFICERNAME"), email="")
    user_details_set(actor=admin, user=experts.lead, full_name=hostile("EXPERTNAME"), email="")
    expert_profile_set(
        actor=admin,
        expert=experts.lead,
        home_region=experts.lead.expert_profile.home_region,
        employer=experts.employer,
        specialty=hostile("SPECIALTY"),
    )
    type(world.cycle).objects.filter(pk=world.cycle.pk).update(name=hostile("CYCLE"))
    a = assessment_open(
        actor=staff, cycle=world.cycle, institution=institution, target_level="basic"
    )
    _rename_catalogue(a)
    checklist = reverse("web:checklist", args=[a.pk])

    # The self-assessment: reasons, notes and a hostile file name.
    for code in ("1.1.1", "1.1.2", "1.1.3", "1.1.4", "2.1.1", "2.1.2"):
        version = ItemGrade.objects.get(assessment=a, item_code=code).version
        item_grade_save(
            actor=staff,
            assessment=a,
            item_code=code,
            expected_version=version,
            grade="NA" if code == "2.1.2" else "A",
            na_reason=hostile("NAREASON") if code == "2.1.2" else "",
            metric_value="20" if code == "1.1.4" else None,
            note=hostile("ITEMNOTE"),
        )
    evidence_upload(
        actor=staff,
        assessment=a,
        item_codes=["1.1.1", "1.1.3", "2.1.1"],
        file=files.upload(files.PDF + b"hostile", "x.pdf"),
        filename="FILENAME" + IMG + ".pdf",  # a name keeps no "/": see test_filenames
    )
    crawler.get(staff, reverse("web:home"))
    crawler.get(staff, reverse("web:institution_home"))
    crawler.get(staff, checklist)
    crawler.get(staff, reverse("web:checklist_summary", args=[a.pk]))

    # County review: a return with comments, then a forward with a comment.
    assessment_submit(actor=staff, assessment=a)
    crawler.get(reviewer, reverse("web:review_queue"))
    crawler.get(reviewer, reverse("web:review_assessment", args=[a.pk]))
    assessment_return(
        actor=reviewer,
        assessment=a,
        reason=hostile("RETURNREASON"),
        item_comments={"1.1.1": hostile("RETURNCOMMENT")},
    )
    crawler.get(staff, checklist)
    crawler.get(staff, reverse("web:institution_home"))
    assessment_resubmit(actor=staff, assessment=a)
    county_review_forward(
        actor=reviewer,
        assessment=a,
        comment=hostile("FORWARDCOMMENT"),
        item_comments={"1.1.2": hostile("FORWARDITEM")},
    )
    crawler.get(reviewer, reverse("web:review_assessment", args=[a.pk]))

    # Panel, grading and consolidation.
    crawler.get(officer, reverse("web:officer_panels"))
    crawler.get(officer, reverse("web:officer_panel", args=[a.pk]))
    panel_assign(actor=officer, assessment=a, lead=experts.lead, members=[experts.member])
    for expert in (experts.lead, experts.member):
        for code in ("1.1.1", "1.1.2", "1.1.3", "1.1.4", "2.1.1", "2.1.2"):
            expert_grade_save(
                actor=expert,
                assessment=a,
                item_code=code,
                grade="B" if (expert, code) == (experts.member, "1.1.1") else "A",
                finding=hostile("FINDING"),
                onsite_note=hostile("ONSITE"),
            )
    crawler.get(experts.lead, reverse("web:expert_tasks"))
    crawler.get(experts.lead, reverse("web:expert_scoring", args=[a.pk]))
    for expert in (experts.lead, experts.member):
        expert_review_submit(actor=expert, assessment=a)
    consolidation_grade_set(
        actor=experts.lead,
        assessment=a,
        item_code="1.1.1",
        final_grade="C",
        reason=hostile("CONSREASON"),
    )
    crawler.get(experts.lead, reverse("web:expert_consolidation", args=[a.pk]))
    crawler.get(experts.member, reverse("web:expert_scoring", args=[a.pk]))
    consolidation_complete(actor=experts.lead, assessment=a)

    # Decision, notice, objection, recognition, certificate, look-back.
    crawler.get(officer, reverse("web:officer_decisions"))
    decision_record(
        actor=officer, assessment=a, level="qualified", override_reason=hostile("OVERRIDE")
    )
    crawler.get(officer, reverse("web:officer_notices"))
    notice = public_notice_open(
        actor=officer,
        cycle=world.cycle,
        region=world.province,
        assessments=[a],
        starts_on=timezone.localdate() - dt.timedelta(days=8),
        document_number="卫公示〔2026〕7号",
        title=hostile("NOTICETITLE"),
    )
    objection = objection_record(
        actor=officer,
        notice=notice,
        assessment=a,
        content=hostile("OBJECTION"),
        objector=hostile("OBJECTOR"),
        received_on=notice.starts_on,
    )
    crawler.get(officer, reverse("web:officer_notice", args=[notice.pk]))
    objection_resolve(
        actor=officer,
        objection=Objection.objects.get(pk=objection.pk),
        upheld=False,
        reason=hostile("RESOLUTION"),
    )
    crawler.get(officer, reverse("web:officer_notice", args=[notice.pk]))
    crawler.get(officer, reverse("web:officer_notices"))
    public_notice_close(actor=officer, notice=PublicNotice.objects.get(pk=notice.pk))
    recognition = Recognition.objects.get(assessment=a)
    record = certificate_issue(
        actor=officer, certificate=CertificateRecord.objects.get(recognition=recognition)
    )
    crawler.get(officer, reverse("web:officer_recognitions"))
    crawler.anonymous(reverse("web:verify_code", args=[record.number]))
    crawler.anonymous(
        reverse("web:verify_code", args=[record.number]) + f"?code={record.verification_code}"
    )
    lookback_record(
        actor=officer,
        recognition=recognition,
        outcome="confirm",
        reason=hostile("LOOKBACK"),
        findings=hostile("LBFINDINGS"),
    )
    crawler.get(officer, reverse("web:officer_recognition", args=[recognition.pk]))
    check = consistency_check_run(
        actor=world.officer_national,
        cycle=world.cycle,
        region=world.province,
        sample_share="1",
        seed="seed",
    )
    crawler.get(world.officer_national, reverse("web:officer_checks"))
    crawler.get(world.officer_national, reverse("web:officer_check", args=[check.pk]))
    crawler.get(officer, reverse("web:officer_dashboard"))
    crawler.get(officer, reverse("web:officer_region", args=[world.city.pk]))
    for user in (staff, reviewer, officer, experts.lead, admin):
        crawler.get(user, reverse("web:home"))
    return crawler


def test_no_page_shows_a_payload_unescaped(crawl):
    for page, html in crawl.pages.items():
        for raw in RAW:
            assert raw not in html, f"{raw!r} unescaped on {page}"


@pytest.mark.parametrize("tag", FIELDS)
def test_every_field_is_shown_escaped_somewhere(crawl, tag):
    shown = [page for page, html in crawl.pages.items() if tag in html]
    assert shown, f"{tag} is shown on no page"
    for page in shown:
        html = crawl.pages[page]
        for match in re.finditer(re.escape(tag), html):
            after = html[match.end() : match.end() + 40]
            assert not after.startswith(("<", '"')), (tag, page, after)
    assert (
        any(escaped in crawl.pages[page] for page in shown for escaped in ESCAPED)
        or tag == "FILENAME"
    ), tag
