# One command per job; CI (.ci/run) calls the same targets.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?= -n auto
# The benchmarks run with the bench app installed (bench/settings.py: the real settings
# plus the app); the product's settings do not install it.
BENCH_ENV := DJANGO_SETTINGS_MODULE=bench.settings DJANGO_DEBUG=1

.PHONY: system install demo test lint format bench bench-pdf bench-certificates bench-requests synthetic bench-rescore bench-load schema messages

# Debian packages the demo and the tests need: the CJK fonts the PDFs embed, Chromium for
# the browser tests, poppler-utils (pdftoppm) for the PDF artifacts, gettext for
# `make messages`; POSTGRES=1 adds the PostgreSQL server of the PostgreSQL run. Checked with
# dpkg-query (instant when all are there); missing ones are installed with apt-get as root;
# without root the target prints the apt-get line and fails, so nothing runs half-equipped.
# SYSTEM_PACKAGES= skips the check (for a machine without dpkg, set up by hand).
SYSTEM_PACKAGES ?= fonts-arphic-uming fonts-wqy-zenhei chromium poppler-utils gettext
ifeq ($(POSTGRES),1)
SYSTEM_PACKAGES += postgresql
endif

system:
	@set -e; missing=""; \
	if [ -n "$(strip $(SYSTEM_PACKAGES))" ] && ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "make system: dpkg-query is not there, so the system packages cannot be checked." >&2; \
		echo "Install the equivalents of these Debian packages: $(strip $(SYSTEM_PACKAGES))" >&2; \
		echo "then run make with SYSTEM_PACKAGES= to skip this check." >&2; \
		exit 2; \
	fi; \
	for pkg in $(SYSTEM_PACKAGES); do \
		[ "$$(dpkg-query -W -f='$${db:Status-Status}' "$$pkg" 2>/dev/null)" = installed ] \
			|| missing="$$missing $$pkg"; \
	done; \
	if [ -n "$(strip $(SYSTEM_PACKAGES))" ] && [ ! -x $(PY) ] \
		&& ! $(PYTHON) -c 'import ensurepip' 2>/dev/null \
		&& dpkg-query -S "$$(readlink -f "$$(command -v $(PYTHON))")" >/dev/null 2>&1; then \
		missing="$$missing $$($(PYTHON) -c 'import sys; print("python%d.%d-venv" % sys.version_info[:2])')"; \
	fi; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "make system: missing Debian packages:$$missing" >&2; \
		echo "Installing them needs root. Run this line, then make again:" >&2; \
		echo "" >&2; \
		echo "    sudo apt-get install -y --no-install-recommends$$missing" >&2; \
		echo "" >&2; \
		exit 2; \
	fi; \
	echo "make system: installing the missing Debian packages:$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -qq </dev/null; \
	apt-get install -y -qq --no-install-recommends$$missing </dev/null

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: system install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_catalogue
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST)

test: system install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_DEBUG=1 $(VENV)/bin/mypy
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(BENCH_ENV) $(PY) manage.py migrate --noinput
	$(BENCH_ENV) $(PY) manage.py load_catalogue
	$(BENCH_ENV) $(PY) manage.py bench_scoring
	$(BENCH_ENV) $(PY) manage.py bench_import

bench-pdf: install
	$(PY) -m bench.pdf

# Certificates per second and a committed batch of 1,000, on a throwaway database.
bench-certificates: install
	tmp=$$(mktemp -d) && \
	ACCREDITATION_VAR_DIR=$$tmp $(BENCH_ENV) $(PY) manage.py migrate --noinput -v0 && \
	ACCREDITATION_VAR_DIR=$$tmp $(BENCH_ENV) $(PY) manage.py bench_certificates --keep; \
	status=$$?; rm -rf $$tmp; exit $$status

# The item save and the 100-item checklist against GET /api/v1/ping/, same run: on a
# throwaway SQLite database, or on DATABASE_URL when set (add
# BENCH_REQUESTS_ARGS=--shared-database if it holds other data).
BENCH_REQUESTS_ARGS ?=
bench-requests: install
	if [ -n "$$DATABASE_URL" ]; then \
		$(BENCH_ENV) $(PY) manage.py migrate --noinput -v0 && \
		$(BENCH_ENV) $(PY) manage.py bench_requests $(BENCH_REQUESTS_ARGS); \
	else \
		tmp=$$(mktemp -d) && \
		ACCREDITATION_VAR_DIR=$$tmp $(BENCH_ENV) $(PY) manage.py migrate --noinput -v0 && \
		ACCREDITATION_VAR_DIR=$$tmp $(BENCH_ENV) $(PY) manage.py bench_requests \
			$(BENCH_REQUESTS_ARGS); \
		status=$$?; rm -rf $$tmp; exit $$status; \
	fi

# A synthetic nation (45,000 institutions, ~4.4 million item grades) in the database of
# DATABASE_URL, then the rescoring benchmark on it. Use an empty database: the data set
# is generated once.
SYNTHETIC_ARGS ?= --provinces 31 --institutions 45000
synthetic: install
	$(BENCH_ENV) $(PY) manage.py migrate --noinput
	$(BENCH_ENV) $(PY) manage.py generate_synthetic $(SYNTHETIC_ARGS)

bench-rescore: install
	$(BENCH_ENV) $(PY) manage.py bench_rescore

# API throughput and latency under concurrent load: gunicorn (debug off, plain http on
# 127.0.0.1) and the PostgreSQL database of DATABASE_URL (a throwaway one: it is seeded
# and written to), locust in three timed phases, each figure against /healthz/.
BENCH_LOAD_ARGS ?=
bench-load: install
	$(BENCH_ENV) $(PY) manage.py bench_load $(BENCH_LOAD_ARGS)

# The committed OpenAPI schema; tests/api/test_schema.py fails when it is stale.
schema: install
	DJANGO_DEBUG=1 $(PY) manage.py spectacular --lang en --validate --fail-on-warn --file openapi.yaml

# Refresh the Chinese catalogue from the sources, then compile it (commit both files).
messages: system install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l zh_Hans --no-location \
		--ignore=.venv --ignore=var --ignore=tests --ignore=test-artifacts
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=var
