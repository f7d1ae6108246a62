import io

import pytest

from accreditation.core.files import detect_file_type, sanitise_filename
from tests import files


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (files.PDF, "pdf"),
        (files.PNG, "png"),
        (files.JPG, "jpg"),
        (files.DOCX, "docx"),
        (files.XLSX, "xlsx"),
        (files.DOCM, None),
        (files.PLAIN_ZIP, None),
        (files.EXE, None),
        (files.HTML, None),
        (b"PK\x03\x04 not really a zip", None),
        (b"", None),
    ],
)
def test_detect_file_type_reads_the_content(content, expected):
    stream = io.BytesIO(content)
    assert detect_file_type(stream) == expected
    assert stream.tell() == 0


@pytest.mark.parametrize(
    ("name", "file_type", "expected"),
    [
        ("报告.pdf", "pdf", "报告.pdf"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini", None, "system.ini"),
        ("C:\\Users\\x\\照片.JPEG", "jpg", "照片.jpeg"),
        ("\u202egpj.exe", "jpg", "gpj.exe.jpg"),
        ("a\x00b\x07c\r\n.pdf", "pdf", "abc.pdf"),
        ("..", "pdf", "file.pdf"),
        ("", "png", "file.png"),
        (".hidden.pdf", "pdf", "hidden.pdf"),
        ("ｒｅｐｏｒｔ．ｐｄｆ", "pdf", "report.pdf"),
        ("invoice.pdf", "docx", "invoice.pdf.docx"),
        ('a<b>c:"d|e?f*.pdf', "pdf", "a_b_c__d_e_f_.pdf"),
    ],
)
def test_sanitise_filename_neutralises_hostile_names(name, file_type, expected):
    assert sanitise_filename(name, file_type=file_type) == expected


def test_sanitise_filename_caps_length_keeping_the_extension():
    name = sanitise_filename("长" * 500 + ".xlsx", file_type="xlsx", max_chars=120)
    assert len(name) == 120
    assert name == "长" * 115 + ".xlsx"
