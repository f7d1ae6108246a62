"""OpenAPI generation: every operation documents the error responses it can give, in
the one error shape (``exceptions``)."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from accreditation.api.serializers.common import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Invalid input (`invalid`, `parse_error`, `evidence_rejected`, "
    "`catalogue_file_invalid`, ...).",
    "401": "Not authenticated (`not_authenticated`, `authentication_failed`).",
    "403": "Not allowed on this visible resource (`permission_denied`).",
    "404": "Not found or outside the caller's scope (`not_found`).",
    "409": "Refused by the state of the data (`stale_version` with `details.current`, "
    "`invalid_transition`, `not_editable`, `already_open`, `cycle_closed`, ...).",
    "413": "The request body is too large (`too_large`).",
    "422": "Submission incomplete (`incomplete`, every problem in `details.problems`).",
    "429": "Throttled (`throttled`, `details.wait` seconds) or locked out (`locked_out`).",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Extra documented error responses for ``extend_schema(responses=...)``."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[str(code)])
        for code in codes
    }


class AutoSchema(openapi.AutoSchema):
    def _error_codes(self) -> list[str]:
        codes = []
        public = any(cls is AllowAny for cls in self.view.permission_classes)
        if self.method in ("POST", "PUT", "PATCH") or self._is_list_view():
            codes.append("400")
        if not public:
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        if getattr(self.view, "throttle_classes", None):
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]),
                    code,
                    direction=direction,
                )
        return dict(sorted(responses.items()))
