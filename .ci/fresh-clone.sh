#!/usr/bin/env bash
# The README's two commands on a fresh clone: clones this repository's HEAD commit into a
# temporary folder and, with a throwaway HOME (so no pip cache, no config of the user's),
# runs `make test` there (the whole suite on SQLite: this is CI's SQLite run), then
# `make demo` on a free loopback port until the demo answers its health check and sign-in
# page, then stops the demo. Uncommitted changes are not in the clone; the browser tests'
# screenshots are copied back to test-artifacts/ here.
#
#   .ci/fresh-clone.sh                      # the suite, then the demo
#   FRESH_CLONE_TEST_ARGS=... .ci/fresh-clone.sh   # extra arguments for `make test`
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHA=$(git -C "$ROOT" rev-parse HEAD)
DEMO_TIMEOUT=${FRESH_CLONE_DEMO_TIMEOUT:-600}

WORK=$(mktemp -d /tmp/ci-fresh-clone.XXXXXX)
DEMO_PID=""
stop_demo() {
  if [ -n "$DEMO_PID" ]; then
    # The demo is its own process group: make, runserver and its autoreloader child.
    kill -TERM -- "-$DEMO_PID" 2>/dev/null || true
    wait "$DEMO_PID" 2>/dev/null || true
    DEMO_PID=""
  fi
}
cleanup() {
  stop_demo
  # The browser tests' screenshots, kept where a run in this checkout puts them.
  if [ -d "$WORK/repo/test-artifacts" ]; then
    mkdir -p "$ROOT/test-artifacts" && cp -r "$WORK/repo/test-artifacts/." "$ROOT/test-artifacts/"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
  echo "note: $ROOT has uncommitted changes; the clone holds the commit $SHA only"
fi
git clone --quiet --no-checkout "$ROOT" "$WORK/repo"
git -C "$WORK/repo" checkout --quiet --detach "$SHA"
mkdir "$WORK/home"

cd "$WORK/repo"
export HOME="$WORK/home"
unset XDG_CACHE_HOME XDG_CONFIG_HOME XDG_DATA_HOME VIRTUAL_ENV PIP_CACHE_DIR
unset DATABASE_URL ACCREDITATION_VAR_DIR DJANGO_SETTINGS_MODULE DJANGO_DEBUG

echo "== make test (fresh clone of $SHA in $WORK/repo, HOME=$HOME)"
# shellcheck disable=SC2086
make test ${FRESH_CLONE_TEST_ARGS:+PYTEST_ARGS="$FRESH_CLONE_TEST_ARGS"} </dev/null

PORT=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "== make demo (serving 127.0.0.1:$PORT until it answers)"
set -m  # the demo runs in its own process group, stopped as a whole
make demo HOST="127.0.0.1:$PORT" </dev/null >"$WORK/demo.log" 2>&1 &
DEMO_PID=$!
set +m

answers() {
  .venv/bin/python - "$PORT" <<'EOF'
import sys
import urllib.request

base = f"http://127.0.0.1:{sys.argv[1]}"
for path in ("/healthz/", "/accounts/login/"):
    with urllib.request.urlopen(base + path, timeout=5) as response:
        assert response.status == 200, (path, response.status)
print(f"{base}/healthz/ and {base}/accounts/login/ answer 200")
EOF
}

deadline=$((SECONDS + DEMO_TIMEOUT))
until answers 2>/dev/null; do
  if ! kill -0 "$DEMO_PID" 2>/dev/null; then
    echo "make demo stopped before it served; its output:" >&2
    cat "$WORK/demo.log" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "make demo did not answer on 127.0.0.1:$PORT within ${DEMO_TIMEOUT}s; its output:" >&2
    cat "$WORK/demo.log" >&2
    exit 1
  fi
  sleep 1
done
stop_demo
echo "== the README's two commands passed in a fresh clone"
