"""A small QR decoder for tests, written from ISO/IEC 18004 independently of ReportLab.

It reads a module matrix back into bytes: format information (both copies, BCH
checked), unmasking, the zigzag codeword order, de-interleaving, a Reed-Solomon
check of every block, and byte-mode segments. It corrects no errors: a clean
rendering must decode exactly. Versions 1-10 only (a verification URL needs ~4).

``matrix_from_pdf`` rebuilds the matrix from the rectangles of the largest filled
path on a PDF page, which is how ``accreditation.pdf.qr.draw_qr`` paints it.
"""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import ContentStream

Matrix = tuple[tuple[bool, ...], ...]

#: Error-correction level -> format bits (ISO 18004 table 12).
EC_FORMAT = {"L": 1, "M": 0, "Q": 3, "H": 2}
#: (version, level) -> blocks as (total codewords, data codewords), short blocks first.
RS_BLOCKS = {
    (1, "M"): [(26, 16)],
    (2, "M"): [(44, 28)],
    (3, "M"): [(70, 44)],
    (4, "M"): [(50, 32)] * 2,
    (5, "M"): [(67, 43)] * 2,
    (6, "M"): [(43, 27)] * 4,
    (7, "M"): [(49, 31)] * 4,
    (8, "M"): [(60, 38)] * 2 + [(61, 39)] * 2,
    (9, "M"): [(58, 36)] * 3 + [(59, 37)] * 2,
    (10, "M"): [(69, 43)] * 4 + [(70, 44)],
}
ALIGNMENT = {1: [], 2: [6, 18], 3: [6, 22], 4: [6, 26], 5: [6, 30], 6: [6, 34],
             7: [6, 22, 38], 8: [6, 24, 42], 9: [6, 26, 46], 10: [6, 28, 50]}  # fmt: skip
MASKS = (
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
)


class QRDecodeError(ValueError):
    pass


def format_bits(level: str, mask: int) -> int:
    data = EC_FORMAT[level] << 3 | mask
    rem = data
    for _ in range(10):
        rem = (rem << 1) ^ ((rem >> 9) * 0x537)
    return (data << 10 | rem) ^ 0x5412


def read_format(m: Matrix) -> tuple[str, int]:
    """(level, mask) from the format information; both copies must agree."""
    n = len(m)
    first_cells = [(r, 8) for r in (0, 1, 2, 3, 4, 5, 7, 8)] + [
        (8, c) for c in (7, 5, 4, 3, 2, 1, 0)
    ]
    second_cells = [(8, n - 1 - i) for i in range(8)] + [(n - 7 + i, 8) for i in range(7)]
    copies = [sum(m[r][c] << i for i, (r, c) in enumerate(cells))
              for cells in (first_cells, second_cells)]  # fmt: skip
    if copies[0] != copies[1]:
        raise QRDecodeError("format information copies differ")
    for level in EC_FORMAT:
        for mask in range(8):
            if format_bits(level, mask) == copies[0]:
                return level, mask
    raise QRDecodeError("format information fails its BCH code")


def function_modules(version: int) -> set[tuple[int, int]]:
    n = 17 + 4 * version
    cells = {(r, c) for r in range(9) for c in range(9)}  # finder, separator, format
    cells |= {(r, c) for r in range(9) for c in range(n - 8, n)}
    cells |= {(r, c) for r in range(n - 8, n) for c in range(9)}
    cells |= {(6, i) for i in range(n)} | {(i, 6) for i in range(n)}  # timing
    centres = ALIGNMENT[version]
    for r in centres:
        for c in centres:
            if (r, c) in {(6, 6), (6, centres[-1]), (centres[-1], 6)}:
                continue
            cells |= {(r + dr, c + dc) for dr in range(-2, 3) for dc in range(-2, 3)}
    if version >= 7:  # version information blocks
        cells |= {(r, c) for r in range(6) for c in range(n - 11, n - 8)}
        cells |= {(r, c) for r in range(n - 11, n - 8) for c in range(6)}
    return cells


def _gf_tables() -> tuple[list[int], list[int]]:
    exp, log = [0] * 512, [0] * 256
    x = 1
    for i in range(255):
        exp[i], log[x] = x, i
        x <<= 1
        if x & 0x100:
            x ^= 0x11D
    for i in range(255, 512):
        exp[i] = exp[i - 255]
    return exp, log


EXP, LOG = _gf_tables()


