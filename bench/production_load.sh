#!/usr/bin/env bash
# Load figures for docs/deployment.md: gunicorn with production settings on loopback, measured
# by ApacheBench (Debian's apache2-utils, `ab`) from a second process.
#
#   bench/production_load.sh [PORT]          # SQLite in a temporary directory
#   DATABASE_URL=postgres://... bench/production_load.sh [PORT]
#
# For each of a faceted search page, the search API and a case study, at 1, 8 and 32
# connections, for 20 s each (at most 200,000 requests): requests/s, p50/p95/p99 in ms, errors.
# Bounded in time and count, loopback only; gunicorn is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
command -v ab >/dev/null || { echo "error: needs ApacheBench: apt-get install apache2-utils" >&2; exit 2; }
PORT=${1:-8160}
SECONDS_EACH=${LOAD_SECONDS:-20}

work=$(mktemp -d "${TMPDIR:-/tmp}/kb-load.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=config.settings.production
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))'); export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false KB_SEARCH_ENGINE=embedded
export DATABASE_URL=${DATABASE_URL:-"sqlite:///$work/db.sqlite3"}
export KB_VAR_DIR="$work" STATIC_ROOT="$work/static" KB_SEARCH_INDEX_PATH="$work/search-index.sqlite3"
export GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_ACCESS_LOG=/dev/null
$PY manage.py collectstatic --no-input -v 0
$PY manage.py migrate --no-input -v 0
$PY manage.py load_initial_data -v 0
$PY -m gunicorn -c config/gunicorn.py config.wsgi >"$work/gunicorn.log" 2>&1 &
pid=$!
for _ in $(seq 60); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 1
done

base="http://127.0.0.1:$PORT"
case_study=$(curl -fs "$base/case-studies/" | grep -o 'href="/case-studies/[a-z0-9-]*/"' | head -1 | cut -d'"' -f2)
declare -A urls=(
  ["faceted search"]="/search/?q=smoking&theme=reducing-maternal-smoking&type=case_study"
  ["search API"]="/api/search/?q=smoking&theme=reducing-maternal-smoking"
  ["case study"]="$case_study"
)
echo "database: ${DATABASE_URL%%:*}; workers: $(grep -c 'Booting worker' "$work/gunicorn.log"); $(uptime)"
echo "| page | connections | requests/s | p50 ms | p95 ms | p99 ms | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for name in "faceted search" "search API" "case study"; do
  url="$base${urls[$name]}"
  test "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 || { echo "not 200: $url" >&2; exit 1; }
  for connections in 1 8 32; do
    out=$(ab -q -t "$SECONDS_EACH" -n 200000 -c "$connections" "$url" 2>&1)
    rps=$(awk '/^Requests per second/ {print $4}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p95=$(awk '$1 == "95%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    failed=$(awk '/^Failed requests/ {print $3}' <<<"$out")
    non2xx=$(awk '/^Non-2xx responses/ {print $3}' <<<"$out")
    echo "| $name | $connections | $rps | $p50 | $p95 | $p99 | $((failed + ${non2xx:-0})) |"
  done
done
echo "after: $(uptime)"
