"""Settings for the test suite: the real settings with fast hashing and throwaway files."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("ACCREDITATION_VAR_DIR", tempfile.mkdtemp(prefix="accreditation-test-"))

from accreditation import settings as _base

globals().update({name: getattr(_base, name) for name in dir(_base) if name.isupper()})

# The bench app (benchmarks, load test, synthetic data) is installed so that its tests
# under tests/bench run in the same suite; the product's settings do not install it.
INSTALLED_APPS = [*_base.INSTALLED_APPS, "bench"]

# A real hash costs most of a second; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Background tasks run inline, inside the caller's transaction, in tests.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F821 - copied from the base settings
# The suite runs with the production security settings, over plain HTTP.
SECURE_SSL_REDIRECT = False
# No collectstatic before tests: serve static files unhashed.
STORAGES = {
    **STORAGES,  # noqa: F821 - copied from the base settings
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
