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
    # Policy targets on the officers' dashboard: the share of institutions reaching a
    # standard (基本标准 or above) and the share at 推荐标准 (national 2023/2025
    # figures; provinces set their own, e.g. east/central/west 85/60/40 %).
    "POLICY_TARGETS": {"standard": 0.70, "recommended": 0.20},
}


def setting(name: str) -> Any:
    return getattr(settings, "ACCREDITATION", {}).get(name, DEFAULTS[name])
