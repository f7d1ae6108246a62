#!/usr/bin/env bash
# Schemathesis against the API, self-contained: a throwaway SQLite database and media
# folder seeded with the demo world, `manage.py runserver` on a free loopback port
# (schemathesis' CLI tests a URL; it cannot load a WSGI app), then `schemathesis run`
# on the committed schema as an institution's staff, a provincial officer and an
# administrator, each bounded in time (about four and a half minutes in all). Fails on any 5xx response (check not_a_server_error). Token
# revocation is left out: it would sign the run out halfway.
#
#   .ci/schemathesis.sh                # at most 3 x (ST_MAX_TIME + 20) s plus set-up
#   ST_MAX_TIME=20 .ci/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PY=.venv/bin/python
ST=$ROOT/.venv/bin/schemathesis
MAX_TIME=${ST_MAX_TIME:-70}        # seconds of generation per user
MAX_EXAMPLES=${ST_MAX_EXAMPLES:-25}
if [ ! -x "$ST" ]; then
  echo "schemathesis is not installed; run: .venv/bin/pip install -e '.[dev]'" >&2
  exit 2
fi

WORK=$(mktemp -d /tmp/ci-schemathesis.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Plain HTTP on loopback, everything in $WORK. Debug is on only so that static files
# are served unhashed without a collectstatic run; a 5xx is a 5xx either way.
unset DATABASE_URL ACCREDITATION_S3_BUCKET
export ACCREDITATION_VAR_DIR="$WORK"
export DJANGO_DEBUG=1 ACCREDITATION_HTTPS=0 DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECRET_KEY="schemathesis-throwaway-$(date +%s)-$$"
export DJANGO_LOG_LEVEL=WARNING
export ACCREDITATION_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend

echo "== seeding a throwaway database in $WORK"
$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo >"$WORK/seed.log"
token() {
  $PY manage.py shell --no-imports -v 0 -c "
from rest_framework.authtoken.models import Token
from accreditation.models import User
print(Token.objects.get_or_create(user=User.objects.get(username='$1'))[0].key)"
}
declare -A TOKENS=(
  [staff]=$(token hk_binjiang)
  [officer]=$(token officer_province)
  [admin]=$(token demo_admin)
)

PORT=${CI_SCHEMATHESIS_PORT:-$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
echo "== runserver on 127.0.0.1:$PORT"
$PY manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  if $PY -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/api/v1/schema/', timeout=2)" 2>/dev/null; then
    break
  fi
  sleep 0.5
done

status=0
for who in staff officer admin; do
  echo "== schemathesis as $who (at most ${MAX_TIME}s)"
  # From $WORK: schemathesis and hypothesis keep their caches in the current folder.
  (cd "$WORK" && timeout $((MAX_TIME + 20)) "$ST" run "$ROOT/openapi.yaml" \
    --url "http://127.0.0.1:$PORT" \
    --header "Authorization: Token ${TOKENS[$who]}" \
    --checks not_a_server_error \
    --max-examples "$MAX_EXAMPLES" \
    --max-time "$MAX_TIME" \
    --request-timeout 30 \
    --seed 1 \
    --workers 1 \
    --no-color \
    --exclude-path /api/v1/auth/token/revoke/) || status=$?
done

if [ "$status" -ne 0 ]; then
  echo "== server errors (tail of the server log)"
  grep -n -B2 -A30 "Traceback" "$WORK/server.log" | tail -n 120 || tail -n 60 "$WORK/server.log"
fi
exit "$status"
