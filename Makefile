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

.PHONY: install demo test lint format bench bench-pdf bench-certificates bench-requests synthetic bench-rescore bench-load schema messages

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_catalogue
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
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
messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l zh_Hans --no-location \
		--ignore=.venv --ignore=var --ignore=tests --ignore=test-artifacts
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=var
