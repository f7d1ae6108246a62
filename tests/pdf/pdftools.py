"""Reading rendered PDFs back in tests: text per page and the fonts they use."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


@dataclass(frozen=True)
class FontInfo:
    base_font: str
    subtype: str
    embedded_truetype: bool


def fonts(pdf: bytes) -> set[FontInfo]:
    """Every font in every page's resources; ``embedded_truetype``: has a FontFile2."""
    found = set()
    for page in reader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.add(FontInfo(str(font["/BaseFont"]), str(font["/Subtype"]), embedded))
    return found
