"""Verification codes: an HMAC of a certificate's fields that a person can type.

The code is HMAC-SHA256, keyed with the server's secret, over a canonical
serialisation of every :class:`CertificateFields` field; its first 80 bits are
printed in Crockford base32 as ``XXXX-XXXX-XXXX-XXXX``. Changing the number,
name, licence number, level, cycle, issuing body, either date or the version
changes the code, and nobody without the secret can compute the new one.

80 bits leave a forger a 2**-80 chance per guess; the verification page is the
only oracle (keep it rate-limited), so that is ample. Crockford's alphabet has no
I, L, O or U, and :func:`verify_code` reads O as 0 and I or L as 1, ignores case,
spaces and hyphens, so a code read aloud or retyped still verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata

from accreditation.pdf.data import CertificateFields

#: Bumped if the serialisation ever changes; old codes then need the old scheme.
SCHEME = "jiceng-certificate-v1"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_BITS = 80
GROUP = 4
_DECODE_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def canonical_bytes(fields: CertificateFields) -> bytes:
    """The signed message: a JSON array in a fixed field order, strings NFC-normalised.

    JSON quoting makes the encoding injective: no choice of names can make two
    different certificates serialise alike. NFC makes a name typed with combining
    characters sign like its precomposed form, which renders identically.
    """
    values = [
        SCHEME,
        _nfc(fields.number),
        _nfc(fields.institution_name),
        _nfc(fields.institution_licence),
        fields.level,
        fields.cycle_year,
        _nfc(fields.issuing_body),
        fields.issue_date.isoformat(),
        fields.valid_until.isoformat(),
        fields.version,
    ]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def certificate_code(fields: CertificateFields, secret: bytes) -> str:
    """Return the verification code of ``fields``, e.g. ``"7K2Q-M9XD-0C4V-TR8A"``.

    Deterministic for a given secret. Raises ``ValueError`` for a secret shorter
    than 16 bytes (derive it from the server's secret key, never use it raw
    elsewhere).
    """
    if not isinstance(secret, bytes | bytearray) or len(secret) < 16:
        raise ValueError("secret: must be at least 16 bytes")
    digest = hmac.new(bytes(secret), canonical_bytes(fields), hashlib.sha256).digest()
    number = int.from_bytes(digest[: CODE_BITS // 8], "big")
    chars = [ALPHABET[(number >> shift) & 31] for shift in range(CODE_BITS - 5, -1, -5)]
    text = "".join(chars)
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def normalise_code(code: str) -> str:
    """Upper-case, without spaces or hyphens, with O read as 0 and I, L as 1."""
    return "".join(code.split()).replace("-", "").upper().translate(_DECODE_TYPOS)


def verify_code(fields: CertificateFields, code: str, secret: bytes) -> bool:
    """True when ``code`` is the code of ``fields`` under ``secret``.

    Compares in constant time; any typed form accepted by :func:`normalise_code`
    matches. Never raises for a malformed code (it is simply wrong).
    """
    expected = certificate_code(fields, secret).replace("-", "")
    given = normalise_code(code) if isinstance(code, str) else ""
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace"))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
