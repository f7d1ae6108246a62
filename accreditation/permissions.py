"""Who may do what, in one place. Deny by default.

:func:`may` answers "may this user do this action on this object"; :func:`require`
raises :class:`~django.core.exceptions.PermissionDenied` instead of answering False.
Services call :func:`require` first; views, the API and the workflow call :func:`may`
to decide what to show. Who reaches which region, institution and assessment is one
rule, ``accreditation.scope.user_scope``: the checks here use it as a predicate, the
visibility selectors (``selectors.visibility``) as a query filter, and tests check
that the two agree.

Permissions answer *who*; whether the object's state allows the action (an assessment
under review is not editable) is the service's business.

Scopes (``accreditation.scope``): institution staff act on their own institution;
county reviewers on their county and below; officers on their region and below
(everywhere when they have no region); experts on the assessments they are assigned
to; administrators see all.

Review steps: county reviewers (and officers above them) handle the county stage;
the panel, the decision and the public notice belong to officers at the level that
confirms the target level (``Cycle.review_level``) or above; experts grade what they
are assigned and the panel lead consolidates.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accreditation.models import (
    Assessment,
    Cycle,
    ExpertAssignment,
    Finding,
    Institution,
    Recognition,
    Region,
    User,
)
from accreditation.scope import user_scope
from standards import permissions as catalogue

Role = User.Role


class Action(StrEnum):
    REGION_MANAGE = "region.manage"  # obj: None
    USER_MANAGE = "user.manage"  # obj: None
    INSTITUTION_MANAGE = "institution.manage"  # obj: None or Institution
    INSTITUTION_VIEW = "institution.view"  # obj: Institution
    FACTS_RECORD = "facts.record"  # obj: Institution
    FACTS_IMPORT = "facts.import"  # obj: None (rows: Institution via FACTS_REGIONAL)
    FACTS_REGIONAL = "facts.regional"  # obj: Institution (import a row, decide challenges)
    FACT_CHALLENGE = "facts.challenge"  # obj: Institution
    CYCLE_MANAGE = "cycle.manage"  # obj: Cycle or its province (Region)
    ASSESSMENT_OPEN = "assessment.open"  # obj: Institution
    ASSESSMENT_VIEW = "assessment.view"  # obj: Assessment (grades, evidence, history)
    ASSESSMENT_EDIT = "assessment.edit"  # obj: Assessment (grades, evidence, target)
    ASSESSMENT_SUBMIT = "assessment.submit"  # obj: Assessment
    ASSESSMENT_RETURN = "assessment.return"  # obj: Assessment
    HISTORY_VIEW = "history.view"  # obj: User (their audit trail)
    COUNTY_REVIEW = "review.county"  # obj: Assessment (claim, forward)
    PANEL_ASSIGN = "review.panel_assign"  # obj: Assessment
    EXPERT_GRADE = "review.expert_grade"  # obj: Assessment (grade, submit own review)
    CONSOLIDATE = "review.consolidate"  # obj: Assessment
    RESULT_COMPUTE = "review.result_compute"  # obj: Assessment
    DECIDE = "review.decide"  # obj: Assessment
    NOTICE_MANAGE = "notice.manage"  # obj: Region (the issuing region)
    RECOGNITION_REVIEW = "recognition.review"  # obj: Recognition (look-back)
    CHECK_RUN = "check.run"  # obj: Region (consistency checks, reductions)
    FINDING_RAISE = "finding.raise"  # obj: Assessment (raise a finding on it)
    FINDING_RESPOND = "finding.respond"  # obj: Assessment (plans, evidence of effect)
    FINDING_DECIDE = "finding.decide"  # obj: Finding (accept/return plan, verify/reopen)
    OVERDUE_VIEW = "deadline.overdue_view"  # obj: None
    CATALOGUE_VIEW = "catalogue.view"  # obj: None, Edition or RuleSet (drafts: administrators)
    CATALOGUE_MANAGE = "catalogue.manage"  # obj: None
    DASHBOARD_VIEW = "dashboard.view"  # obj: Region (figures for it and below)
    REGION_REPORT = "region.report"  # obj: Region, or None for the whole country


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _institution_visible(user: User, institution: Institution) -> bool:
    return user_scope(user).reaches_institution(institution)


def _assessment_visible(user: User, assessment: Assessment) -> bool:
    return user_scope(user).reaches_assessment(assessment)


def _regional(user: User, path: str) -> bool:
    """A county reviewer or an officer whose scope covers ``path``."""
    return user.role in (Role.COUNTY_REVIEWER, Role.OFFICER) and user_scope(user).covers_path(path)


def _own_institution_staff(user: User, obj: Institution | Assessment) -> bool:
    if user.role != Role.INSTITUTION_STAFF or user.institution_id is None:
        return False
    institution_id = obj.pk if isinstance(obj, Institution) else obj.institution_id
    return user.institution_id == institution_id


def _facts_record(user: User, institution: Institution) -> bool:
    return user.role == Role.ADMINISTRATOR or _own_institution_staff(user, institution)


def _facts_import(user: User, obj: Any = None) -> bool:
    return user.role in (Role.ADMINISTRATOR, Role.OFFICER)


def _facts_regional(user: User, institution: Institution) -> bool:
    """Administrators, and county reviewers and officers whose region covers it."""
    return user.role == Role.ADMINISTRATOR or _regional(user, institution.region.path)


def _county_review(user: User, assessment: Assessment) -> bool:
    return _regional(user, assessment.institution.region.path)


def _panel_lead(user: User, assessment: Assessment) -> bool:
    return (
        user.role == Role.EXPERT
        and ExpertAssignment.objects.filter(
            assessment=assessment, expert=user, role=ExpertAssignment.Role.LEAD
        ).exists()
    )


def _assessment_return(user: User, assessment: Assessment) -> bool:
    """County reviewers and officers in scope, and the panel lead. Which of them may
    return at which stage is the review service's business."""
    return _county_review(user, assessment) or _panel_lead(user, assessment)


