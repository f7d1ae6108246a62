"""Experts: their tasks, the scoring page (criteria, the self-grade and the evidence
beside their own grade and finding, autosaved), submission, and the panel lead's
consolidation with the disagreements first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accreditation.core.errors import ConflictError, DomainError, IncompleteError
from accreditation.models import Assessment, ExpertAssignment, RecordSample, User
from accreditation.selectors.assignments import (
    expert_assignment_get_for_user,
    expert_assignments_for_user,
    expert_is_panel_lead,
    usernames_by_id,
)
from accreditation.selectors.items import assessment_item_count, assessment_item_titles
from accreditation.selectors.reviews import (
    consolidation_onsite,
    consolidation_rows,
    expert_grades_for,
    expert_sampling_for,
)
from accreditation.selectors.workspace import assessment_workspace
from accreditation.services.consolidation import consolidation_complete, consolidation_grade_set
from accreditation.services.experts import expert_grade_save, expert_review_submit
from accreditation.services.sampling import (
    record_sample_draw,
    sample_summary_of,
    sampled_record_set,
)
from accreditation.web.access import (
    SignedInRequest,
    assessment_or_404,
    json_role_required,
    role_required,
)
from accreditation.web.presenters import (
    GRADE_CHOICES,
    GRADE_LABELS,
    autosave_texts,
    checklist_chapters,
    grade_label,
    level_label,
    offline_texts,
)
from accreditation.web.responses import json_error, json_refusal, refuse
from standards.models import ReviewMethod
from workflows.selectors import InboxRow, task_inbox
from workflows.steps import Step

EXPERT = User.Role.EXPERT
Status = Assessment.Status
Role = ExpertAssignment.Role


@dataclass(frozen=True, slots=True)
class _ScoringSection:
    """A checklist section of the scoring page: each item with the expert's own grade,
    the evidence they checked and the other experts' grades."""

    code: str
    title: str
    items: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class _ScoringChapter:
    code: str
    title: str
    sections: list[_ScoringSection]


def _step_link(row: InboxRow) -> dict[str, str]:
    """Where an open step is taken: the consolidation worksheet or the scoring page."""
    if row.step == Step.CONSOLIDATE:
        url, action = "web:expert_consolidation", _("Consolidate")
    else:
        url, action = "web:expert_scoring", _("Start grading")
    return {"url": reverse(url, args=[row.assessment_id]), "action": action}


@require_GET
@role_required(EXPERT)
def tasks(request: SignedInRequest) -> HttpResponse:
    """The expert's open steps (grading, consolidating) and every assignment."""
    open_steps = [
        {"row": row, "target": level_label(row.target_level), **_step_link(row)}
        for row in task_inbox(user=request.user)
    ]
    assignments = expert_assignments_for_user(user=request.user)
    return render(
        request, "web/expert/tasks.html", {"open_steps": open_steps, "assignments": assignments}
    )


def _own_and_others(request: SignedInRequest, assessment: Assessment) -> tuple[Any, list]:
    reviews = expert_grades_for(viewer=request.user, assessment=assessment)
    own = next((r for r in reviews if r.expert_id == request.user.pk), None)
    others = [r for r in reviews if r.expert_id != request.user.pk]
    return own, others


def _summary_context(assessment: Assessment, own: Any, total: int) -> dict[str, Any]:
    graded = sum(1 for g in (own.grades.values() if own else ()) if g.grade)
    return {"assessment": assessment, "graded": graded, "total": total, "own": own}


