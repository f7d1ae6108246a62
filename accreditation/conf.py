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
}


def setting(name: str) -> Any:
    return getattr(settings, "ACCREDITATION", {}).get(name, DEFAULTS[name])
