"""The review process over the API: the task inbox, the county review, rounds, the
expert panel, expert grading, the consolidation, the computed result and decisions.
Every action calls the service the web pages and the flow call; the service checks
the permission (403) and the process step (409 ``wrong_step``)."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView
from viewflow.workflow.models import Task

from accreditation.api import filters
from accreditation.api.schema import errors
from accreditation.api.serializers.assessments import AssessmentSerializer
from accreditation.api.serializers.reviews import (
    BatchDecisionsSerializer,
    ConsolidatedGradeInputSerializer,
    ConsolidatedGradeSerializer,
    ConsolidationSerializer,
    CountyForwardSerializer,
    CountyReviewSerializer,
    DecisionInputSerializer,
    DecisionSerializer,
    ExpertGradeInputSerializer,
    ExpertGradeSerializer,
    ExpertPhotoSerializer,
    ExpertPhotoUploadSerializer,
    ExpertReviewSerializer,
    ExpertSerializer,
    PanelAssignSerializer,
    PanelMemberSerializer,
    ResultSerializer,
    ReviewRoundSerializer,
    TaskSerializer,
)
from accreditation.api.views.base import AssessmentScoped, caller
from accreditation.core.api import referenced, validated
from accreditation.core.files import CONTENT_TYPES
from accreditation.models import (
    AssessmentResult,
    ConsolidatedGrade,
    Decision,
    ExpertAssignment,
    ExpertItemGrade,
    ExpertPhoto,
    ReviewRound,
    User,
)
from accreditation.permissions import Action, require
from accreditation.selectors import assessments_visible_to, experts_visible_to
from accreditation.selectors.review_lists import (
    consolidation_for,
    consolidation_grades_for,
    expert_item_grades_for,
    expert_photos_for,
    review_rounds_for,
)
from accreditation.selectors.reviews import latest_result
from accreditation.services.consolidation import consolidation_complete, consolidation_grade_set
from accreditation.services.decisions import DecisionInput, decision_record, decisions_record
from accreditation.services.experts import expert_grade_save, expert_photo_add, expert_review_submit
from accreditation.services.panels import panel_assign
from accreditation.services.results import result_compute
from accreditation.services.reviews import county_review_forward, county_review_start
from workflows.selectors import inbox_tasks

TAGS = ["review"]
_A = "process__assessmentprocess__assessment__"


@extend_schema(tags=TAGS)
class TaskList(generics.ListAPIView):
    """The caller's inbox: open review steps they may take (county reviews in their
    county, corrections of their institution, panel, decision and notice steps at
    their level, their own expert reviews and consolidations), oldest first."""

    queryset = Task.objects.none()
    serializer_class = TaskSerializer
    filterset_class = filters.TaskFilter
    ordering_fields = ["id", "created"]
    ordering = ["created", "id"]

    def get_queryset(self):
        return inbox_tasks(user=self.request.user).select_related("owner", f"{_A}institution")


@extend_schema(tags=TAGS)
class Experts(generics.ListAPIView):
    """Expert reviewers with their profiles, for panel assignment (officers and
    administrators; an expert sees themselves)."""

    queryset = User.objects.none()
    serializer_class = ExpertSerializer
    filterset_class = filters.ExpertFilter
    ordering_fields = ["id", "username"]
    ordering = ["username"]

    def get_queryset(self):
        return experts_visible_to(self.request.user).select_related("expert_profile__home_region")


@extend_schema(tags=TAGS)
class CountyReviewStart(AssessmentScoped, APIView):
    @extend_schema(request=None, responses={200: AssessmentSerializer, **errors(409)})
    def post(self, request, assessment_id: int):
        """Take the submitted assessment for county review (county reviewers and
        officers covering it)."""
        assessment = county_review_start(actor=request.user, assessment=self.get_assessment())
        return Response(AssessmentSerializer(assessment).data)


@extend_schema(tags=TAGS)
class CountyReviewForward(AssessmentScoped, APIView):
    @extend_schema(
        request=CountyForwardSerializer, responses={200: CountyReviewSerializer, **errors(409)}
    )
    def post(self, request, assessment_id: int):
        """Forward the assessment from the county review to the expert review, with an
        optional comment and notes per item. Returning it: ``returns/``."""
        assessment = self.get_assessment()
        data = validated(CountyForwardSerializer, request.data)
        review = county_review_forward(actor=request.user, assessment=assessment, **data)
        return Response(CountyReviewSerializer(review).data)


@extend_schema(tags=TAGS)
class RoundList(AssessmentScoped, generics.ListAPIView):
    """Every review round (county and expert, one per submission reviewed), with the
    county reviewer's record."""

    queryset = ReviewRound.objects.none()
    serializer_class = ReviewRoundSerializer
    filterset_class = filters.RoundFilter
    ordering_fields = ["id", "opened_at"]
    ordering = ["id"]

    def get_queryset(self):
        return review_rounds_for(
            viewer=caller(self.request), assessment=self.get_assessment()
        ).select_related("snapshot")


