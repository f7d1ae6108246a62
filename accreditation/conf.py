"""Accreditation settings with their defaults, read at call time so tests can override
``settings.ACCREDITATION``."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Largest evidence file accepted, in bytes.
    "EVIDENCE_MAX_BYTES": 20 * 1024 * 1024,
    # Largest on-site photo an expert may upload, in bytes.
    "PHOTO_MAX_BYTES": 10 * 1024 * 1024,
    # Longest stored original file name, in characters (the extension is kept).
    "EVIDENCE_NAME_MAX_CHARS": 120,
    # Public base URL printed on certificates' QR codes (no trailing slash needed).
    "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
    # A CJK TrueType font for PDFs; empty: Debian's UMing or WenQuanYi, else built-in.
    "CJK_FONT": "",
    # Spreadsheet imports (institution list, expert pool): largest file and most rows.
    "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 20000,
    # Shares of institutions to reach a standard (基本 or 推荐) and 推荐标准, by zone:
    # the national 2023 (70%) and 2025 (20%) targets and their east/central/west
    # splits. Editable data, not law: provinces set their own.
    "TARGETS": {
        "national": {"standard": 0.70, "recommended": 0.20},
        "east": {"standard": 0.85, "recommended": 0.30},
        "central": {"standard": 0.60, "recommended": 0.20},
        "west": {"standard": 0.40, "recommended": 0.10},
    },
    # Province code (first two digits) -> zone; a province not listed uses "national".
    "PROVINCE_ZONES": {
        **dict.fromkeys(("11", "12", "13", "21", "31", "32", "33", "35", "37", "44", "46"), "east"),
        **dict.fromkeys(("14", "22", "23", "34", "36", "41", "42", "43"), "central"),
        **dict.fromkeys(
            ("15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"), "west"
        ),
    },
    # Certificate numbers: province = first two digits of the province code.
    "CERTIFICATE_NUMBER_FORMAT": "JC-{province}-{year}-{letter}-{seq:05d}",
    "CERTIFICATE_LEVEL_LETTERS": {"qualified": "H", "basic": "J", "recommended": "T"},
    # The issuing body named on a recognition, from the issuing region's name.
    "ISSUING_BODY_FORMAT": "{region}卫生健康委员会",
    # Days before a stage deadline when reminders go out.
    "DEADLINE_REMINDER_DAYS": 3,
    # Verification codes one address may check per hour on the public page (the page
    # is the only oracle for the codes' HMAC).
    "VERIFY_CODE_CHECKS_PER_HOUR": 60,
}


def setting(name: str) -> Any:
    return getattr(settings, "ACCREDITATION", {}).get(name, DEFAULTS[name])
