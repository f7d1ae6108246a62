from tests.workflows.conftest import Experts, experts  # noqa: F401 - shared fixture
