"""Security tests run in the world of the accreditation tests, with an expert pool."""

from tests.accreditation.conftest import World, world  # noqa: F401 - shared fixtures
from tests.workflows.conftest import Experts, experts  # noqa: F401 - shared fixtures
