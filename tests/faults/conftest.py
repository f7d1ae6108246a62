"""Fault tests run in the world of the workflow tests: one province, two institutions,
a user of every role, an open cycle, and an expert pool."""

from tests.accreditation.conftest import World, world  # noqa: F401 - shared fixtures
from tests.workflows.conftest import Experts, experts  # noqa: F401 - shared fixtures
