"""PDF rendering: pure functions from frozen dataclasses to bytes, no ORM inside.

``render_certificate`` and ``render_assessment_report`` take the dataclasses of
``accreditation.pdf.data``; ``certificate_code`` signs a certificate's fields and
``verify_code`` checks a typed code. Fonts are found once per process
(``load_cjk_font``); pass the configured path from settings to it.
"""

from accreditation.pdf.certificate import render_certificate
from accreditation.pdf.data import (
    LEVEL_LABELS,
    REVOKED,
    STATUSES,
    SUPERSEDED,
    VALID,
    CertificateData,
    CertificateFields,
    ChapterRow,
    FactRow,
    GapRow,
    GapSection,
    ItemRow,
    ReportData,
)
from accreditation.pdf.fonts import CJKFont, load_cjk_font
from accreditation.pdf.qr import QRMatrix, draw_qr, encode_qr
from accreditation.pdf.report import render_assessment_report
from accreditation.pdf.verification import certificate_code, verify_code

__all__ = [
    "LEVEL_LABELS",
    "REVOKED",
    "STATUSES",
    "SUPERSEDED",
    "VALID",
    "CJKFont",
    "CertificateData",
    "CertificateFields",
    "ChapterRow",
    "FactRow",
    "GapRow",
    "GapSection",
    "ItemRow",
    "QRMatrix",
    "ReportData",
    "certificate_code",
    "draw_qr",
    "encode_qr",
    "load_cjk_font",
    "render_assessment_report",
    "render_certificate",
    "verify_code",
]