@extend_schema(tags=TAGS)
class Panel(AssessmentScoped, generics.ListAPIView):
    """The expert panel: the lead and the members."""

    queryset = ExpertAssignment.objects.none()
    serializer_class = PanelMemberSerializer
    filterset_class = filters.PanelFilter
    ordering_fields = ["id", "role"]
    ordering = ["role", "id"]

    def get_queryset(self):
        return self.get_assessment().expert_assignments.select_related("expert", "assigned_by")

    @extend_schema(
        request=PanelAssignSerializer,
        responses={201: PanelMemberSerializer(many=True), **errors(409)},
    )
    def post(self, request, assessment_id: int):
        """Assign the panel (officers at the reviewing level). 409
        ``conflict_of_interest`` names each conflicted expert and rule in
        ``details.conflicts``."""
        assessment = self.get_assessment()
        data = validated(PanelAssignSerializer, request.data)
        # Before resolving the experts: a caller who may not assign sees none of them,
        # and should hear 403, not "expert not found".
        require(request.user, Action.PANEL_ASSIGN, assessment)
        experts = experts_visible_to(request.user)
        assignments = panel_assign(
            actor=request.user,
            assessment=assessment,
            lead=referenced(experts, data["lead"], "lead"),
            members=[referenced(experts, pk, "members") for pk in data["members"]],
        )
        return Response(PanelMemberSerializer(assignments, many=True).data, status=201)


@extend_schema(tags=TAGS)
class ExpertGradeList(AssessmentScoped, generics.ListAPIView):
    """The panel's grades of the latest expert round as the caller may see them: an
    expert sees their own, and the others' once their own review is submitted;
    officers and administrators in scope see all."""

    queryset = ExpertItemGrade.objects.none()
    serializer_class = ExpertGradeSerializer
    filterset_class = filters.ExpertGradeFilter
    ordering_fields = ["id", "item_code", "grade"]
    ordering = ["review__expert_id", "id"]

    def get_queryset(self):
        return expert_item_grades_for(viewer=caller(self.request), assessment=self.get_assessment())


@extend_schema(tags=TAGS)
class ExpertGradeSave(AssessmentScoped, APIView):
    @extend_schema(
        request=ExpertGradeInputSerializer, responses={200: ExpertGradeSerializer, **errors(409)}
    )
    def put(self, request, assessment_id: int, item_code: str):
        """Save the caller's own grade of one item with the finding, the on-site note
        and the evidence attachments checked (panel experts). With ``version``, a stale
        row answers 409 ``stale_version`` with the stored values."""
        assessment = self.get_assessment()
        data = validated(ExpertGradeInputSerializer, request.data)
        grade = expert_grade_save(
            actor=request.user,
            assessment=assessment,
            item_code=item_code,
            expected_version=data.pop("version", None),
            **data,
        )
        row = ExpertItemGrade.objects.select_related("review__assignment").get(pk=grade.pk)
        return Response(ExpertGradeSerializer(row).data)


