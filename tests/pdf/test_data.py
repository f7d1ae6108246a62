import dataclasses
from datetime import date, datetime

import pytest

from accreditation.pdf.data import (
    CertificateData,
    ChapterRow,
    GapRow,
    GapSection,
    ItemRow,
)
from accreditation.pdf.samples import sample_certificate, sample_fields, sample_report


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"level": "excellent"}, "level: unknown level 'excellent'"),
        ({"institution_name": "  "}, "institution_name: must be non-empty text"),
        ({"valid_until": date(2026, 11, 2)}, "valid_until: before issue_date"),
        ({"issue_date": datetime(2026, 11, 3, 9)}, "issue_date: must be a datetime.date"),
        ({"version": 0}, "version: must be an int >= 1"),
        ({"cycle_year": 26}, "cycle_year: 26 is not a year"),
    ],
)
def test_certificate_fields_refuse_impossible_values(overrides, message):
    with pytest.raises(ValueError) as raised:
        sample_fields(**overrides)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "url", ["ftp://a.cn/v", "https://例子.cn/v", "https://a.cn/a b", "jiceng.gov.cn/v"]
)
def test_certificate_data_refuses_urls_a_scanner_would_misread(url):
    with pytest.raises(ValueError, match="verification_url"):
        CertificateData(fields=sample_fields(), verification_code="X", verification_url=url)


def test_certificate_data_refuses_unknown_status():
    with pytest.raises(ValueError, match="status: unknown status 'lost'"):
        sample_certificate(status="lost")


def test_certificate_fields_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample_fields().level = "basic"


def test_chapter_counts_must_be_cumulative():
    with pytest.raises(ValueError, match="applicable >= C >= B >= A"):
        ChapterRow("1", "业务管理", applicable=10, c_or_better=5, b_or_better=6, a=1)


def test_chapter_share_of_nothing_applicable_is_zero():
    assert ChapterRow("1", "业务管理", 0, 0, 0, 0, not_applicable=3).share(0) == 0.0


def test_item_grades_and_tier_must_be_known():
    with pytest.raises(ValueError, match=r"item 1\.1\.1: review_grade 'D' unknown"):
        ItemRow("1.1.1", "1", "科室设置", "basic", "A", "D")
    with pytest.raises(ValueError, match=r"item 1\.1\.1: unknown tier 'star'"):
        ItemRow("1.1.1", "1", "科室设置", "star", "A", "A")


def test_gap_row_must_raise_the_grade():
    with pytest.raises(ValueError, match="is no upgrade"):
        GapRow("1.1.1", "科室设置", "B", "C")


def test_gap_section_refuses_unknown_level():
    with pytest.raises(ValueError, match="gap: unknown level 'gold'"):
        GapSection(target="gold")


def test_report_refuses_items_of_chapters_it_does_not_list():
    with pytest.raises(ValueError, match=r"items: unknown chapters \['9'\]"):
        dataclasses.replace(
            sample_report(1), items=(ItemRow("9.1.1", "9", "其他", "basic", "A", "A"),)
        )
