# Two commands on a fresh machine: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON_BOOTSTRAP ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8000
WORD_LIST := /usr/share/dict/british-english
APACHE_BENCH := /usr/bin/ab
APT_GET := $(if $(filter 0,$(shell id -u)),,sudo -n) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: run setup deps test lint check-django pytest bench bench-deps bench-load relevance format \
	clean-index \
	opensearch opensearch-jars opensearch-stop run-opensearch serve-production

run: setup
	@$(MANAGE) dev_admin --show
	$(MANAGE) runserver $(HOST):$(PORT)

# Everything `run` does except serve. Idempotent: a second run changes nothing.
setup: deps
	mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) collectstatic --no-input -v 0
	$(MANAGE) load_initial_data
	$(MANAGE) dev_admin

deps: $(VENV)/.installed node_modules/.installed $(WORD_LIST)

# Debian's British English word list (package wbritish): search's dictionary of correct words
# (search/dictionary.py), so spelling correction leaves real words alone. Installed as root
# without prompting; otherwise through `sudo -n`, which fails rather than asks.
$(WORD_LIST):
	$(APT_GET) install -y -qq wbritish >/dev/null || \
	  { $(APT_GET) update -qq && $(APT_GET) install -y -qq wbritish >/dev/null; }
	test -s $@

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The whole suite: lint, Django checks, then pytest (browser tests run when Chromium is present).
# pytest runs in two worker processes (pytest-xdist), one per core: each loads the content into
# its own test database once. PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n 2
test: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

format: deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates

# Embedded, OpenSearch (on the `make opensearch` node, a throwaway index) and Wagtail side by side.
relevance: setup opensearch
	OPENSEARCH_URL=$(OPENSEARCH_URL_LOCAL) $(MANAGE) search_relevance --engine embedded --engine opensearch

# Search latency, rebuild rate, index size and RSS (10k and 100k docs), page server times, then
# send_alerts with 10,000 subscriptions and 50 new pages.
bench: deps
	$(PY) -m bench $(BENCH_ARGS)
	$(PY) -m bench.site_pages
	$(PY) -m bench.alerts

# What the load figures need beyond `deps`: ApacheBench (Debian's apache2-utils), installed
# like the word list above. bench/production_load.sh runs this when `ab` is missing.
bench-deps: $(APACHE_BENCH)

$(APACHE_BENCH):
	$(APT_GET) install -y -qq apache2-utils >/dev/null || \
	  { $(APT_GET) update -qq && $(APT_GET) install -y -qq apache2-utils >/dev/null; }
	test -x $@

# The load figures of docs/deployment.md: SQLite, and PostgreSQL too when LOAD_POSTGRES_URL
# names a server (a throwaway database is created on it and dropped). See the script.
bench-load: deps bench-deps
	bench/production_load.sh
	@if [ -n "$$LOAD_POSTGRES_URL" ]; then bench/production_load.sh --postgres; fi

# A single-node OpenSearch for development (services/opensearch/, docs/search.md). The jars are
# fetched from Maven Central once into services/opensearch/target/ (ignored); data and log live
# in var/opensearch/.
OPENSEARCH_PORT ?= 9200
OPENSEARCH_JAVA_HOME ?= /usr/lib/jvm/temurin-25-jdk-amd64
OPENSEARCH_DIR := services/opensearch
OPENSEARCH_BUILT := $(OPENSEARCH_DIR)/target/classes/kb/opensearch/DevNode.class
OPENSEARCH_URL_LOCAL := http://127.0.0.1:$(OPENSEARCH_PORT)

opensearch-jars: $(OPENSEARCH_BUILT)

$(OPENSEARCH_BUILT): $(OPENSEARCH_DIR)/pom.xml $(wildcard $(OPENSEARCH_DIR)/src/main/*/*/*/*) $(wildcard $(OPENSEARCH_DIR)/src/main/resources/*)
	rm -rf $(OPENSEARCH_DIR)/target/lib
	cd $(OPENSEARCH_DIR) && JAVA_HOME=$(OPENSEARCH_JAVA_HOME) mvn -q -B dependency:copy-dependencies compile
	touch $@

# Starts the node in the background and returns once the cluster is yellow or green.
opensearch: opensearch-jars
	OPENSEARCH_JAVA_HOME=$(OPENSEARCH_JAVA_HOME) python3 -m services.opensearch.node start --port $(OPENSEARCH_PORT)

opensearch-stop:
	python3 -m services.opensearch.node stop

# Serves the site with the OpenSearch engine on the node `make opensearch` started.
run-opensearch: setup
	KB_SEARCH_ENGINE=opensearch OPENSEARCH_URL=$(OPENSEARCH_URL_LOCAL) $(MANAGE) search_index rebuild
	@$(MANAGE) dev_admin --show
	KB_SEARCH_ENGINE=opensearch OPENSEARCH_URL=$(OPENSEARCH_URL_LOCAL) $(MANAGE) runserver $(HOST):$(PORT)
# Production, as docs/deployment.md describes: static files, the deploy checks, migrations, then
# gunicorn (config/gunicorn.py). Needs DJANGO_SETTINGS_MODULE=config.settings.production and
# SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (and the rest of the table in docs/deployment.md).
serve-production: deps
	@test "$$DJANGO_SETTINGS_MODULE" = config.settings.production || \
	  { echo "error: set DJANGO_SETTINGS_MODULE=config.settings.production (see docs/deployment.md)" >&2; exit 2; }
	$(MANAGE) collectstatic --no-input -v 0
	$(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) migrate --no-input
	$(MANAGE) search_index ensure --or-fallback
	exec $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi
