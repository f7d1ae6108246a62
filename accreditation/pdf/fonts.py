"""The CJK font every renderer uses: found and registered with ReportLab once per process.

Order of preference (:func:`load_cjk_font`):

1. an explicit path (the ``path`` argument, else the ``ACCREDITATION_CJK_FONT``
   environment variable): a TrueType ``.ttf`` or a ``.ttc`` collection;
2. Debian's AR PL UMing (``fonts-arphic-uming``), then WenQuanYi Zen Hei
   (``fonts-wqy-zenhei``);
3. ReportLab's built-in CID font ``STSong-Light``, with a logged warning: it is not
   embedded, so viewers without a Chinese font show empty boxes.

A candidate that is missing, unreadable, not TrueType (Noto CJK is CFF-based and
ReportLab refuses it) or lacks common Chinese glyphs is skipped with a warning.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

ENV_VAR = "ACCREDITATION_CJK_FONT"
#: ``(path, subfont index)`` in order of preference; index 0 of uming.ttc is UMing CN.
SYSTEM_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)
BUILTIN_FONT = "STSong-Light"
#: Characters every accepted font must have; a Latin-only font would print blanks.
_PROBE = "优质服务基层行证书推荐标准合格卫生院第页共年月日"

CONFIGURED = "configured"
SYSTEM = "system"
BUILTIN = "builtin"


@dataclass(frozen=True, slots=True)
class CJKFont:
    """A registered font. ``name`` is what ``canvas.setFont`` and styles take."""

    name: str
    embedded: bool
    source: str
    path: str | None = None
    subfont_index: int = 0


_cache: dict[tuple[object, ...], CJKFont] = {}
_lock = threading.Lock()


def load_cjk_font(
    path: str | os.PathLike[str] | None = None,
    *,
    subfont_index: int = 0,
    system_fonts: Sequence[tuple[str, int]] = SYSTEM_FONTS,
) -> CJKFont:
    """Return the registered CJK font, loading it on the first call with these arguments.

    ``path`` None reads ``ACCREDITATION_CJK_FONT`` (empty means unset). Pass
    ``system_fonts=()`` to skip the Debian fonts. Never raises for a bad font: the
    next candidate is tried, and the built-in ``STSong-Light`` always succeeds.
    Thread-safe; later calls with the same arguments cost a dictionary lookup.
    """
    if path is None:
        path = os.environ.get(ENV_VAR) or None
    configured = str(path) if path is not None else None
    key = (configured, subfont_index, tuple(system_fonts))
    font = _cache.get(key)
    if font is not None:
        return font
    with _lock:
        font = _cache.get(key)
        if font is None:
            font = _cache[key] = _find(configured, subfont_index, tuple(system_fonts))
    return font


def clear_font_cache() -> None:
    """Forget which font was chosen (tests). Registered fonts stay registered."""
    with _lock:
        _cache.clear()


def _find(
    configured: str | None, subfont_index: int, system_fonts: tuple[tuple[str, int], ...]
) -> CJKFont:
    candidates: list[tuple[str, int, str]] = []
    if configured is not None:
        candidates.append((configured, subfont_index, CONFIGURED))
    candidates += [(p, index, SYSTEM) for p, index in system_fonts]
    for font_path, index, source in candidates:
        if source == SYSTEM and not os.path.exists(font_path):
            continue  # not installed: the usual case, no warning
        font = _register_ttf(font_path, index, source)
        if font is not None:
            return font
    logger.warning(
        "No TrueType CJK font found (set %s or install fonts-arphic-uming); "
        "falling back to the built-in %s, which is NOT embedded in the PDFs",
        ENV_VAR,
        BUILTIN_FONT,
    )
    if BUILTIN_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(BUILTIN_FONT))
    return CJKFont(name=BUILTIN_FONT, embedded=False, source=BUILTIN)


def _register_ttf(font_path: str, index: int, source: str) -> CJKFont | None:
    digest = hashlib.sha256(f"{os.path.abspath(font_path)}#{index}".encode()).hexdigest()[:8]
    name = f"CJK-{Path(font_path).stem}-{index}-{digest}"
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            ttf = TTFont(name, font_path, subfontIndex=index)
        except Exception as exc:  # TTFError, OSError, struct.error: any broken file
            logger.warning("CJK font %s (#%d) skipped: %s", font_path, index, exc)
            return None
        missing = [ch for ch in _PROBE if ord(ch) not in ttf.face.charToGlyph]
        if missing:
            logger.warning(
                "CJK font %s (#%d) skipped: no glyphs for %s", font_path, index, "".join(missing)
            )
            return None
        pdfmetrics.registerFont(ttf)
    return CJKFont(name=name, embedded=True, source=source, path=font_path, subfont_index=index)