@extend_schema(tags=TAGS)
class ExpertPhotoList(AssessmentScoped, generics.ListAPIView):
    """The on-site photos of one item's expert grades that the caller may see (as
    ``expert-grades/``), and the upload of a new one by a panel expert."""

    queryset = ExpertPhoto.objects.none()
    serializer_class = ExpertPhotoSerializer
    ordering_fields = ["id", "created_at"]
    ordering = ["id"]
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        photos = expert_photos_for(viewer=caller(self.request), assessment=self.get_assessment())
        return photos.filter(grade__item_code=self.kwargs["item_code"])

    @extend_schema(
        request={"multipart/form-data": ExpertPhotoUploadSerializer},
        responses={201: ExpertPhotoSerializer, 200: ExpertPhotoSerializer, **errors(409, 413)},
    )
    def post(self, request, assessment_id: int, item_code: str):
        """Add a photo taken on site to the caller's grade of the item (panel experts,
        while their grading is open). JPEG or PNG, from the content; 400
        ``evidence_rejected`` with ``details.reason`` (``empty``, ``too_large``,
        ``unsupported_type``) stores nothing. The same photo sent again (a retried
        offline upload) answers 200 with the photo already stored."""
        data = validated(ExpertPhotoUploadSerializer, request.data)
        photo, created = expert_photo_add(
            actor=request.user,
            assessment=self.get_assessment(),
            item_code=item_code,
            file=data["file"],
            caption=data["caption"],
        )
        photo = ExpertPhoto.objects.select_related("evidence", "taken_by", "grade").get(pk=photo.pk)
        return Response(ExpertPhotoSerializer(photo).data, status=201 if created else 200)


@extend_schema(tags=TAGS)
class ExpertPhotoAll(AssessmentScoped, generics.ListAPIView):
    """Every on-site photo of the latest expert round the caller may see: the lead's
    view at consolidation. Filter by ``item_code`` or ``expert``."""

    queryset = ExpertPhoto.objects.none()
    serializer_class = ExpertPhotoSerializer
    filterset_class = filters.ExpertPhotoFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["grade__item_code", "id"]

    def get_queryset(self):
        return expert_photos_for(viewer=caller(self.request), assessment=self.get_assessment())


@extend_schema(tags=TAGS)
class ExpertPhotoFile(AssessmentScoped, APIView):
    @extend_schema(
        responses={
            (200, "image/jpeg"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The photo, with its detected content type."
            )
        }
    )
    def get(self, request, assessment_id: int, pk: int):
        """The photo, to whoever may see the grade it belongs to."""
        photo = expert_photos_for(viewer=caller(request), assessment=self.get_assessment()).get(
            pk=pk
        )
        evidence = photo.evidence
        return FileResponse(
            evidence.file.open("rb"),
            filename=f"{photo.grade.item_code}-{photo.pk}.{evidence.file_type}",
            content_type=CONTENT_TYPES[evidence.file_type],
        )

    def perform_content_negotiation(self, request, force=False):
        # The body is the file whatever the Accept header; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)


@extend_schema(tags=TAGS)
class ExpertReviewSubmit(AssessmentScoped, APIView):
    @extend_schema(request=None, responses={200: ExpertReviewSerializer, **errors(409, 422)})
    def post(self, request, assessment_id: int):
        """Submit the caller's review once every item has a grade (422 ``incomplete``
        lists the ungraded items); the last expert to submit opens the consolidation."""
        review = expert_review_submit(actor=request.user, assessment=self.get_assessment())
        return Response(ExpertReviewSerializer(review).data)


@extend_schema(tags=TAGS)
class ConsolidationDetail(AssessmentScoped, APIView):
    @extend_schema(responses=ConsolidationSerializer)
    def get(self, request, assessment_id: int):
        """The latest consolidation (404 before there is one). Its items:
        ``consolidation/items/``."""
        consolidation = consolidation_for(viewer=request.user, assessment=self.get_assessment())
        if consolidation is None:
            raise ConsolidatedGrade.DoesNotExist
        return Response(ConsolidationSerializer(consolidation).data)


@extend_schema(tags=TAGS)
class ConsolidationItems(AssessmentScoped, generics.ListAPIView):
    """The lead's worksheet: per item the self-assessment grade, each expert's, the
    majority, whether anyone disagrees, the final grade and its reason. Items in
    disagreement first by default."""

    queryset = ConsolidatedGrade.objects.none()
    serializer_class = ConsolidatedGradeSerializer
    filterset_class = filters.ConsolidatedGradeFilter
    ordering_fields = ["position", "item_code", "disagreement"]
    ordering = ["-disagreement", "position"]

    def get_queryset(self):
        return consolidation_grades_for(
            viewer=caller(self.request), assessment=self.get_assessment()
        )


