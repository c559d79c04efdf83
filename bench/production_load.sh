#!/usr/bin/env bash
# Load figures for docs/deployment.md: gunicorn with production settings on loopback, measured
# by ApacheBench (`ab`, Debian's apache2-utils; `make bench-deps` installs it, and this script
# runs that when `ab` is missing) from a second process.
#
#   bench/production_load.sh [PORT]                     # SQLite in a temporary directory
#   LOAD_POSTGRES_URL=postgres://postgres:postgres@127.0.0.1:5432 \
#     bench/production_load.sh --postgres [PORT]        # a throwaway database on that server
#   make bench-load                                     # SQLite, then PostgreSQL if
#                                                       # LOAD_POSTGRES_URL is set
#
# For each of the home page, a case study, a faceted search page and the search API, at 1, 8
# and 32 connections (LOAD_CONNECTIONS), for 20 s each (LOAD_SECONDS; at most 200,000
# requests): requests/s, p50/p95/p99 in ms, errors (failed plus non-2xx responses). gunicorn
# runs GUNICORN_WORKERS sync workers (default 4). Bounded in time and count, loopback only;
# gunicorn is stopped and the temporary files and database are removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
postgres=""
if [ "${1:-}" = "--postgres" ]; then
  postgres=1
  shift
  : "${LOAD_POSTGRES_URL:?--postgres needs LOAD_POSTGRES_URL=postgres://USER:PASSWORD@HOST:PORT}"
fi
if ! command -v ab >/dev/null; then
  make --no-print-directory -s bench-deps ||
    { echo "error: needs ApacheBench: make bench-deps (apt-get install apache2-utils)" >&2; exit 2; }
fi
PORT=${1:-8160}
SECONDS_EACH=${LOAD_SECONDS:-20}
CONNECTIONS=${LOAD_CONNECTIONS:-"1 8 32"}

work=$(mktemp -d "${TMPDIR:-/tmp}/kb-load.XXXXXX")
pid=""
database=""
postgres_admin() {  # $1: SQL run on the server's maintenance database, outside a transaction
  LOAD_SQL="$1" $PY -c 'import os, psycopg
with psycopg.connect(os.environ["LOAD_POSTGRES_URL"].rstrip("/") + "/postgres", autocommit=True) as c:
    c.execute(os.environ["LOAD_SQL"])'
}
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$database" ]; then postgres_admin "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=config.settings.production
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))'); export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false KB_SEARCH_ENGINE=embedded
if [ -n "$postgres" ]; then
  database="kb_load_$(basename "$work" | tr -dc 'a-zA-Z0-9' | tr 'A-Z' 'a-z')"
  postgres_admin "CREATE DATABASE $database"
  export DATABASE_URL="${LOAD_POSTGRES_URL%/}/$database"
fi
export DATABASE_URL=${DATABASE_URL:-"sqlite:///$work/db.sqlite3"}
export KB_VAR_DIR="$work" STATIC_ROOT="$work/static" KB_SEARCH_INDEX_PATH="$work/search-index.sqlite3"
export GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_ACCESS_LOG=/dev/null
export GUNICORN_WORKERS=${GUNICORN_WORKERS:-4} LOG_LEVEL=${LOG_LEVEL:-ERROR}
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
  ["/"]="/"
  ["case study"]="$case_study"
  ["faceted search"]="/search/?q=smoking&theme=reducing-maternal-smoking&type=case_study"
  ["search API"]="/api/search/?q=smoking&theme=reducing-maternal-smoking"
)
echo "database: ${DATABASE_URL%%:*}; workers: $GUNICORN_WORKERS; $(nproc) cores; before: $(uptime)"
echo "| page | connections | requests/s | p50 ms | p95 ms | p99 ms | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for name in "/" "case study" "faceted search" "search API"; do
  url="$base${urls[$name]}"
  test "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 || { echo "not 200: $url" >&2; exit 1; }
  label=$([ "$name" = / ] && echo '`/`' || echo "$name")
  for connections in $CONNECTIONS; do
    out=$(ab -q -t "$SECONDS_EACH" -n 200000 -c "$connections" "$url" 2>&1)
    rps=$(awk '/^Requests per second/ {print $4}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p95=$(awk '$1 == "95%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    failed=$(awk '/^Failed requests/ {print $3}' <<<"$out")
    non2xx=$(awk '/^Non-2xx responses/ {print $3}' <<<"$out")
    echo "| $label | $connections | $rps | $p50 | $p95 | $p99 | $((failed + ${non2xx:-0})) |"
  done
done
echo "after: $(uptime)"
