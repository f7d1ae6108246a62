"""Base of the API views under an assessment, and the signed-in caller."""

from __future__ import annotations

from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accreditation.models import Assessment, User
from accreditation.selectors import assessment_get_for_user


def caller(request: Request) -> User:
    """The signed-in user of a view behind ``IsAuthenticated`` (the default); an
    anonymous caller would answer 401."""
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


class AssessmentScoped(APIView):
    """Views under ``assessments/<assessment_id>/``: the assessment is fetched once
    through the visibility selector, so an assessment out of scope answers 404."""

    _assessment: Assessment

    def get_assessment(self) -> Assessment:
        if not hasattr(self, "_assessment"):
            self._assessment = assessment_get_for_user(
                user=self.request.user, assessment_id=self.kwargs["assessment_id"]
            )
        return self._assessment
