"""Rectification (整改): findings, plans, evidence of effect and their decisions; the
gap plan as the starting list; a region's action plans as Excel; carrying last
cycle's grading forward."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api import filters
from accreditation.api.schema import errors
from accreditation.api.serializers.dashboard import DashboardQuerySerializer
from accreditation.api.serializers.findings import (
    CandidateListSerializer,
    CarriedConfirmResultSerializer,
    CarriedConfirmSerializer,
    CarryResultSerializer,
    CommentSerializer,
    EvidenceOfEffectInputSerializer,
    FindingDetailSerializer,
    FindingInputSerializer,
    FindingSerializer,
    FromGapPlanSerializer,
    PlanInputSerializer,
    ReasonSerializer,
)
from accreditation.api.views.base import AssessmentScoped
from accreditation.core.api import referenced, validated
from accreditation.core.files import CONTENT_TYPES
from accreditation.excel import action_plans
from accreditation.models import Finding
from accreditation.selectors import assessments_visible_to
from accreditation.selectors.findings import (
    action_plans_for,
    finding_candidates,
    finding_detail,
    finding_links,
    finding_list,
    findings_visible_to,
    rectification_file_for,
)
from accreditation.selectors.visibility import cycles_visible_to, regions_visible_to
from accreditation.services.carry import assessment_carry_forward, carried_confirm
from accreditation.services.findings import (
    finding_raise,
    finding_reopen,
    finding_verify,
    finding_withdraw,
    findings_from_gap_plan,
    plan_accept,
    plan_return,
    plan_submit,
    rectification_evidence_submit,
)

TAGS = ["rectification"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _detail(request, pk: int):
    return Response(FindingDetailSerializer(finding_detail(viewer=request.user, pk=pk)).data)


@extend_schema(tags=TAGS)
class FindingList(generics.ListAPIView):
    """Findings on the assessments in your scope, the soonest due first."""

    queryset = Finding.objects.none()
    serializer_class = FindingSerializer
    filterset_class = filters.FindingFilter
    ordering_fields = ["id", "due_on", "raised_at"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        return finding_list(viewer=self.request.user)

    @extend_schema(
        request=FindingInputSerializer, responses={201: FindingDetailSerializer, **errors(409)}
    )
    def post(self, request):
        """Raise a finding (county reviewers and officers covering the institution, the
        panel lead): the item (blank for the whole institution), the source and its
        record (``lookback``, ``objection``, ``assessment_return`` or
        ``consistency_sample``), what was found, the grade required and the plan's due
        date (30 days by default). 409 ``duplicate`` when the item already has an
        unresolved finding from the source."""
        data = validated(FindingInputSerializer, request.data)
        assessment = referenced(
            assessments_visible_to(request.user), data.pop("assessment"), "assessment"
        )
        links = finding_links(
            assessment=assessment,
            ids={
                name: data.pop(name, None)
                for name in ("lookback", "objection", "assessment_return", "consistency_sample")
            },
        )
        finding = finding_raise(actor=request.user, assessment=assessment, **data, **links)
        response = _detail(request, finding.pk)
        response.status_code = 201
        return response


@extend_schema(tags=TAGS)
class FindingDetail(APIView):
    @extend_schema(responses=FindingDetailSerializer)
    def get(self, request, pk: int):
        """One finding with its plans and evidence of effect, oldest first."""
        return _detail(request, pk)


class _Step(APIView):
    """A POST on one finding that runs one service and answers the finding."""

    input_serializer: type = CommentSerializer

    def run(self, request, finding: Finding, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, pk: int):
        finding = (
            findings_visible_to(request.user)
            .select_related("assessment__institution__region")
            .get(pk=pk)
        )
        data = validated(self.input_serializer, request.data)
        self.run(request, finding, data)
        return _detail(request, pk)


_step_schema = extend_schema(
    tags=TAGS, request=CommentSerializer, responses={200: FindingDetailSerializer, **errors(409)}
)


@extend_schema(tags=TAGS)
class PlanSubmit(_Step):
    input_serializer = PlanInputSerializer

    @extend_schema(
        request=PlanInputSerializer, responses={200: FindingDetailSerializer, **errors(409)}
    )
    def post(self, request, pk: int):
        """Submit the rectification plan (the institution's staff): root cause, actions,
        the person responsible (``owner``) and the date it is done by (``due_on``); 400
        naming each missing field. 409 ``not_editable`` on a closed finding,
        ``invalid_transition`` when a plan already awaits a decision."""
        return super().post(request, pk)

    def run(self, request, finding, data):
        plan_submit(
            actor=request.user,
            finding=finding,
            root_cause=data.get("root_cause", ""),
            actions=data.get("actions", ""),
            owner=data.get("owner", ""),
            due_on=data.get("due_on"),
        )


class PlanAccept(_Step):
    @_step_schema
    def post(self, request, pk: int):
        """Accept the plan (the reviewer who raised the finding, or an officer covering
        the institution): the institution then owes evidence of effect by the plan's
        date."""
        return super().post(request, pk)

    def run(self, request, finding, data):
        plan_accept(actor=request.user, finding=finding, comment=data["comment"])


class PlanReturn(_Step):
    @_step_schema
    def post(self, request, pk: int):
        """Return the plan with a comment (required): the finding awaits a new plan."""
        return super().post(request, pk)

    def run(self, request, finding, data):
        plan_return(actor=request.user, finding=finding, comment=data["comment"])


class EvidenceSubmit(_Step):
    input_serializer = EvidenceOfEffectInputSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=TAGS,
        request={"multipart/form-data": EvidenceOfEffectInputSerializer},
        responses={200: FindingDetailSerializer, **errors(409)},
    )
    def post(self, request, pk: int):
        """Submit evidence of effect for the accepted plan (the institution's staff):
        what was done and the files (``files``, repeated; PDF, JPEG, PNG, docx, xlsx).
        409 ``not_editable`` for a closed finding."""
        return super().post(request, pk)

    def run(self, request, finding, data):
        rectification_evidence_submit(
            actor=request.user,
            finding=finding,
            description=data["description"],
            files=data["files"],
        )


class Verify(_Step):
    @_step_schema
    def post(self, request, pk: int):
        """Verify the evidence of effect: the finding is closed (销号)."""
        return super().post(request, pk)

    def run(self, request, finding, data):
        finding_verify(actor=request.user, finding=finding, comment=data["comment"])


class Reopen(_Step):
    @_step_schema
    def post(self, request, pk: int):
        """Reopen with a comment (required): the evidence does not show the effect."""
        return super().post(request, pk)

    def run(self, request, finding, data):
        finding_reopen(actor=request.user, finding=finding, comment=data["comment"])


class Withdraw(_Step):
    input_serializer = ReasonSerializer

    @extend_schema(
        tags=TAGS, request=ReasonSerializer, responses={200: FindingDetailSerializer, **errors(409)}
    )
    def post(self, request, pk: int):
        """Withdraw a finding raised in error, before its plan is accepted."""
        return super().post(request, pk)

    def run(self, request, finding, data):
        finding_withdraw(actor=request.user, finding=finding, reason=data["reason"])


@extend_schema(tags=TAGS)
class RectificationFileDownload(APIView):
    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, with its detected content type."
            )
        }
    )
    def get(self, request, pk: int):
        """A file of evidence of effect, to anyone who may see the assessment."""
        file = rectification_file_for(viewer=request.user, pk=pk)
        return FileResponse(
            file.evidence.file.open("rb"),
            as_attachment=True,
            filename=file.name,
            content_type=CONTENT_TYPES[file.evidence.file_type],
        )

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)


@extend_schema(tags=TAGS)
class FindingCandidates(AssessmentScoped):
    @extend_schema(responses=CandidateListSerializer)
    def get(self, request, assessment_id: int):
        """The latest result's gap plan as the starting list: the items whose upgrade
        reaches the target, each with the finding already raised on it. 404 before any
        result is computed."""
        candidates = finding_candidates(assessment=self.get_assessment())
        if candidates is None:
            raise Finding.DoesNotExist
        return Response(CandidateListSerializer(candidates).data)

    @extend_schema(
        request=FromGapPlanSerializer, responses={201: FindingSerializer(many=True), **errors(409)}
    )
    def post(self, request, assessment_id: int):
        """Raise a panel finding for each item of the gap plan (or ``item_codes`` among
        them); items with an unresolved finding are skipped."""
        data = validated(FromGapPlanSerializer, request.data)
        raised = findings_from_gap_plan(
            actor=request.user, assessment=self.get_assessment(), **data
        )
        rows = finding_list(viewer=request.user).filter(pk__in=[f.pk for f in raised])
        return Response(FindingSerializer(rows, many=True).data, status=201)


@extend_schema(tags=TAGS)
class ActionPlansExport(APIView):
    @extend_schema(
        parameters=[DashboardQuerySerializer],
        responses={(200, XLSX): OpenApiResponse(description="整改台账 (.xlsx).")},
    )
    def get(self, request, code: str):
        """The region's action plans (整改台账) as Excel: every finding of the region and
        below with its latest plan (whoever sees the region's dashboard)."""
        region = regions_visible_to(request.user).get(code=code)
        query = validated(DashboardQuerySerializer, request.query_params)
        cycle = None
        if "cycle" in query:
            cycle = referenced(cycles_visible_to(request.user), query["cycle"], "cycle")
        data = action_plans_for(viewer=request.user, region=region, cycle=cycle)
        response = HttpResponse(action_plans.write(data), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="action-plans-{code}.xlsx"'
        return response

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)


@extend_schema(tags=["assessments"])
class CarryForward(AssessmentScoped):
    @extend_schema(request=None, responses={200: CarryResultSerializer, **errors(409)})
    def post(self, request, assessment_id: int):
        """Start this new, ungraded draft from the last accepted grading: proposals to
        confirm, with items changed or new since then flagged (``changed``, ``new``).
        409 ``nothing_to_carry`` / ``incompatible_editions`` / ``not_editable``."""
        result = assessment_carry_forward(actor=request.user, assessment=self.get_assessment())
        return Response(CarryResultSerializer(result).data)


@extend_schema(tags=["assessments"])
class CarriedConfirm(AssessmentScoped):
    @extend_schema(
        request=CarriedConfirmSerializer,
        responses={200: CarriedConfirmResultSerializer, **errors(409)},
    )
    def post(self, request, assessment_id: int):
        """Confirm carried-over proposals as they stand (all, or ``item_codes``)."""
        data = validated(CarriedConfirmSerializer, request.data)
        codes = carried_confirm(
            actor=request.user, assessment=self.get_assessment(), item_codes=data["item_codes"]
        )
        return Response({"confirmed": codes})
