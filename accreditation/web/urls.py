"""URLs of the web pages, mounted at the site root under the ``web`` namespace."""

from django.urls import include, path

from accreditation.web.views import (
    common,
    expert,
    facts,
    findings,
    offline,
    public,
    review,
)
from accreditation.web.views.institution import evidence as institution_evidence
from accreditation.web.views.institution import pages as institution

app_name = "web"

urlpatterns = [
    path("", common.home, name="home"),
    path("healthz/", common.healthz, name="healthz"),
    # The offline app: manifest and service worker at the root (scope: the whole site)
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("expert/offline/bundle/", offline.bundle, name="expert_offline_bundle"),
    path(
        "assessments/<int:assessment_id>/evidence/<int:attachment_id>/",
        common.evidence_download,
        name="evidence_download",
    ),
    # Public
    path("verify/", public.verify_form, name="verify"),
    path("verify/<str:number>/", public.verify_code, name="verify_code"),
    path("officer/", include("accreditation.web.urls_officer")),
    # Institution staff
    path("institution/", institution.institution_home, name="institution_home"),
    path(
        "institution/cycles/<int:cycle_id>/open/",
        institution.assessment_open_view,
        name="assessment_open",
    ),
    path(
        "institution/assessments/<int:assessment_id>/",
        institution.checklist,
        name="checklist",
    ),
    path(
        "institution/assessments/<int:assessment_id>/summary/",
        institution.checklist_summary,
        name="checklist_summary",
    ),
    path(
        "institution/assessments/<int:assessment_id>/carried/confirm/",
        institution.carried_confirm_view,
        name="carried_confirm",
    ),
    path(
        "institution/assessments/<int:assessment_id>/items/<str:item_code>/",
        institution.item_last_save,
        name="item_last_save",
    ),
    path(
        "institution/assessments/<int:assessment_id>/evidence/",
        institution_evidence.evidence_upload_view,
        name="evidence_upload",
    ),
    path(
        "institution/assessments/<int:assessment_id>/evidence/<int:attachment_id>/detach/",
        institution_evidence.evidence_detach_view,
        name="evidence_detach",
    ),
    path(
        "institution/assessments/<int:assessment_id>/evidence/<int:attachment_id>/revise/",
        institution_evidence.evidence_revise_view,
        name="evidence_revise",
    ),
    path(
        "institution/assessments/<int:assessment_id>/evidence/<int:attachment_id>/dates/",
        institution_evidence.evidence_dates_view,
        name="evidence_dates",
    ),
    path(
        "institution/assessments/<int:assessment_id>/evidence/reuse/",
        institution_evidence.evidence_reuse_view,
        name="evidence_reuse",
    ),
    path(
        "institution/assessments/<int:assessment_id>/target/",
        institution.target_level_view,
        name="target_level",
    ),
    path(
        "institution/assessments/<int:assessment_id>/submit/",
        institution.submit,
        name="submit",
    ),
    path("institution/facts/", facts.institution_facts, name="institution_facts"),
    path(
        "institution/facts/<int:fact_id>/challenge/",
        facts.fact_challenge_view,
        name="fact_challenge",
    ),
    # Facts: the statistical-return import and the challenges queue
    path("facts/import/", facts.facts_import_view, name="facts_import"),
    path("facts/import/template/", facts.facts_template_download, name="facts_template"),
    path("review/fact-challenges/", facts.challenge_queue, name="fact_challenges"),
    path(
        "review/fact-challenges/<int:challenge_id>/decide/",
        facts.challenge_decide,
        name="fact_challenge_decide",
    ),
    # Rectification (整改): findings, plans, evidence of effect
    path("findings/", findings.findings, name="findings"),
    path("findings/<int:finding_id>/", findings.finding, name="finding"),
    path(
        "findings/files/<int:file_id>/",
        findings.rectification_file,
        name="rectification_file",
    ),
    path(
        "assessments/<int:assessment_id>/findings/",
        findings.assessment_findings_view,
        name="assessment_findings",
    ),
    # County reviewers
    path("review/", review.queue, name="review_queue"),
    path(
        "review/assessments/<int:assessment_id>/",
        review.assessment_view,
        name="review_assessment",
    ),
    path(
        "review/assessments/<int:assessment_id>/claim/",
        review.claim,
        name="review_claim",
    ),
    path(
        "review/assessments/<int:assessment_id>/decide/",
        review.decide,
        name="review_decide",
    ),
    # Experts
    path("expert/", expert.tasks, name="expert_tasks"),
    path("expert/assessments/<int:assessment_id>/", expert.scoring, name="expert_scoring"),
    path(
        "expert/assessments/<int:assessment_id>/summary/",
        expert.scoring_summary,
        name="expert_scoring_summary",
    ),
    path(
        "expert/assessments/<int:assessment_id>/items/<str:item_code>/",
        expert.grade_save,
        name="expert_grade_save",
    ),
    path("expert/assessments/<int:assessment_id>/submit/", expert.submit, name="expert_submit"),
    path(
        "expert/assessments/<int:assessment_id>/items/<str:item_code>/sample/",
        expert.sample_draw,
        name="expert_sample_draw",
    ),
    path(
        "expert/assessments/<int:assessment_id>/items/<str:item_code>/sample/record/",
        expert.sample_record,
        name="expert_sample_record",
    ),
    path(
        "expert/assessments/<int:assessment_id>/consolidation/",
        expert.consolidation,
        name="expert_consolidation",
    ),
]
