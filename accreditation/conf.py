"""Accreditation settings with their defaults, read at call time so tests can override
``settings.ACCREDITATION``."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Largest evidence file accepted, in bytes.
    "EVIDENCE_MAX_BYTES": 20 * 1024 * 1024,
    # Longest stored original file name, in characters (the extension is kept).
    "EVIDENCE_NAME_MAX_CHARS": 120,
    # Public base URL printed on certificates' QR codes (no trailing slash needed).
    "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
    # A CJK TrueType font for PDFs; empty: Debian's UMing or WenQuanYi, else built-in.
    "CJK_FONT": "",
    # Spreadsheet imports (institution list, expert pool): largest file and most rows.
    "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 20000,
}


def setting(name: str) -> Any:
    return getattr(settings, "ACCREDITATION", {}).get(name, DEFAULTS[name])
