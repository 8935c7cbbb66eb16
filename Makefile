# Set-up, serving and tests. `make run` and `make test` are all a fresh clone needs.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: install run worker test test-fast lint bench bench-growth messages clean

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev,bench]"
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Fejl: npm findes ikke. Installér Node.js og npm (fx 'apt-get install nodejs npm') og kør make igen." >&2; \
	  exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# Det Fælles Designsystem, served from our own static files (no CDN).
static/dkfds/.installed: node_modules/.installed
	rm -rf static/dkfds
	mkdir -p static/dkfds
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js \
	      node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img static/dkfds/
	touch $@

install: $(BIN)/.installed static/dkfds/.installed

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_facts
	$(MANAGE) load_demo
	@# The worker makes large exports in the background; it stops when runserver does.
	$(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

# The background worker alone (large exports): django-tasks' database queue.
worker: install
	$(MANAGE) migrate --noinput
	$(MANAGE) db_worker

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run

# PostgreSQL only: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kombitpl_bench),
# created when missing; the data is built by load_bench on the first run (about a minute).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kombitpl_bench
BENCH := DJANGO_SETTINGS_MODULE=kombitpl.settings.bench BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE)

bench: install
	$(BENCH) bench $(BENCH_ARGS)

# The same cases at ¼×, 4× and 1× the default data (reloaded each time), then how each grew.
bench-growth: install
	for scale in 0.25 4 1; do $(BENCH) bench --scale $$scale $(BENCH_ARGS) || exit 1; done
	$(BENCH) bench --growth

messages: install
	$(MANAGE) makemessages -l da --ignore=.venv --ignore=node_modules --ignore=static
	$(MANAGE) compilemessages -l da --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules static/dkfds staticfiles