@require_GET
@role_required(EXPERT)
def scoring(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """Every item with its criteria, the institution's self-grade, notes and evidence
    beside the expert's own grade, finding, on-site note and the evidence checked.
    Editable while the expert's grading step is open; afterwards the other experts'
    grades show too."""
    assessment = assessment_or_404(request, assessment_id)
    own, others = _own_and_others(request, assessment)
    workspace = assessment_workspace(assessment=assessment)
    assignment = expert_assignment_get_for_user(user=request.user, assessment=assessment)
    editable = assessment.status == Status.EXPERT_REVIEW and not (own and own.submitted)
    names = usernames_by_id(user_ids=[r.expert_id for r in others])
    own_grades = own.grades if own else {}
    sampling = expert_sampling_for(viewer=request.user, assessment=assessment)
    chapters = [
        _ScoringChapter(
            chapter.code,
            chapter.title,
            [
                _ScoringSection(
                    section.code,
                    section.title,
                    [
                        {
                            "entry": entry,
                            "sampled": RECORD_SAMPLING
                            in (entry.row.grade.item.review_methods or []),
                            "records": sampling.lists.get(entry.code),
                            "sample": sampling.samples.get(entry.code),
                            "sample_line": _sample_line(sampling.samples[entry.code])
                            if entry.code in sampling.samples
                            else "",
                            "own": own_grades.get(entry.code),
                            "checked": set(own_grades[entry.code].evidence_checked)
                            if entry.code in own_grades
                            else set(),
                            "others": [
                                (
                                    names.get(r.expert_id, ""),
                                    grade_label(r.grades[entry.code].grade),
                                )
                                for r in others
                                if entry.code in r.grades
                            ],
                        }
                        for entry in section.items
                    ],
                )
                for section in chapter.sections
            ],
        )
        for chapter in checklist_chapters(workspace)
    ]
    context = {
        "assessment": assessment,
        "chapters": chapters,
        "others": others,
        "editable": editable,
        "is_lead": assignment.role == Role.LEAD,
        "grade_choices": [(value, GRADE_LABELS[value]) for value in GRADE_CHOICES],
        "grade_labels": GRADE_LABELS,
        "i18n": {
            **autosave_texts(
                {
                    "grade": _("Your grade"),
                    "finding": _("Finding"),
                    "onsite_note": _("On-site note"),
                    "evidence_checked": _("Evidence checked"),
                }
            ),
            **offline_texts(),
        },
        **_summary_context(assessment, own, len(workspace.rows)),
    }
    return render(request, "web/expert/scoring.html", context)


@require_GET
@json_role_required(EXPERT)
def scoring_summary(request: SignedInRequest, assessment_id: int) -> JsonResponse:
    assessment = assessment_or_404(request, assessment_id)
    own, _others = _own_and_others(request, assessment)
    total = assessment_item_count(assessment=assessment)
    html = render_to_string(
        "web/expert/_summary.html", _summary_context(assessment, own, total), request=request
    )
    return JsonResponse({"html": html, "progress": {"chapters": []}})


@require_POST
@json_role_required(EXPERT)
def grade_save(request: SignedInRequest, assessment_id: int, item_code: str) -> JsonResponse:
    """Autosave the expert's grade of one item (JSON: grade, finding, onsite_note,
    evidence_checked, version); 409 with the stored values on a stale version."""
    assessment = assessment_or_404(request, assessment_id)
    try:
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise ValueError
        version = int(data.get("version", ""))
        checked = [int(pk) for pk in data.get("evidence_checked") or []]
    except (TypeError, ValueError):
        return json_error("invalid", _("The request is malformed."), 400)
    try:
        row = expert_grade_save(
            actor=request.user,
            assessment=assessment,
            item_code=item_code,
            grade=str(data.get("grade") or ""),
            finding=str(data.get("finding") or ""),
            onsite_note=str(data.get("onsite_note") or ""),
            evidence_checked=checked,
            expected_version=version,
        )
    except ConflictError as exc:
        # The expert's own row: saved meanwhile from another of their tabs.
        who = request.user.get_full_name() or request.user.get_username()
        return json_refusal(ConflictError(exc.message, current={**exc.current, "updated_by": who}))
    except (ValidationError, PermissionDenied, DomainError) as exc:
        return json_refusal(exc)
    return JsonResponse(
        {
            "item": {
                "item": row.item_code,
                "grade": row.grade,
                "finding": row.finding,
                "onsite_note": row.onsite_note,
                "evidence_checked": list(row.evidence_checked),
                "version": row.version,
                "updated_at": timezone.localtime(row.updated_at).isoformat()
                if row.updated_at
                else "",
            }
        }
    )


@require_POST
@role_required(EXPERT)
def submit(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """Submit the expert's review; every ungraded item is listed at once."""
    assessment = assessment_or_404(request, assessment_id)
    try:
        expert_review_submit(actor=request.user, assessment=assessment)
    except IncompleteError as exc:
        return render(
            request,
            "web/institution/submit_problems.html",
            {
                "assessment": assessment,
                "problems": exc.problems,
                "back_url": reverse("web:expert_scoring", args=[assessment.pk]),
                "heading": _("Your review is not complete"),
            },
            status=exc.status,
        )
    except DomainError as exc:
        refuse(request, exc)
        return redirect("web:expert_scoring", assessment.pk)
    messages.success(request, _("Your review is submitted."))
    return redirect("web:expert_tasks")


RECORD_SAMPLING = ReviewMethod.RECORD_SAMPLING


def _sampled(entry: Any) -> bool:
    """Whether the checklist entry's item is reviewed by record sampling."""
    return RECORD_SAMPLING in (entry.row.grade.item.review_methods or [])


def _back_to(assessment: Assessment, code: str) -> HttpResponse:
    return redirect(reverse("web:expert_scoring", args=[assessment.pk]) + f"#item-{code}")


def _refused(request: SignedInRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(str(m) for m in exc.messages))
    else:
        refuse(request, exc)


@require_POST
@role_required(EXPERT)
def sample_draw(request: SignedInRequest, assessment_id: int, item_code: str) -> HttpResponse:
    """Draw the expert's record sample for one item from the size and seed typed."""
    assessment = assessment_or_404(request, assessment_id)
    try:
        size = int(request.POST.get("size", ""))
    except ValueError:
        messages.error(request, _("Type how many records to draw."))
        return _back_to(assessment, item_code)
    try:
        record_sample_draw(
            actor=request.user,
            assessment=assessment,
            item_code=item_code,
            size=size,
            seed=request.POST.get("seed", ""),
        )
    except (ValidationError, DomainError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The sample is drawn; check each record."))
    return _back_to(assessment, item_code)


@require_POST
@role_required(EXPERT)
def sample_record(request: SignedInRequest, assessment_id: int, item_code: str) -> HttpResponse:
    """Record pass or fail for one record of the expert's sample."""
    assessment = assessment_or_404(request, assessment_id)
    sampling = expert_sampling_for(viewer=request.user, assessment=assessment)
    sample = sampling.samples.get(item_code)
    if sample is None:
        messages.error(request, _("Draw the sample first."))
        return _back_to(assessment, item_code)
    try:
        sampled_record_set(
            actor=request.user,
            sample=sample,
            record_id=request.POST.get("record_id", ""),
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        )
    except (ValidationError, DomainError) as exc:
        _refused(request, exc)
    return _back_to(assessment, item_code)


def _sample_line(sample: RecordSample) -> str:
    summary = sample_summary_of(sample)
    return _("%(passed)d of %(checked)d records checked passed (sample of %(size)d)") % {
        "passed": summary.passed,
        "checked": summary.checked,
        "size": summary.size,
    }


def _consolidation_page(
    request: SignedInRequest,
    assessment: Assessment,
    *,
    typed: dict[str, tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    problems: list | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = consolidation_rows(viewer=request.user, assessment=assessment)
    titles = assessment_item_titles(assessment=assessment)
    expert_ids = sorted({int(pk) for row in rows for pk in row.expert_grades})
    names = usernames_by_id(user_ids=expert_ids)
    onsite = consolidation_onsite(viewer=request.user, assessment=assessment)
    typed = typed or {}
    lines = []
    for row in rows:
        final, reason = typed.get(row.item_code, (row.final_grade, row.reason))
        lines.append(
            {
                "row": row,
                "title": titles.get(row.item_code, ""),
                "self": grade_label(row.self_grade) if row.self_grade else "—",
                "experts": [
                    (names.get(int(pk), pk), grade_label(grade))
                    for pk, grade in sorted(row.expert_grades.items(), key=lambda kv: int(kv[0]))
                ],
                "majority": grade_label(row.majority_grade) if row.majority_grade else "—",
                "final": final,
                "reason": reason,
                "error": (errors or {}).get(row.item_code, ""),
                "photos": [
                    {
                        "url": reverse(
                            "api:expert-photo-file",
                            kwargs={"assessment_id": assessment.pk, "pk": photo.pk},
                        ),
                        "caption": photo.caption,
                        "by": photo.taken_by.username,
                    }
                    for photo in onsite.photos.get(row.item_code, [])
                ],
                "samples": [
                    {"by": sample.drawn_by.username, "summary": _sample_line(sample)}
                    for sample in onsite.samples.get(row.item_code, [])
                ],
            }
        )
    editable = assessment.status == Status.CONSOLIDATION and expert_is_panel_lead(
        user=request.user, assessment=assessment
    )
    return render(
        request,
        "web/expert/consolidation.html",
        {
            "assessment": assessment,
            "lines": lines,
            "disagreements": sum(1 for row in rows if row.disagreement),
            "editable": editable,
            "grade_choices": [(value, GRADE_LABELS[value]) for value in GRADE_CHOICES],
            "problems": problems or [],
            "errors": errors or {},
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(EXPERT)
def consolidation(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """The lead's worksheet, disagreements first: the self-grade, each expert's grade
    and the majority beside the final grade and its reason. POST saves the changed
    rows; with ``complete`` it then finishes the consolidation."""
    assessment = assessment_or_404(request, assessment_id)
    if request.method == "GET":
        return _consolidation_page(request, assessment)
    rows = {r.item_code: r for r in consolidation_rows(viewer=request.user, assessment=assessment)}
    typed: dict[str, tuple[str, str]] = {}
    errors: dict[str, str] = {}
    for code, row in rows.items():
        final = request.POST.get(f"final-{code}", row.final_grade)
        reason = (request.POST.get(f"reason-{code}", row.reason) or "").strip()
        typed[code] = (final, reason)
        if (final, reason) == (row.final_grade, row.reason) or not final:
            continue
        try:
            consolidation_grade_set(
                actor=request.user,
                assessment=assessment,
                item_code=code,
                final_grade=final,
                reason=reason,
            )
        except ValidationError as exc:
            errors[code] = " ".join(str(m) for m in exc.messages)
        except PermissionDenied:
            raise
        except DomainError as exc:
            refuse(request, exc)
            return redirect("web:expert_consolidation", assessment.pk)
    if errors:
        return _consolidation_page(request, assessment, typed=typed, errors=errors, status=400)
    if "complete" not in request.POST:
        messages.success(request, _("The final grades are saved."))
        return redirect("web:expert_consolidation", assessment.pk)
    try:
        consolidation_complete(actor=request.user, assessment=assessment)
    except IncompleteError as exc:
        return _consolidation_page(request, assessment, problems=exc.problems, status=exc.status)
    except DomainError as exc:
        refuse(request, exc)
        return redirect("web:expert_consolidation", assessment.pk)
    messages.success(request, _("The consolidation is complete; the commission decides next."))
    return redirect("web:expert_tasks")
