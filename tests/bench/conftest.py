"""The bench app's tests use the product tests' small world and the catalogue's row
counts."""

from tests.accreditation.conftest import world  # noqa: F401 - a fixture
from tests.standards.conftest import row_counts  # noqa: F401 - a fixture