#: Region level -> rank; lower ranks are higher up. National officers have no region.
LEVEL_RANK: dict[str | None, int] = {
    None: 0,
    Region.Level.PROVINCE: 1,
    Region.Level.CITY: 2,
    Region.Level.COUNTY: 3,
    Region.Level.TOWNSHIP: 4,
}


def officer_at_or_above(user: User, level: str, path: str) -> bool:
    """An officer whose region covers ``path`` and is at ``level`` or higher up."""
    if user.role != Role.OFFICER or not user_scope(user).covers_path(path):
        return False
    own_level = user.region.level if user.region is not None else None
    return LEVEL_RANK[own_level] <= LEVEL_RANK[level]


def _review_officer(user: User, assessment: Assessment) -> bool:
    """An officer at the level that reviews and decides this assessment (the province
    for 推荐标准; the city or province the cycle names for the lower levels) or above."""
    level = assessment.cycle.review_level(assessment.target_level)
    return officer_at_or_above(user, level, assessment.institution.region.path)


def _expert_grade(user: User, assessment: Assessment) -> bool:
    return user.role == Role.EXPERT and user_scope(user).reaches_assessment(assessment)


def _result_compute(user: User, assessment: Assessment) -> bool:
    return _panel_lead(user, assessment) or _review_officer(user, assessment)


def _notice_manage(user: User, region: Region) -> bool:
    return user.role == Role.OFFICER and user_scope(user).covers_path(region.path)


def _recognition_review(user: User, recognition: Recognition) -> bool:
    return officer_at_or_above(
        user, recognition.issuing_region.level, recognition.institution.region.path
    )


def _check_run(user: User, region: Region) -> bool:
    return officer_at_or_above(user, Region.Level.PROVINCE, region.path)


def _finding_raise(user: User, assessment: Assessment) -> bool:
    """County reviewers and officers covering the institution, and the panel lead."""
    return _county_review(user, assessment) or _panel_lead(user, assessment)


