"""The committed OpenAPI schema is the code's schema, generated without a warning."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

COMMITTED = Path(settings.BASE_DIR) / "openapi.yaml"
REGENERATE = (
    "DJANGO_DEBUG=1 .venv/bin/python manage.py spectacular --lang en --validate "
    "--fail-on-warn --file openapi.yaml   (or: make schema)"
)


def test_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    # --fail-on-warn: a drf-spectacular warning fails the test too.
    call_command(
        "spectacular", "--lang", "en", "--validate", "--fail-on-warn", "--file", str(generated)
    )
    assert COMMITTED.exists(), f"openapi.yaml is missing; generate it with:\n  {REGENERATE}"
    assert generated.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        "openapi.yaml differs from the schema of the code. Review the API change, then "
        f"regenerate it with:\n  {REGENERATE}\nand commit it."
    )
