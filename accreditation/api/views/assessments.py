"""Assessments: open, read, target level, the checklist and item grades, progress and
provisional result, submit, returns, snapshots and the audit history."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api import filters
from accreditation.api.schema import errors
from accreditation.api.serializers.assessments import (
    AssessmentOpenSerializer,
    AssessmentSerializer,
    ChecklistRowSerializer,
    ItemGradeInputSerializer,
    ItemGradeSerializer,
    ProgressSerializer,
    ProvisionalResultSerializer,
    ReturnInputSerializer,
    ReturnSerializer,
    SnapshotDetailSerializer,
    SnapshotSerializer,
    SubmissionSerializer,
    TargetLevelSerializer,
)
from accreditation.api.serializers.people import AuditEventSerializer
from accreditation.api.views.base import AssessmentScoped, caller
from accreditation.core.api import referenced, validated
from accreditation.models import (
    Assessment,
    AssessmentReturn,
    AssessmentSnapshot,
    AuditEvent,
    ItemGrade,
)
from accreditation.selectors import (
    assessment_checklist,
    assessment_progress,
    assessment_provisional_result,
    assessments_visible_to,
    audit_events_for_assessment,
    checklist_grades,
    cycles_visible_to,
    institutions_visible_to,
)
from accreditation.services.assessments import (
    KEEP,
    assessment_open,
    assessment_return,
    assessment_target_level_set,
    item_grade_save,
)
from accreditation.services.submission import assessment_submit

TAGS = ["assessments"]


def _assessments(request):
    return assessments_visible_to(request.user).select_related(
        "cycle", "institution__region", "edition"
    )


@extend_schema(tags=TAGS)
class AssessmentList(generics.ListAPIView):
    """Assessments in the caller's scope."""

    queryset = Assessment.objects.none()
    serializer_class = AssessmentSerializer
    filterset_class = filters.AssessmentFilter
    ordering_fields = ["id", "created_at", "submitted_at", "status", "cycle__year"]
    ordering = ["-cycle__year", "institution__name", "id"]

    def get_queryset(self):
        return _assessments(self.request)

    @extend_schema(
        request=AssessmentOpenSerializer,
        responses={201: AssessmentSerializer, **errors(409)},
    )
    def post(self, request):
        """Open the institution's assessment for a cycle with a target level (the
        institution's staff). With ``carry_forward`` the grades start from the last
        accepted grading as proposals to confirm (items changed or new since are
        flagged). 409 ``already_open``, ``cycle_closed``, ``outside_cycle``,
        ``no_standard``, ``nothing_to_carry`` or ``incompatible_editions`` (nothing is
        opened)."""
        data = validated(AssessmentOpenSerializer, request.data)
        institution_id = data.get("institution", request.user.institution_id)
        if institution_id is None:
            raise ValidationError({"institution": [_("This field is required.")]})
        assessment = assessment_open(
            actor=request.user,
            cycle=referenced(
                cycles_visible_to(request.user).select_related("province"), data["cycle"], "cycle"
            ),
            institution=referenced(
                institutions_visible_to(request.user).select_related("region"),
                institution_id,
                "institution",
            ),
            target_level=data["target_level"],
            carry_forward=data["carry_forward"],
        )
        return Response(AssessmentSerializer(assessment).data, status=201)


@extend_schema(tags=TAGS)
class AssessmentDetail(AssessmentScoped, APIView):
    @extend_schema(responses=AssessmentSerializer)
    def get(self, request, assessment_id: int):
        return Response(AssessmentSerializer(self.get_assessment()).data)

    @extend_schema(
        request=TargetLevelSerializer, responses={200: AssessmentSerializer, **errors(409)}
    )
    def patch(self, request, assessment_id: int):
        """Change the target level. Send the ``version`` read; a stale one answers 409
        ``stale_version`` with the current values in ``details.current``."""
        assessment = self.get_assessment()
        data = validated(TargetLevelSerializer, request.data)
        updated = assessment_target_level_set(
            actor=request.user,
            assessment=assessment,
            target_level=data["target_level"],
            expected_version=data["version"],
        )
        return Response(AssessmentSerializer(updated).data)