def _finding_decide(user: User, finding: Finding) -> bool:
    """The reviewer who raised the finding (while it is still in their reach), or an
    officer covering the institution."""
    assessment = finding.assessment
    if user.role == Role.OFFICER and _regional(user, assessment.institution.region.path):
        return True
    return user.pk == finding.raised_by_id and _finding_raise(user, assessment)


def _officer(user: User, obj: Any = None) -> bool:
    return user.role == Role.OFFICER


def _cycle_manage(user: User, obj: Cycle | Region) -> bool:
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.role != Role.OFFICER:
        return False
    province = obj.province if isinstance(obj, Cycle) else obj
    if user.region is None:
        return True
    return user.region.level == Region.Level.PROVINCE and user.region_id == province.pk


def _history_view(user: User, subject: User) -> bool:
    return user.role == Role.ADMINISTRATOR or user.pk == subject.pk


def _dashboard_view(user: User, region: Region) -> bool:
    return user.role == Role.ADMINISTRATOR or _regional(user, region.path)


def _region_report(user: User, region: Region | None) -> bool:
    """Exports of a region's figures: whoever sees its dashboard; the whole country
    (``None``): administrators and national officers."""
    if region is None:
        return user.role == Role.ADMINISTRATOR or (
            user.role == Role.OFFICER and user.region_id is None
        )
    return _dashboard_view(user, region)


def _administrator(user: User, obj: Any = None) -> bool:
    return user.role == Role.ADMINISTRATOR


_RULES: dict[Action, Callable[[User, Any], bool]] = {
    Action.REGION_MANAGE: _administrator,
    Action.USER_MANAGE: _administrator,
    Action.INSTITUTION_MANAGE: _administrator,
    Action.INSTITUTION_VIEW: _institution_visible,
    Action.FACTS_RECORD: _facts_record,
    Action.FACTS_IMPORT: _facts_import,
    Action.FACTS_REGIONAL: _facts_regional,
    Action.FACT_CHALLENGE: _own_institution_staff,
    Action.CYCLE_MANAGE: _cycle_manage,
    Action.ASSESSMENT_OPEN: _own_institution_staff,
    Action.ASSESSMENT_VIEW: _assessment_visible,
    Action.ASSESSMENT_EDIT: _own_institution_staff,
    Action.ASSESSMENT_SUBMIT: _own_institution_staff,
    Action.ASSESSMENT_RETURN: _assessment_return,
    Action.HISTORY_VIEW: _history_view,
    Action.COUNTY_REVIEW: _county_review,
    Action.PANEL_ASSIGN: _review_officer,
    Action.EXPERT_GRADE: _expert_grade,
    Action.CONSOLIDATE: _panel_lead,
    Action.RESULT_COMPUTE: _result_compute,
    Action.DECIDE: _review_officer,
    Action.NOTICE_MANAGE: _notice_manage,
    Action.RECOGNITION_REVIEW: _recognition_review,
    Action.CHECK_RUN: _check_run,
    Action.FINDING_RAISE: _finding_raise,
    Action.FINDING_RESPOND: _own_institution_staff,
    Action.FINDING_DECIDE: _finding_decide,
    Action.OVERDUE_VIEW: _officer,
    Action.CATALOGUE_VIEW: catalogue.may_view,  # the catalogue's own rule
    Action.CATALOGUE_MANAGE: catalogue.may_manage,
    Action.DASHBOARD_VIEW: _dashboard_view,
    Action.REGION_REPORT: _region_report,
}


def may(user: Any, action: Action, obj: Any = None) -> bool:
    """Whether ``user`` may perform ``action`` on ``obj``. False for anonymous and
    inactive users, users without a role and unknown actions."""
    if not _active(user) or not user.role:
        return False
    rule = _RULES.get(action)
    return bool(rule is not None and rule(user, obj))


def require(user: Any, action: Action, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` unless :func:`may` allows it."""
    if not may(user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))
