"""The officer page tests run with the workflow tests' expert pool."""

from tests.workflows.conftest import Experts, experts  # noqa: F401 - shared fixture
