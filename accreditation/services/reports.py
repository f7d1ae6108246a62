"""The assessment report PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accreditation.pdf import render_assessment_report
from accreditation.selectors.reports import assessment_report_data
from accreditation.services.pdf import configured_font


def assessment_report_render(*, user: Any, assessment_id: int, on: dt.date | None = None) -> bytes:
    """The report of the assessment as a PDF (bytes), in Chinese, with the configured
    font. Nothing is stored. Raises ``Assessment.DoesNotExist`` when the user may not
    see the assessment."""
    data = assessment_report_data(user=user, assessment_id=assessment_id, on=on)
    return render_assessment_report(data, font=configured_font())
