"""URLs of the commission officer's pages, mounted under ``officer/`` in the ``web``
namespace (``accreditation.web.urls`` includes this list)."""

from django.urls import path

from accreditation.web.views.officer import checks, dashboard, notices, recognitions, review

urlpatterns = [
    path("", dashboard.dashboard, name="officer_dashboard"),
    path("regions/<int:region_id>/", dashboard.dashboard, name="officer_region"),
    path(
        "regions/<int:region_id>/action-plans/",
        dashboard.action_plans_download,
        name="officer_action_plans",
    ),
    # Panels and decisions
    path("panels/", review.panels, name="officer_panels"),
    path(
        "assessments/<int:assessment_id>/panel/",
        review.panel_assign_view,
        name="officer_panel",
    ),
    path("decisions/", review.decisions, name="officer_decisions"),
    path("decisions/take/", review.decisions_take, name="officer_decisions_take"),
    # Public notices
    path("notices/", notices.notices, name="officer_notices"),
    path("notices/open/", notices.notice_open, name="officer_notice_open"),
    path("notices/<int:notice_id>/", notices.notice_detail, name="officer_notice"),
    path(
        "notices/<int:notice_id>/objections/",
        notices.objection_add,
        name="officer_objection_add",
    ),
    path(
        "notices/<int:notice_id>/objections/<int:objection_id>/resolve/",
        notices.objection_resolve_view,
        name="officer_objection_resolve",
    ),
    path("notices/<int:notice_id>/close/", notices.notice_close, name="officer_notice_close"),
    path(
        "notices/<int:notice_id>/certificates/",
        notices.notice_certificates,
        name="officer_notice_certificates",
    ),
    # Recognitions and look-backs
    path("recognitions/", recognitions.recognitions, name="officer_recognitions"),
    path(
        "recognitions/<int:recognition_id>/",
        recognitions.recognition_detail,
        name="officer_recognition",
    ),
    path(
        "recognitions/<int:recognition_id>/certificates/<int:certificate_id>/issue/",
        recognitions.certificate_issue_view,
        name="officer_certificate_issue",
    ),
    path(
        "recognitions/<int:recognition_id>/certificates/<int:certificate_id>/reissue/",
        recognitions.certificate_reissue_view,
        name="officer_certificate_reissue",
    ),
    path(
        "recognitions/<int:recognition_id>/lookbacks/<int:lookback_id>/conclude/",
        recognitions.lookback_conclude_view,
        name="officer_lookback_conclude",
    ),
    # Consistency checks and reductions
    path("checks/", checks.checks, name="officer_checks"),
    path("checks/run/", checks.check_run, name="officer_check_run"),
    path("checks/<int:check_id>/", checks.check_detail, name="officer_check"),
    path(
        "checks/<int:check_id>/samples/<int:sample_id>/",
        checks.check_rescore,
        name="officer_check_rescore",
    ),
    path("checks/<int:check_id>/complete/", checks.check_complete, name="officer_check_complete"),
    path("checks/<int:check_id>/reduce/", checks.check_reduce, name="officer_check_reduce"),
]
