import pytest

from accreditation.pdf.fonts import ENV_VAR


@pytest.fixture(autouse=True)
def _no_configured_font(monkeypatch):
    """The developer's own ACCREDITATION_CJK_FONT must not change what tests see."""
    monkeypatch.delenv(ENV_VAR, raising=False)
