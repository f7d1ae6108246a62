"""``/api/v1/``: the whole API. Unknown paths below it answer 404 in the error shape."""

from django.urls import include, path, re_path, register_converter
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from accreditation.api.views import (
    assessments,
    auth,
    checks,
    evidence,
    facts,
    findings,
    notices,
    people,
    places,
    recognitions,
    reviews,
    sampling,
)
from accreditation.core.api import IdConverter

register_converter(IdConverter, "id")
app_name = "api"


@extend_schema(exclude=True)
class UnknownPath(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound


A = "assessments/<id:assessment_id>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("auth/token/", auth.TokenObtain.as_view(), name="token"),
    path("auth/token/revoke/", auth.TokenRevoke.as_view(), name="token-revoke"),
    path("me/", auth.Me.as_view(), name="me"),
    path("ping/", auth.Ping.as_view(), name="ping"),
    path("users/", people.UserList.as_view(), name="user-list"),
    path("users/<id:pk>/", people.UserDetail.as_view(), name="user-detail"),
    path("users/<id:pk>/history/", people.UserHistory.as_view(), name="user-history"),
    path("catalogue/", include("standards.api.urls")),
    path("regions/", places.RegionList.as_view(), name="region-list"),
    path("regions/<str:code>/", places.RegionDetail.as_view(), name="region-detail"),
    path(
        "regions/<str:code>/dashboard/",
        places.RegionDashboardView.as_view(),
        name="region-dashboard",
    ),
    path("institutions/", places.InstitutionList.as_view(), name="institution-list"),
    path("institutions/<id:pk>/", places.InstitutionDetail.as_view(), name="institution-detail"),
    path(
        "institutions/<id:pk>/facts/",
        places.InstitutionFactsList.as_view(),
        name="institution-facts",
    ),
    path("facts/", facts.FactList.as_view(), name="fact-list"),
    path("facts/<id:pk>/", facts.FactDetail.as_view(), name="fact-detail"),
    path("fact-imports/", facts.FactImportList.as_view(), name="fact-import-list"),
    path("fact-imports/template/", facts.FactImportTemplate.as_view(), name="fact-import-template"),
    path("fact-challenges/", facts.ChallengeList.as_view(), name="fact-challenge-list"),
    path("fact-challenges/<id:pk>/", facts.ChallengeDetail.as_view(), name="fact-challenge-detail"),
    path(
        "fact-challenges/<id:pk>/accept/",
        facts.ChallengeAccept.as_view(),
        name="fact-challenge-accept",
    ),
    path(
        "fact-challenges/<id:pk>/reject/",
        facts.ChallengeReject.as_view(),
        name="fact-challenge-reject",
    ),
    path("cycles/", places.CycleList.as_view(), name="cycle-list"),
    path("cycles/<id:pk>/", places.CycleDetail.as_view(), name="cycle-detail"),
    path("cycles/<id:pk>/standards/", places.CycleStandardSet.as_view(), name="cycle-standard"),
    path("cycles/<id:pk>/deadlines/", places.CycleDeadlineSet.as_view(), name="cycle-deadline"),
    path("cycles/<id:pk>/close/", places.CycleClose.as_view(), name="cycle-close"),
    path("assessments/", assessments.AssessmentList.as_view(), name="assessment-list"),
    path(A, assessments.AssessmentDetail.as_view(), name="assessment-detail"),
    path(A + "items/", assessments.Checklist.as_view(), name="checklist"),
    path(A + "items/<str:item_code>/", assessments.ItemGradeDetail.as_view(), name="item-grade"),
    path(A + "progress/", assessments.Progress.as_view(), name="progress"),
    path(A + "result/", assessments.ProvisionalResult.as_view(), name="result"),
    path(A + "submit/", assessments.Submit.as_view(), name="submit"),
    path(A + "carry-forward/", findings.CarryForward.as_view(), name="carry-forward"),
    path(A + "carried/confirm/", findings.CarriedConfirm.as_view(), name="carried-confirm"),
    path(
        A + "finding-candidates/",
        findings.FindingCandidates.as_view(),
        name="finding-candidates",
    ),
    path(A + "returns/", assessments.ReturnList.as_view(), name="returns"),
    path(A + "snapshots/", assessments.SnapshotList.as_view(), name="snapshot-list"),
    path(
        A + "snapshots/<id:sequence>/",
        assessments.SnapshotDetail.as_view(),
        name="snapshot-detail",
    ),
    path(A + "history/", assessments.AssessmentHistory.as_view(), name="assessment-history"),
    path(A + "evidence/", evidence.EvidenceList.as_view(), name="evidence-list"),
    path(A + "evidence/<id:pk>/", evidence.EvidenceDetail.as_view(), name="evidence-detail"),
    path(A + "evidence/<id:pk>/attach/", evidence.EvidenceAttach.as_view(), name="evidence-attach"),
    path(A + "evidence/<id:pk>/revise/", evidence.EvidenceRevise.as_view(), name="evidence-revise"),
    path(A + "evidence/<id:pk>/dates/", evidence.EvidenceDates.as_view(), name="evidence-dates"),
    path(A + "evidence/reuse/", evidence.EvidenceReuse.as_view(), name="evidence-reuse"),
    path(
        A + "evidence/<id:pk>/download/",
        evidence.EvidenceDownload.as_view(),
        name="evidence-download",
    ),
    # --- the review process ---
    path("tasks/", reviews.TaskList.as_view(), name="task-list"),
    path("experts/", reviews.Experts.as_view(), name="expert-list"),
    path("overdue/", checks.OverdueList.as_view(), name="overdue"),
    path(
        A + "county-review/start/",
        reviews.CountyReviewStart.as_view(),
        name="county-review-start",
    ),
    path(
        A + "county-review/forward/",
        reviews.CountyReviewForward.as_view(),
        name="county-review-forward",
    ),
    path(A + "rounds/", reviews.RoundList.as_view(), name="rounds"),
    path(A + "panel/", reviews.Panel.as_view(), name="panel"),
    path(A + "expert-grades/", reviews.ExpertGradeList.as_view(), name="expert-grades"),
    path(
        A + "expert-grades/<str:item_code>/",
        reviews.ExpertGradeSave.as_view(),
        name="expert-grade",
    ),
    path(
        A + "expert-grades/<str:item_code>/photos/",
        reviews.ExpertPhotoList.as_view(),
        name="expert-photos",
    ),
    path(A + "expert-photos/", reviews.ExpertPhotoAll.as_view(), name="expert-photo-list"),
    path(
        A + "items/<str:item_code>/records/",
        sampling.RecordListList.as_view(),
        name="record-lists",
    ),
    path(A + "record-lists/<id:pk>/", sampling.RecordListDetail.as_view(), name="record-list"),
    path(A + "samples/", sampling.RecordSampleList.as_view(), name="sample-list"),
    path(
        A + "expert-grades/<str:item_code>/sample/",
        sampling.RecordSampleDraw.as_view(),
        name="sample-draw",
    ),
    path(
        A + "samples/<id:pk>/records/<str:record_id>/",
        sampling.SampledRecordSet.as_view(),
        name="sampled-record",
    ),
    path(
        A + "samples/<id:pk>/verify/", sampling.RecordSampleVerify.as_view(), name="sample-verify"
    ),
    path(
        A + "expert-photos/<id:pk>/file/",
        reviews.ExpertPhotoFile.as_view(),
        name="expert-photo-file",
    ),
    path(
        A + "expert-review/submit/",
        reviews.ExpertReviewSubmit.as_view(),
        name="expert-review-submit",
    ),
    path(A + "consolidation/", reviews.ConsolidationDetail.as_view(), name="consolidation"),
    path(
        A + "consolidation/items/",
        reviews.ConsolidationItems.as_view(),
        name="consolidation-items",
    ),
    path(
        A + "consolidation/items/<str:item_code>/",
        reviews.ConsolidationItemSet.as_view(),
        name="consolidation-item",
    ),
    path(
        A + "consolidation/complete/",
        reviews.ConsolidationComplete.as_view(),
        name="consolidation-complete",
    ),
    path(A + "review-result/", reviews.ReviewResult.as_view(), name="review-result"),
    path(A + "decisions/", reviews.DecisionList.as_view(), name="decisions"),
    path("decisions/batch/", reviews.DecisionBatch.as_view(), name="decision-batch"),
    # --- notices, recognitions, checks ---
    path("notices/", notices.NoticeList.as_view(), name="notice-list"),
    path("notices/<id:pk>/", notices.NoticeDetail.as_view(), name="notice-detail"),
    path("notices/<id:pk>/close/", notices.NoticeClose.as_view(), name="notice-close"),
    path("notices/<id:pk>/objections/", notices.ObjectionList.as_view(), name="objections"),
    path(
        "notices/<id:pk>/objections/<id:objection_id>/resolve/",
        notices.ObjectionResolve.as_view(),
        name="objection-resolve",
    ),
    path("recognitions/", recognitions.RecognitionList.as_view(), name="recognition-list"),
    path(
        "recognitions/<id:pk>/", recognitions.RecognitionDetail.as_view(), name="recognition-detail"
    ),
    path(
        "recognitions/<id:pk>/look-backs/", recognitions.LookBackList.as_view(), name="look-backs"
    ),
    path("certificates/", recognitions.CertificateList.as_view(), name="certificate-list"),
    path(
        "certificates/<str:number>/",
        recognitions.CertificateDetail.as_view(),
        name="certificate-detail",
    ),
    path(
        "certificates/<str:number>/download/",
        recognitions.CertificateDownload.as_view(),
        name="certificate-download",
    ),
    path(
        "certificates/<str:number>/issue/",
        recognitions.CertificateIssue.as_view(),
        name="certificate-issue",
    ),
    path(
        "certificates/<str:number>/reissue/",
        recognitions.CertificateReissue.as_view(),
        name="certificate-reissue",
    ),
    path("certificate-batches/", recognitions.CertificateBatchList.as_view(), name="batch-list"),
    path(
        "certificate-batches/<id:pk>/",
        recognitions.CertificateBatchDetail.as_view(),
        name="batch-detail",
    ),
    path(
        "certificate-batches/<id:pk>/resume/",
        recognitions.CertificateBatchResume.as_view(),
        name="batch-resume",
    ),
    path(
        "notices/<id:pk>/certificate-batch/",
        notices.CertificateBatchStart.as_view(),
        name="batch-start",
    ),
    path(
        "public/certificates/<str:number>/",
        recognitions.CertificateVerify.as_view(),
        name="certificate-verify",
    ),
    path("checks/", checks.CheckList.as_view(), name="check-list"),
    path("checks/<id:pk>/", checks.CheckDetail.as_view(), name="check-detail"),
    path(
        "checks/<id:pk>/samples/<id:recognition_id>/rescore/",
        checks.CheckRescore.as_view(),
        name="check-rescore",
    ),
    path("checks/<id:pk>/complete/", checks.CheckComplete.as_view(), name="check-complete"),
    path("reductions/", checks.ReductionList.as_view(), name="reduction-list"),
    path(
        "look-backs/<id:pk>/conclude/",
        recognitions.LookBackConclude.as_view(),
        name="look-back-conclude",
    ),
    path("findings/", findings.FindingList.as_view(), name="finding-list"),
    path("findings/<id:pk>/", findings.FindingDetail.as_view(), name="finding-detail"),
    path("findings/<id:pk>/plan/", findings.PlanSubmit.as_view(), name="finding-plan"),
    path(
        "findings/<id:pk>/plan/accept/", findings.PlanAccept.as_view(), name="finding-plan-accept"
    ),
    path(
        "findings/<id:pk>/plan/return/", findings.PlanReturn.as_view(), name="finding-plan-return"
    ),
    path("findings/<id:pk>/evidence/", findings.EvidenceSubmit.as_view(), name="finding-evidence"),
    path("findings/<id:pk>/verify/", findings.Verify.as_view(), name="finding-verify"),
    path("findings/<id:pk>/reopen/", findings.Reopen.as_view(), name="finding-reopen"),
    path("findings/<id:pk>/withdraw/", findings.Withdraw.as_view(), name="finding-withdraw"),
    path(
        "rectification-files/<id:pk>/",
        findings.RectificationFileDownload.as_view(),
        name="rectification-file",
    ),
    path(
        "regions/<str:code>/action-plans.xlsx",
        findings.ActionPlansExport.as_view(),
        name="region-action-plans",
    ),
    re_path(r"^.*$", UnknownPath.as_view(), name="unknown"),
]
