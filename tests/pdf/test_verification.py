import dataclasses
import re
from datetime import date, timedelta

import pytest

from accreditation.pdf.data import CertificateFields
from accreditation.pdf.samples import sample_fields
from accreditation.pdf.verification import (
    canonical_bytes,
    certificate_code,
    normalise_code,
    verify_code,
)

SECRET = b"S" * 32  # its code for the sample has both 0 and 1 in it
CODE_FORMAT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")

#: One change per signed field; the last test checks the list covers all of them.
TAMPERED = {
    "number": "YZJC-2026-990102-0043",
    "institution_name": "示范市示范区青山街道社区卫生服务中\u5fc3\u5fc3",
    "institution_licence": "PDY12345-699010212D2113",
    "level": "basic",
    "cycle_year": 2027,
    "issuing_body": "示范省卫生健康委",
    "issue_date": date(2026, 11, 4),
    "valid_until": date(2029, 11, 2) + timedelta(days=365),
    "version": 2,
}


def test_code_is_four_groups_of_four_crockford_characters():
    assert CODE_FORMAT.match(certificate_code(sample_fields(), SECRET))


def test_code_is_pinned_for_a_known_certificate():
    # Changing the canonical form invalidates every printed certificate: bump SCHEME.
    assert certificate_code(sample_fields(), SECRET) == "T57W-2ZH7-42KF-220G"


def test_canonical_bytes_are_a_json_array_in_field_order():
    assert (
        canonical_bytes(sample_fields())
        == (
            '["jiceng-certificate-v1","YZJC-2026-990102-0042","示范市示范区青山街道社区卫生服务中心",'
            '"PDY12345-699010212D2112","recommended",2026,"示范省卫生健康委员会","2026-11-03",'
            '"2029-11-02",1]'
        ).encode()
    )


def test_code_depends_on_the_secret():
    assert certificate_code(sample_fields(), SECRET) != certificate_code(sample_fields(), b"j" * 32)


@pytest.mark.parametrize("field", sorted(TAMPERED))
def test_tampering_with_any_field_changes_the_code_and_fails_verification(field):
    original = sample_fields()
    code = certificate_code(original, SECRET)
    tampered = dataclasses.replace(original, **{field: TAMPERED[field]})
    assert certificate_code(tampered, SECRET) != code
    assert verify_code(original, code, SECRET) is True
    assert verify_code(tampered, code, SECRET) is False


def test_tamper_list_covers_every_signed_field():
    assert set(TAMPERED) == {f.name for f in dataclasses.fields(CertificateFields)}


def test_moving_text_between_fields_changes_the_code():
    a = sample_fields(institution_name="AB卫生院", institution_licence="C1")
    b = sample_fields(institution_name="AB卫生院C", institution_licence="1")
    assert canonical_bytes(a) != canonical_bytes(b)
    assert certificate_code(a, SECRET) != certificate_code(b, SECRET)


def test_nfc_equivalent_names_share_a_code():
    composed = sample_fields(institution_name="Caf\u00e9卫生院")
    decomposed = sample_fields(institution_name="Cafe\u0301卫生院")
    assert certificate_code(composed, SECRET) == certificate_code(decomposed, SECRET)


@pytest.mark.parametrize(
    "typed",
    [
        "T57W-2ZH7-42KF-220G",
        "t57w2zh742kf220g",
        " T57W 2ZH7 42KF 220G ",
        "T57W-2ZH7-42KF-22oG",  # O read as 0 (I and L as 1: see normalise_code below)
    ],
)
def test_verify_accepts_the_code_however_it_is_typed(typed):
    assert verify_code(sample_fields(), typed, SECRET) is True


def test_normalise_code_reads_o_as_zero():
    assert normalise_code("o0-Il") == "0011"


@pytest.mark.parametrize("wrong", ["", "T57W-2ZH7-42KF-220", "T57W-2ZH7-42KF-220H", "码码码码"])
def test_verify_rejects_wrong_or_malformed_codes(wrong):
    assert verify_code(sample_fields(), wrong, SECRET) is False


def test_verify_rejects_a_code_made_with_another_secret():
    code = certificate_code(sample_fields(), b"j" * 32)
    assert verify_code(sample_fields(), code, SECRET) is False


@pytest.mark.parametrize("secret", [b"", b"short", "S" * 32])
def test_code_refuses_a_short_or_text_secret(secret):
    with pytest.raises(ValueError, match="secret"):
        certificate_code(sample_fields(), secret)
