# Two commands on a fresh clone: `make run` and `make test`. Needs python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
INSTALLED := $(VENV)/.installed
# Whether make run was told where to serve (before the defaults below are set).
SERVED_ON_GIVEN := $(findstring command line,$(origin HOST)$(origin PORT)$(origin SITE_URL))$(findstring environment,$(origin HOST)$(origin PORT)$(origin SITE_URL))
HOST ?= 127.0.0.1
PORT ?= 8000
# The address the demo gives out in every link (share links, feeds, e-mails): the one it is
# served on, or 127.0.0.1 when it listens on every interface (give SITE_URL= then). Passed
# only when HOST, PORT or SITE_URL is given, so a SITE_URL in .env holds otherwise.
SITE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
# The demo shows the site as readers see it (its own 404 and 500 pages); DEBUG=true make run
# keeps Django's debug pages.
DEBUG ?= false
RUN_ENV := $(if $(SERVED_ON_GIVEN),SITE_URL=$(SITE_URL) )DEBUG=$(DEBUG)

.PHONY: run serve test test-services reliability bench bench-scale bench-newsletter install install-runtime lint format lock messages

# The site's own packages (requirements.lock), and the development tools on top of them
# (requirements-dev.lock: tests, browser, lint, profiling). `make run` needs only the first.
$(RUNTIME): requirements.lock
	@echo "==> Creating the virtualenv in $(VENV)"
	@test -x $(BIN)/pip || $(PYTHON) -m venv --clear $(VENV)
	@echo "==> Installing the site's pinned packages (requirements.lock)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

$(INSTALLED): $(RUNTIME) requirements-dev.lock
	@echo "==> Installing the development tools (requirements-dev.lock)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-dev.lock
	@touch $@

install-runtime: $(RUNTIME)

install: $(INSTALLED)

