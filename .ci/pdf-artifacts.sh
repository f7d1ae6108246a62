#!/usr/bin/env bash
# Render a certificate and an assessment report with the real services on a throwaway
# SQLite database (demo data from seed_demo), and convert the first page of each to PNG
# under test-artifacts/pdf/. Needs poppler-utils and a CJK font (fonts-arphic-uming or
# fonts-wqy-zenhei).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=test-artifacts/pdf
mkdir -p "$OUT"
rm -f "$OUT"/*.pdf "$OUT"/*.png

VAR=$(mktemp -d)
trap 'rm -rf "$VAR"' EXIT
unset DATABASE_URL
# render_samples belongs to the bench app, which only bench/settings.py installs.
export ACCREDITATION_VAR_DIR="$VAR" DJANGO_DEBUG=1 DJANGO_SETTINGS_MODULE=bench.settings
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo >/dev/null
"$PY" manage.py render_samples --out "$OUT"

for pdf in "$OUT"/*.pdf; do
  pdftoppm -png -r 80 -f 1 -l 1 "$pdf" "${pdf%.pdf}"
done
ls -l "$OUT"
