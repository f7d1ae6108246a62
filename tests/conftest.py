import pytest
from django.utils import translation

from standards.selectors import clear_spec_cache


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes files to its own throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _fresh_spec_cache():
    """Compiled editions are cached by primary key, which a rolled-back test may reuse."""
    clear_spec_cache()
    yield
    clear_spec_cache()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Services called directly speak English, as their tests expect; requests made
    through the test client still pick their language in LocaleMiddleware (Chinese
    by default)."""
    with translation.override("en"):
        yield