run: install-runtime
	@mkdir -p var
	@echo "==> Migrating the database (var/db.sqlite3 unless DATABASE_URL is set)"
	@$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	@echo "==> Loading the demo newsroom"
	@$(RUN_ENV) $(BIN)/python manage.py load_demo
	@echo "==> Serving $(SITE_URL)/ on $(HOST):$(PORT) (Ctrl-C stops)"
	@$(RUN_ENV) $(BIN)/python manage.py run_periodic & periodic=$$!; \
	  trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	  $(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production process set on this machine (Procfile, run by deploy/serve.py): gunicorn,
# a Celery worker and beat, and Varnish in front, on PostgreSQL and Redis (started, or
# installed, by deploy/services), with the demo newsroom loaded once into its own database.
# Readers come in at the edge (SERVE_EDGE_PORT), which the app purges. The site says
# NEWSROOM_ENV=production; only TLS is left out (127.0.0.1). Ctrl-C stops everything.
SERVE_DB ?= newsroom_serve
SERVE_PORT ?= 8000
SERVE_EDGE_PORT ?= 6081
SERVE_COMMON = DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(SERVE_DB) \
  REDIS_URL=redis://127.0.0.1:6379/0 CELERY_BROKER_URL=redis://127.0.0.1:6379/1 \
  SITE_URL=http://127.0.0.1:$(SERVE_EDGE_PORT) EDGE_PURGE_URLS=http://127.0.0.1:$(SERVE_EDGE_PORT)/ \
  NEWSROOM_READ_DOTENV=false
SERVE_VAR = $${NEWSROOM_VAR_DIR:-var}
SERVE_ENV = $(SERVE_COMMON) NEWSROOM_ENV=production SECRET_KEY="$$(cat $(SERVE_VAR)/serve-secret-key)" \
  ALLOWED_HOSTS=127.0.0.1,localhost EMAIL_URL=consolemail:// SERVE_MEDIA=true \
  SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 PORT=$(SERVE_PORT) \
  VARNISH_LISTEN=127.0.0.1:$(SERVE_EDGE_PORT) VARNISH_BACKEND=127.0.0.1:$(SERVE_PORT)

serve: install-runtime
	@deploy/services
	@mkdir -p $(SERVE_VAR)
	@test -s $(SERVE_VAR)/serve-secret-key || \
	  $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $(SERVE_VAR)/serve-secret-key
	@psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname = '$(SERVE_DB)'" | grep -q 1 || \
	  createdb -h 127.0.0.1 -U postgres $(SERVE_DB)
	@echo "==> Migrating $(SERVE_DB) and collecting the static files"
	@$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	@$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	@if $(SERVE_COMMON) $(BIN)/python manage.py shell -c \
	    "from articles.models import Article; raise SystemExit(Article.objects.exists())"; then \
	  echo "==> Loading the demo newsroom (once)"; $(SERVE_COMMON) $(BIN)/python manage.py load_demo; fi
	@echo "==> Serving http://127.0.0.1:$(SERVE_EDGE_PORT)/ (the edge; the app on $(SERVE_PORT)) with the Procfile's processes (Ctrl-C stops them)"
	@$(SERVE_ENV) $(BIN)/python deploy/serve.py

lint: install
	@echo "==> ruff check and ruff format --check"
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@echo "==> Migrations match the models"
	@$(BIN)/python manage.py makemigrations --check --dry-run -v 0

test: lint
	@echo "==> Tests on SQLite, background work in-process"
	@$(BIN)/pytest -m "not integration" --junitxml=var/test-results/suite.xml

# Run by .ci/run once PostgreSQL and Redis are up; the fixtures start a Celery worker.
test-services: install
	@echo "==> Tests marked postgres or integration, on PostgreSQL with Redis and a worker"
	@DATABASE_URL=$${CI_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/newsroom_ci} \
	  REDIS_URL=$${CI_REDIS_URL:-redis://127.0.0.1:6379/10} \
	  CELERY_BROKER_URL=$${CI_BROKER_URL:-redis://127.0.0.1:6379/11} \
	  $(BIN)/pytest -m "postgres or integration" --create-db --junitxml=var/test-results/services.xml

# docs/reliability.md's table of promises from the last runs of both (tests/reliability.py).
reliability:
	@echo "==> The promises of docs/reliability.md and their latest results"
	@$(BIN)/python -m tests.reliability var/test-results/suite.xml \
	  var/test-results/services.xml --write docs/reliability.md

# The reader pages under load against a floor (benchmarks/pages.py, docs/benchmarks.md):
# about 12 minutes. Options go through BENCH_ARGS: make bench BENCH_ARGS="--seconds 3 --rounds 1".
bench: install
	@command -v wrk >/dev/null || { echo "==> Installing wrk"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@echo "==> Reader pages under load: benchmarks/pages.py $(BENCH_ARGS)"
	@$(BIN)/python benchmarks/pages.py $(BENCH_ARGS)

# The site on a generated archive of 100,000 stories and 1,000,000 comments against the same
# pages on one of 1,000 (benchmarks/scale.py, docs/benchmarks.md "Archive at scale"), on the
# PostgreSQL databases BENCH_SCALE_URL and BENCH_SCALE_SMALL_URL (generated on the first run,
# about 7 minutes), then the query plans on it (tests/scale, marked scale); about 15 minutes.
BENCH_SCALE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_scale
bench-scale: install
	@command -v wrk >/dev/null || { echo "==> Installing wrk"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@echo "==> The archive at scale: benchmarks/scale.py $(BENCH_ARGS)"
	@BENCH_SCALE_URL=$(BENCH_SCALE_URL) $(BIN)/python benchmarks/scale.py $(BENCH_ARGS)
	@echo "==> Query plans at scale: tests/scale"
	@DATABASE_URL=$(BENCH_SCALE_URL) NEWSROOM_SCALE_ARCHIVE=1 $(BIN)/pytest -q -m scale tests/scale

# One newsletter issue to 50,000 recipients by a real Celery worker into a local SMTP sink,
# against plain smtplib (benchmarks/newsletter.py, docs/benchmarks.md "Newsletter"), on the
# PostgreSQL database BENCH_POSTGRES_URL (made and dropped by the run); about 5 minutes.
# Options through BENCH_ARGS: make bench-newsletter BENCH_ARGS="--rate 12000".
bench-newsletter: install
	@echo "==> A newsletter to 50,000: benchmarks/newsletter.py $(BENCH_ARGS)"
	@$(BIN)/python benchmarks/newsletter.py $(BENCH_ARGS)

format: install
	@$(BIN)/ruff check --fix .
	@$(BIN)/ruff format .

# Regenerate both locks from pyproject.toml in a clean virtualenv: the site's packages first,
# then the development tools constrained to the versions the site runs with.
lock:
	@rm -rf var/lock-venv && mkdir -p var && $(PYTHON) -m venv var/lock-venv
	@$(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"]))' > var/lock-venv/runtime.txt
	@$(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["optional-dependencies"]["dev"]))' > var/lock-venv/dev.txt
	@var/lock-venv/bin/pip install --quiet --disable-pip-version-check -r var/lock-venv/runtime.txt
	@var/lock-venv/bin/pip freeze > requirements.lock
	@var/lock-venv/bin/pip install --quiet --disable-pip-version-check -r var/lock-venv/dev.txt -c requirements.lock
	@var/lock-venv/bin/pip freeze | grep -vxFf requirements.lock > requirements-dev.lock
	@rm -rf var/lock-venv
	@echo "requirements.lock and requirements-dev.lock updated"

# Extract source strings into locale/ko and compile the catalogue (needs GNU gettext).
messages: install
	@$(BIN)/python manage.py makemessages --locale ko --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	@$(BIN)/python manage.py compilemessages --locale ko --ignore '.venv/*'
