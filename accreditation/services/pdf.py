"""The CJK font every PDF of this deployment uses, from the settings."""

from __future__ import annotations

from accreditation.conf import setting
from accreditation.pdf import CJKFont, load_cjk_font


def configured_font() -> CJKFont:
    """``ACCREDITATION["CJK_FONT"]`` when set, else the Debian fonts, else the built-in
    (not embedded) font with a logged warning. Cached per process by the loader."""
    return load_cjk_font(setting("CJK_FONT") or None)
