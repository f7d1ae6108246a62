"""Settings of the benchmarks: the real settings with the ``bench`` app installed.

``DJANGO_SETTINGS_MODULE=bench.settings manage.py bench_…`` (the Makefile's bench
targets set it). Everything else stays the product's, so the figures are the product's.
"""

from accreditation import settings as _base

globals().update({name: getattr(_base, name) for name in dir(_base) if name.isupper()})

INSTALLED_APPS = [*_base.INSTALLED_APPS, "bench"]
