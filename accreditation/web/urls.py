"""URLs of the web pages, mounted at the site root under the ``web`` namespace."""

from django.urls import include, path

from accreditation.web.views import common, institution, public

app_name = "web"

urlpatterns = [
    path("", common.home, name="home"),
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
        "institution/assessments/<int:assessment_id>/items/<str:item_code>/",
        institution.item_save,
        name="item_save",
    ),
    path(
        "institution/assessments/<int:assessment_id>/evidence/",
        institution.evidence_upload_view,
        name="evidence_upload",
    ),
    path(
        "institution/assessments/<int:assessment_id>/evidence/<int:attachment_id>/detach/",
        institution.evidence_detach_view,
        name="evidence_detach",
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
]
