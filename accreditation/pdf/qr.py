"""QR codes: encode once with ReportLab's encoder, draw the modules as one filled path.

ReportLab's ``QrCodeWidget`` encodes again on every draw and emits one rectangle
object per run; this module encodes a payload once into a :class:`QRMatrix` and
paints every dark run into a single path with a single fill, which is faster and
leaves no hairline seams between modules in PDF viewers.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.pdfgen.canvas import (  # type: ignore[attr-defined]  # not in types-reportlab
    FILL_NON_ZERO,
    Canvas,
)

#: Error-correction levels: L 7%, M 15%, Q 25%, H 30% of codewords recoverable.
LEVELS: tuple[str, ...] = ("L", "M", "Q", "H")
#: Light modules required around the symbol by ISO/IEC 18004.
QUIET_ZONE = 4


@dataclass(frozen=True, slots=True)
class QRMatrix:
    """An encoded symbol. ``modules[row][col]`` is True for dark; row 0 is the top."""

    payload: str
    version: int
    level: str
    modules: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Modules per side: ``17 + 4 * version``."""
        return len(self.modules)


def encode_qr(payload: str, *, level: str = "M") -> QRMatrix:
    """Encode ``payload`` in byte mode (UTF-8) at the smallest version that fits.

    Raises ``ValueError`` for an empty payload or an unknown level.
    """
    if not payload:
        raise ValueError("payload: must not be empty")
    if level not in LEVELS:
        raise ValueError(f"level: one of {LEVELS}, not {level!r}")
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    # Forcing byte mode: ReportLab would otherwise try numeric, alphanumeric and Kanji.
    code.addData(qrencoder.QR8bitByte(payload))
    code.make()
    modules = tuple(tuple(bool(m) for m in row) for row in code.modules)
    return QRMatrix(payload=payload, version=code.version, level=level, modules=modules)


def draw_qr(
    canvas: Canvas,
    matrix: QRMatrix,
    x: float,
    y: float,
    size: float,
    *,
    quiet_zone: int = QUIET_ZONE,
    color: colors.Color = colors.black,
) -> None:
    """Draw ``matrix`` in the square with lower-left corner ``(x, y)`` and side ``size``.

    The square includes ``quiet_zone`` light modules on each side, painted white so
    a background cannot spoil the scan. Dark modules are one path: each horizontal
    run of dark modules in a row is one rectangle, all filled by one operator.
    """
    count = matrix.size
    module = size / (count + 2 * quiet_zone)
    left = x + quiet_zone * module
    top = y + size - quiet_zone * module
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    path = canvas.beginPath()
    for r, row in enumerate(matrix.modules):
        bottom = top - (r + 1) * module
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                path.rect(left + start * module, bottom, (c - start) * module, module)
            else:
                c += 1
    canvas.setFillColor(color)
    # Non-zero winding: abutting or rounding-overlapped runs stay dark, never cancel.
    canvas.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    canvas.restoreState()
