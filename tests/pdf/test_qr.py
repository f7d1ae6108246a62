import io

import pytest
from pypdf.generic import ContentStream
from reportlab.pdfgen.canvas import Canvas

from accreditation.pdf.qr import draw_qr, encode_qr
from tests.pdf.pdftools import reader
from tests.pdf.qrdecode import QRDecodeError, decode, matrix_from_pdf

URLS = [
    "http://a.cn/v",
    "https://jiceng.example.org/verify/YZJC-2026-990102-0042?v=2",
    "https://jiceng.example.org/verify/" + "0123456789" * 15,
]


@pytest.mark.parametrize("url", URLS)
def test_encoded_matrix_decodes_to_the_payload(url):
    matrix = encode_qr(url)
    assert decode(matrix.modules) == url.encode("ascii")


@pytest.mark.parametrize(("url", "version"), list(zip(URLS, [1, 4, 10], strict=True)))
def test_smallest_version_is_chosen_and_size_follows_it(url, version):
    matrix = encode_qr(url)
    assert (matrix.version, matrix.size, matrix.level) == (version, 17 + 4 * version, "M")


def test_decoder_notices_a_single_flipped_module():
    modules = [list(row) for row in encode_qr(URLS[1]).modules]
    modules[20][20] = not modules[20][20]
    with pytest.raises(QRDecodeError, match="Reed-Solomon"):
        decode(tuple(tuple(row) for row in modules))


def test_non_ascii_payload_is_encoded_as_utf8_bytes():
    assert decode(encode_qr("https://例子.cn/证书").modules) == "https://例子.cn/证书".encode()


@pytest.mark.parametrize(("payload", "level"), [("", "M"), ("https://a.cn", "X")])
def test_encode_refuses_empty_payload_and_unknown_level(payload, level):
    with pytest.raises(ValueError):
        encode_qr(payload, level=level)


def _draw(matrix, size=100.0):
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)
    draw_qr(canvas, matrix, 50, 60, size)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_draw_paints_all_dark_runs_in_one_filled_path():
    matrix = encode_qr(URLS[1])
    pdf = _draw(matrix)
    ops = [op for _, op in ContentStream(reader(pdf).pages[0].get_contents(), None).operations]
    runs = sum(
        1
        for row in matrix.modules
        for c, dark in enumerate(row)
        if dark and (c == 0 or not row[c - 1])
    )
    # One white quiet-zone square (even-odd fill), then every run of dark modules
    # in a single path filled once with the non-zero rule.
    assert ops.count(b"re") == 1 + runs
    assert (ops.count(b"f*"), ops.count(b"f")) == (1, 1)


def test_drawn_symbol_reads_back_as_the_same_matrix():
    matrix = encode_qr(URLS[1])
    assert matrix_from_pdf(_draw(matrix, size=96.0)) == matrix.modules
