"""Small but genuine files of every accepted type, and impostors."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60
HTML = b"<html><script>alert(1)</script></html>"

_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_WORD_MACRO = "application/vnd.ms-word.document.macroEnabled.main+xml"
_SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def office_zip(main_type: str | None, folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if main_type is not None:
            archive.writestr(
                "[Content_Types].xml",
                f'<?xml version="1.0"?><Types><Override PartName="/{folder}main.xml" '
                f'ContentType="{main_type}"/></Types>',
            )
        archive.writestr(f"{folder}main.xml", "<doc/>")
    return buffer.getvalue()


DOCX = office_zip(_WORD_MAIN, "word/")
XLSX = office_zip(_SHEET_MAIN, "xl/")
DOCM = office_zip(_WORD_MACRO, "word/")
PLAIN_ZIP = office_zip(None, "docs/")


def upload(content: bytes, name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
