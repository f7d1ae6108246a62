"""Base of the API views under an assessment."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from accreditation.models import Assessment
from accreditation.selectors import assessment_get_for_user


class AssessmentScoped:
    """Views under ``assessments/<assessment_id>/``: the assessment is fetched once
    through the visibility selector, so an assessment out of scope answers 404."""

    request: Request
    kwargs: dict[str, Any]

    def get_assessment(self) -> Assessment:
        if not hasattr(self, "_assessment"):
            self._assessment = assessment_get_for_user(
                user=self.request.user, assessment_id=self.kwargs["assessment_id"]
            )
        return self._assessment
