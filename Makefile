# One command per job; CI (.ci/run) calls the same targets.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?= -n auto

.PHONY: install demo test lint format bench bench-pdf bench-certificates schema messages

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
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_catalogue
	DJANGO_DEBUG=1 $(PY) manage.py bench_scoring
	DJANGO_DEBUG=1 $(PY) manage.py bench_import

bench-pdf: install
	$(PY) -m accreditation.pdf.bench

# Certificates per second and a committed batch of 1,000, on a throwaway database.
bench-certificates: install
	tmp=$$(mktemp -d) && \
	ACCREDITATION_VAR_DIR=$$tmp DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput -v0 && \
	ACCREDITATION_VAR_DIR=$$tmp DJANGO_DEBUG=1 $(PY) manage.py bench_certificates --keep; \
	status=$$?; rm -rf $$tmp; exit $$status

# The committed OpenAPI schema; tests/api/test_schema.py fails when it is stale.
schema: install
	DJANGO_DEBUG=1 $(PY) manage.py spectacular --lang en --validate --fail-on-warn --file openapi.yaml

# Refresh the Chinese catalogue from the sources, then compile it (commit both files).
messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l zh_Hans --no-location \
		--ignore=.venv --ignore=var --ignore=tests --ignore=test-artifacts
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=var