@extend_schema(tags=TAGS)
class Checklist(AssessmentScoped, generics.ListAPIView):
    """The checklist: every item with its criteria, the institution's grade, evidence,
    applicability and (when returned) the reviewer's comment. Catalogue order."""

    queryset = ItemGrade.objects.none()
    serializer_class = ChecklistRowSerializer
    filterset_class = filters.ItemGradeFilter
    ordering_fields = ["position", "item_code", "grade", "version", "updated_at"]
    ordering = ["position"]

    def get_queryset(self):
        return checklist_grades(assessment=self.get_assessment()).annotate(
            position=F("item__position")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = assessment_checklist(assessment=self.get_assessment(), grades=page)
        return self.get_paginated_response(ChecklistRowSerializer(rows, many=True).data)


@extend_schema(tags=TAGS)
class ItemGradeDetail(AssessmentScoped, APIView):
    @extend_schema(responses=ChecklistRowSerializer)
    def get(self, request, assessment_id: int, item_code: str):
        """One checklist row."""
        assessment = self.get_assessment()
        grades = checklist_grades(assessment=assessment).filter(item_code=item_code)
        rows = assessment_checklist(assessment=assessment, grades=grades)
        if not rows:
            raise ItemGrade.DoesNotExist
        return Response(ChecklistRowSerializer(rows[0]).data)

    @extend_schema(
        request=ItemGradeInputSerializer, responses={200: ItemGradeSerializer, **errors(409)}
    )
    def patch(self, request, assessment_id: int, item_code: str):
        """Save the grade, N/A reason, metric value or note of one item (the
        institution's staff, while a draft or returned). Send the item's ``version``; a
        stale one answers 409 ``stale_version`` with the stored values in
        ``details.current``. Omitted values keep their stored value."""
        serializer = ItemGradeInputSerializer(data=request.data)
        if not serializer.is_valid():
            self.get_assessment()  # out of scope: 404 before 400
            raise ValidationError(serializer.errors)
        data = serializer.validated_data
        # The service reads the assessment under lock and answers 404 out of scope.
        saved = item_grade_save(
            actor=request.user,
            assessment=assessment_id,
            item_code=item_code,
            expected_version=data["version"],
            grade=data.get("grade", KEEP),
            na_reason=data.get("na_reason", KEEP),
            metric_value=data.get("metric_value", KEEP),
            note=data.get("note", KEEP),
        )
        return Response(ItemGradeSerializer(saved).data)


@extend_schema(tags=TAGS)
class Progress(AssessmentScoped, APIView):
    @extend_schema(responses=ProgressSerializer)
    def get(self, request, assessment_id: int):
        """Answered and applicable items, overall and per chapter."""
        progress = assessment_progress(assessment=self.get_assessment())
        return Response(
            ProgressSerializer({**progress.as_dict(), "complete": progress.complete}).data
        )


@extend_schema(tags=TAGS)
class ProvisionalResult(AssessmentScoped, APIView):
    @extend_schema(responses=ProvisionalResultSerializer)
    def get(self, request, assessment_id: int):
        """The level the current grades reach, why not higher, and the smallest plan
        towards the target level. Provisional: reviewers decide."""
        result = assessment_provisional_result(assessment=self.get_assessment())
        return Response(ProvisionalResultSerializer(result.as_dict()).data)


@extend_schema(tags=TAGS)
class Submit(AssessmentScoped, APIView):
    @extend_schema(request=None, responses={200: SubmissionSerializer, **errors(409, 422)})
    def post(self, request, assessment_id: int):
        """Submit the self-assessment (the institution's staff). 422 ``incomplete`` lists
        every problem in ``details.problems``; 409 ``invalid_transition`` unless a draft
        or returned, ``cycle_closed`` when the cycle is closed."""
        snapshot = assessment_submit(actor=request.user, assessment=self.get_assessment())
        return Response(
            SubmissionSerializer({"assessment": snapshot.assessment, "snapshot": snapshot}).data
        )


@extend_schema(tags=TAGS)
class ReturnList(AssessmentScoped, generics.ListAPIView):
    """Returns for correction (退回修改), newest first."""

    queryset = AssessmentReturn.objects.none()
    serializer_class = ReturnSerializer
    filterset_class = filters.ReturnFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]

    def get_queryset(self):
        return self.get_assessment().returns.select_related("returned_by")

    @extend_schema(request=ReturnInputSerializer, responses={201: ReturnSerializer, **errors(409)})
    def post(self, request, assessment_id: int):
        """Return the assessment for correction with a reason and comments per item
        (county reviewers and officers covering it). 409 ``invalid_transition`` from a
        status that cannot be returned."""
        assessment = self.get_assessment()
        data = validated(ReturnInputSerializer, request.data)
        returned = assessment_return(actor=request.user, assessment=assessment, **data)
        return Response(ReturnSerializer(returned).data, status=201)


@extend_schema(tags=TAGS)
class SnapshotList(AssessmentScoped, generics.ListAPIView):
    """Frozen submissions, newest first."""

    queryset = AssessmentSnapshot.objects.none()
    serializer_class = SnapshotSerializer
    filterset_class = filters.SnapshotFilter
    ordering_fields = ["sequence", "created_at"]
    ordering = ["-sequence"]

    def get_queryset(self):
        return self.get_assessment().snapshots.select_related("created_by")


@extend_schema(tags=TAGS)
class SnapshotDetail(AssessmentScoped, generics.RetrieveAPIView):
    """One frozen submission with everything it froze."""

    queryset = AssessmentSnapshot.objects.none()
    serializer_class = SnapshotDetailSerializer
    lookup_field = "sequence"

    def get_queryset(self):
        return self.get_assessment().snapshots.select_related("created_by")


@extend_schema(tags=TAGS)
class AssessmentHistory(AssessmentScoped, generics.ListAPIView):
    """Every recorded change to the assessment and anything inside it, newest first."""

    queryset = AuditEvent.objects.none()
    serializer_class = AuditEventSerializer
    filterset_class = filters.AuditEventFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]

    def get_queryset(self):
        return audit_events_for_assessment(
            viewer=caller(self.request), assessment=self.get_assessment()
        )