def rs_remainder(data: list[int], ec_count: int) -> list[int]:
    """The Reed-Solomon codewords for ``data`` (generator roots alpha^0..alpha^(n-1))."""
    gen = [1]
    for i in range(ec_count):
        nxt = [0] * (len(gen) + 1)
        for j, coef in enumerate(gen):
            nxt[j] ^= coef
            if coef:
                nxt[j + 1] ^= EXP[LOG[coef] + i]
        gen = nxt
    rem = list(data) + [0] * ec_count
    for i in range(len(data)):
        coef = rem[i]
        if coef:
            for j in range(1, len(gen)):
                if gen[j]:
                    rem[i + j] ^= EXP[LOG[coef] + LOG[gen[j]]]
    return rem[len(data) :]


def read_codewords(m: Matrix, version: int, mask: int, count: int) -> list[int]:
    n = len(m)
    skip = function_modules(version)
    bits: list[int] = []
    right = n - 1
    while right >= 1:
        if right == 6:
            right = 5
        upward = ((right + 1) & 2) == 0
        for vert in range(n):
            r = n - 1 - vert if upward else vert
            for c in (right, right - 1):
                if (r, c) not in skip:
                    bits.append(int(m[r][c]) ^ int(MASKS[mask](r, c)))
        right -= 2
    if len(bits) < count * 8:
        raise QRDecodeError("fewer data modules than codewords")
    return [int("".join(map(str, bits[i * 8 : i * 8 + 8])), 2) for i in range(count)]


def decode(m: Matrix) -> bytes:
    """The payload bytes of a clean symbol; raises QRDecodeError on any inconsistency."""
    n = len(m)
    version = (n - 17) // 4
    if n != 17 + 4 * version or version not in ALIGNMENT:
        raise QRDecodeError(f"unsupported size {n}")
    level, mask = read_format(m)
    blocks = RS_BLOCKS.get((version, level))
    if blocks is None:
        raise QRDecodeError(f"no block table for {version}-{level}")
    codewords = read_codewords(m, version, mask, sum(total for total, _ in blocks))
    ec_count = blocks[0][0] - blocks[0][1]
    data_blocks: list[list[int]] = [[] for _ in blocks]
    pos = 0
    for i in range(max(d for _, d in blocks)):
        for b, (_, d) in enumerate(blocks):
            if i < d:
                data_blocks[b].append(codewords[pos])
                pos += 1
    expected_ec = [rs_remainder(block, ec_count) for block in data_blocks]
    for i in range(ec_count):
        for b, ec in enumerate(expected_ec):
            if ec[i] != codewords[pos]:
                raise QRDecodeError(f"block {b}: Reed-Solomon codeword {i} wrong")
            pos += 1
    stream = "".join(f"{byte:08b}" for block in data_blocks for byte in block)
    out, i = bytearray(), 0
    while i + 4 <= len(stream):
        mode = stream[i : i + 4]
        i += 4
        if mode == "0000":
            break
        if mode != "0100":
            raise QRDecodeError(f"unexpected mode {mode}")
        length_bits = 8 if version <= 9 else 16
        length = int(stream[i : i + length_bits], 2)
        i += length_bits
        out += bytes(int(stream[i + 8 * k : i + 8 * k + 8], 2) for k in range(length))
        i += 8 * length
    return bytes(out)


def matrix_from_pdf(pdf: bytes, page: int = 0) -> Matrix:
    """The module matrix of the filled path with the most rectangles on ``page``."""
    reader = PdfReader(io.BytesIO(pdf))
    ops = ContentStream(reader.pages[page].get_contents(), reader).operations
    paths: list[list[tuple[float, float, float, float]]] = []
    current: list[tuple[float, float, float, float]] = []
    for operands, operator in ops:
        if operator == b"re":
            current.append(tuple(float(v) for v in operands))
        elif operator in (b"f", b"f*", b"F", b"B", b"B*", b"b", b"b*"):
            paths.append(current)
            current = []
        elif operator in (b"n", b"S", b"s"):
            current = []
    rects = max(paths, key=len)
    module = min(h for _, _, _, h in rects)
    left = min(x for x, _, _, _ in rects)
    top = max(y + h for _, y, _, h in rects)
    size = round((max(x + w for x, _, w, _ in rects) - left) / module)
    grid = [[False] * size for _ in range(size)]
    for x, y, w, h in rects:
        row = round((top - y - h) / module)
        start = round((x - left) / module)
        for c in range(start, start + round(w / module)):
            grid[row][c] = True
    return tuple(tuple(row) for row in grid)
