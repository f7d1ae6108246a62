"""URLs of the commission officer's pages, mounted under ``officer/`` in the ``web``
namespace (``accreditation.web.urls`` includes this list)."""

from django.urls import path

from accreditation.web.views.officer import dashboard, notices, review

urlpatterns = [
    path("", dashboard.dashboard, name="officer_dashboard"),
    path("regions/<int:region_id>/", dashboard.dashboard, name="officer_region"),
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
]
