import logging
from pathlib import Path

import pytest
import reportlab

from accreditation.pdf.fonts import (
    BUILTIN_FONT,
    ENV_VAR,
    SYSTEM_FONTS,
    clear_font_cache,
    load_cjk_font,
)

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"
ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#: ReportLab's own Latin font: TrueType, but without a single Chinese glyph.
VERA = str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_font_cache()
    yield
    clear_font_cache()


def test_debian_packages_are_installed_as_ci_requires():
    # CI installs fonts-arphic-uming and fonts-wqy-zenhei; without them the
    # embedding tests below would be testing the fallback instead.
    assert [Path(path).is_file() for path, _ in SYSTEM_FONTS] == [True, True]
    assert SYSTEM_FONTS == ((UMING, 0), (ZENHEI, 0))


def test_default_is_ar_pl_uming_embedded():
    font = load_cjk_font()
    assert (font.source, font.path, font.subfont_index, font.embedded) == (
        "system",
        UMING,
        0,
        True,
    )


def test_font_is_loaded_once_per_process():
    assert load_cjk_font() is load_cjk_font()


def test_configured_path_wins_over_the_system_fonts():
    font = load_cjk_font(ZENHEI)
    assert (font.source, font.path, font.embedded) == ("configured", ZENHEI, True)


def test_environment_variable_configures_the_font(monkeypatch):
    monkeypatch.setenv(ENV_VAR, ZENHEI)
    assert (load_cjk_font().source, load_cjk_font().path) == ("configured", ZENHEI)


def test_wenquanyi_is_used_when_uming_is_missing():
    font = load_cjk_font(system_fonts=(("/nonexistent/uming.ttc", 0), (ZENHEI, 0)))
    assert (font.source, font.path) == ("system", ZENHEI)


def test_missing_configured_path_warns_and_falls_back_to_a_system_font(caplog):
    with caplog.at_level(logging.WARNING, logger="accreditation.pdf.fonts"):
        font = load_cjk_font("/nonexistent/font.ttf")
    assert (font.source, font.path) == ("system", UMING)
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [
        "CJK font /nonexistent/font.ttf (#0) skipped"
    ]


def test_font_without_chinese_glyphs_is_skipped_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="accreditation.pdf.fonts"):
        font = load_cjk_font(VERA)
    assert font.path == UMING
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().startswith(f"CJK font {VERA} (#0) skipped: no glyphs")


def test_no_truetype_font_anywhere_falls_back_to_builtin_cid_font_with_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="accreditation.pdf.fonts"):
        font = load_cjk_font("/nonexistent/font.ttf", system_fonts=())
    assert (font.name, font.embedded, font.source, font.path) == (
        BUILTIN_FONT,
        False,
        "builtin",
        None,
    )
    assert [r.levelno for r in caplog.records] == [logging.WARNING, logging.WARNING]
    assert "NOT embedded" in caplog.records[-1].getMessage()