@extend_schema(tags=TAGS)
class ConsolidationItemSet(AssessmentScoped, APIView):
    @extend_schema(
        request=ConsolidatedGradeInputSerializer,
        responses={200: ConsolidatedGradeSerializer, **errors(409)},
    )
    def put(self, request, assessment_id: int, item_code: str):
        """Set the final grade of one item (the panel lead). Departing from the
        experts' majority, or any grade where they split evenly, needs a reason."""
        assessment = self.get_assessment()
        data = validated(ConsolidatedGradeInputSerializer, request.data)
        row = consolidation_grade_set(
            actor=request.user, assessment=assessment, item_code=item_code, **data
        )
        return Response(ConsolidatedGradeSerializer(row).data)


@extend_schema(tags=TAGS)
class ConsolidationComplete(AssessmentScoped, APIView):
    @extend_schema(request=None, responses={200: ConsolidationSerializer, **errors(409, 422)})
    def post(self, request, assessment_id: int):
        """Finish the consolidation (the panel lead): 422 ``incomplete`` lists items
        without a final grade or a needed reason. The result is then computed and the
        commission asked to decide."""
        consolidation = consolidation_complete(actor=request.user, assessment=self.get_assessment())
        return Response(ConsolidationSerializer(consolidation).data)


@extend_schema(tags=TAGS)
class ReviewResult(AssessmentScoped, APIView):
    @extend_schema(responses=ResultSerializer)
    def get(self, request, assessment_id: int):
        """The latest computed result of the consolidated grading (404 before there is
        one): level, rule sets, inputs, reasons, gap plan and agreement."""
        result = latest_result(assessment_id=self.get_assessment().pk)
        if result is None:
            raise AssessmentResult.DoesNotExist
        return Response(ResultSerializer(result).data)

    @extend_schema(request=None, responses={201: ResultSerializer, **errors(409)})
    def post(self, request, assessment_id: int):
        """Compute the result again (the panel lead or a reviewing officer, while the
        decision is pending)."""
        result = result_compute(actor=request.user, assessment=self.get_assessment())
        return Response(ResultSerializer(result).data, status=201)


@extend_schema(tags=TAGS)
class DecisionList(AssessmentScoped, generics.ListAPIView):
    """The commission's decisions on the assessment, newest first."""

    queryset = Decision.objects.none()
    serializer_class = DecisionSerializer
    filterset_class = filters.DecisionFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]

    def get_queryset(self):
        return self.get_assessment().decisions.select_related("officer")

    @extend_schema(
        request=DecisionInputSerializer, responses={201: DecisionSerializer, **errors(409)}
    )
    def post(self, request, assessment_id: int):
        """Decide (officers at the reviewing level): confirm the computed level, or
        override it with a reason; no level ends the application as not recognised."""
        assessment = self.get_assessment()
        data = validated(DecisionInputSerializer, request.data)
        decision = decision_record(actor=request.user, assessment=assessment, **data)
        return Response(DecisionSerializer(decision).data, status=201)


@extend_schema(tags=TAGS)
class DecisionBatch(APIView):
    @extend_schema(
        request=BatchDecisionsSerializer,
        responses={201: DecisionSerializer(many=True), **errors(409)},
    )
    def post(self, request):
        """Decide a list at once, all or none, under one batch id. 409
        ``batch_refused`` gives, per assessment id, the code and message in
        ``details.refused``."""
        data = validated(BatchDecisionsSerializer, request.data)
        visible = assessments_visible_to(request.user).select_related(
            "cycle", "institution__region"
        )
        decisions = decisions_record(
            actor=request.user,
            decisions=[
                DecisionInput(
                    assessment=referenced(visible, item["assessment"], "decisions"),
                    level=item["level"],
                    override_reason=item.get("override_reason", ""),
                )
                for item in data["decisions"]
            ],
        )
        return Response(DecisionSerializer(decisions, many=True).data, status=201)
