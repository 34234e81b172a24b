# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# npm packages (package-lock.json): axe-core and vnu-jar for the tests,
# lighthouse for `make audit`.
NODE_STAMP := node_modules/.installed

.PHONY: serve audit screenshots java fonts
.PHONY: run install test check-python migrate demo messages catalogues gettext browsers lint bench clean \
	bench-article bench-tools bench-search bench-markdown bench-faults collectstatic

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
	  echo "Python 3.12 or newer is required; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install Python 3.12+ or run: make PYTHON=/path/to/python3.12"; exit 1; }

$(STAMP): requirements.txt requirements-dev.txt | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

## install: the virtualenv with every pinned package (used by run and test)
install: check-python $(STAMP)

## messages: compile the zh_Hans and en translation catalogues
messages: $(STAMP) gettext
	$(PY) manage.py compilemessages --ignore=.venv -v 0

# Debian packages the project needs, installed where missing (root or sudo).
APT_INSTALL = SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq

## gettext: Debian's gettext (msgfmt) for compiling the catalogues, where it is missing
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing Debian's gettext for the translation catalogues..."; \
	  $(APT_INSTALL) gettext >/dev/null; }

## catalogues: extract interface strings (Python, both template engines, JavaScript)
catalogues: $(STAMP) gettext
	$(PY) manage.py makemessages -l zh_Hans -l zh_Hant -l en --no-location \
	  --ignore=.venv --ignore=node_modules --ignore='bench/*'
	$(PY) manage.py makemessages -d djangojs -l zh_Hans -l zh_Hant -l en --no-location \
	  --ignore=.venv --ignore=node_modules --ignore='bench/*'
	# Traditional Chinese: empty entries converted from zh_Hans (Taiwan
	# wording), and Hong Kong's differences (guides/tenancy/variants.py).
	$(PY) manage.py traditional_catalogues

migrate: $(STAMP)
	@mkdir -p var
	$(PY) manage.py migrate --no-input -v 0

demo: migrate
	$(PY) manage.py load_demo

## collectstatic: static files with hashed names and gzip/brotli copies in var/static
## (WhiteNoise's manifest storage; pages with DEBUG off need its manifest). Re-run
## when a file under static/ or the installed packages change.
STATIC_MANIFEST := var/static/staticfiles.json
$(STATIC_MANIFEST): $(STAMP) $(shell find static -type f 2>/dev/null)
	$(PY) manage.py collectstatic --no-input -v 0
	@touch $@

collectstatic: $(STATIC_MANIFEST)

## run: install, migrate SQLite, load the demo, serve on http://127.0.0.1:8000/
run: install messages demo collectstatic
	$(PY) manage.py runserver $(HOST):$(PORT)

## serve: try the production server: granian (WSGI, keep-alive) on
## http://127.0.0.1:8000/ with the production settings (DEBUG off, a random
## SECRET_KEY kept in var/secret_key, no HTTPS redirect since nothing here
## terminates TLS). Tuning: make serve GRANIAN_WORKERS=2 GRANIAN_THREADS=1
# One worker per core, one blocking thread each: a request is Python on the
# CPU from start to end (measured with make bench-article, docs/PERFORMANCE.md
# "granian workers and threads on 2 cores"). More workers only with more cores.
GRANIAN_WORKERS ?= 2
GRANIAN_THREADS ?= 1
serve: install messages demo collectstatic
	@test -s var/secret_key || $(PY) -c 'import secrets; print(secrets.token_urlsafe(64))' > var/secret_key
	DJANGO_SETTINGS_MODULE=helpcenter.settings.production SECRET_KEY="$$(cat var/secret_key)" \
	  SECURE_SSL_REDIRECT=false EMAIL_URL=consolemail:// \
	  $(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) \
	  --workers $(GRANIAN_WORKERS) --blocking-threads $(GRANIAN_THREADS) \
	  --no-ws helpcenter.wsgi:application

## test: the whole suite (browser tests included)
test: install messages browsers java $(NODE_STAMP)
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "Installing Debian's redis-server for the cache fault tests..."; \
	  $(APT_INSTALL) redis-server >/dev/null; }
	@command -v varnishd >/dev/null 2>&1 || test -x /usr/sbin/varnishd || { \
	  echo "Installing Debian's varnish for the cache tier tests..."; \
	  $(APT_INSTALL) varnish >/dev/null; }
	@ls /usr/lib/*/varnish/vmods/libvmod_xkey.so /usr/lib/varnish/vmods/libvmod_xkey.so \
	  2>/dev/null | grep -q . || { \
	  echo "Installing Debian's varnish-modules (xkey) for the cache tier tests..."; \
	  $(APT_INSTALL) varnish-modules >/dev/null; }
	$(BIN)/pytest

## browsers: Debian's chromium for the browser tests, where it is missing
browsers:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  $(APT_INSTALL) chromium >/dev/null; }

## node_modules/.installed: the npm packages of package-lock.json (npm ci;
## Debian's npm where npm is missing): axe-core and vnu-jar for the tests,
## lighthouse for the audit
$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's npm for the accessibility and HTML checks..."; \
	  $(APT_INSTALL) npm >/dev/null; }
	npm ci --no-audit --no-fund
	@touch $@

## java: Debian's headless JRE for the Nu Html Checker (vnu-jar), where missing
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing Debian's default-jre-headless for the HTML checks..."; \
	  $(APT_INSTALL) default-jre-headless >/dev/null; }

## fonts: Debian's Noto CJK fonts, so Chinese pages render in screenshots
fonts:
	@fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { \
	  echo "Installing Debian's fonts-noto-cjk for the screenshots..."; \
	  $(APT_INSTALL) fonts-noto-cjk >/dev/null; }

## audit: Lighthouse 12.2.3 in Debian's Chromium on home, article, carrier and
## search, both languages, phone and desktop; fails below accessibility 100,
## best practices 100, SEO 100 (indexable pages), performance 95
## (not part of test; docs/QUALITY.md records a run)
audit: install messages browsers collectstatic $(NODE_STAMP)
	$(PY) bench/audit.py $(AUDIT_ARGS)

## screenshots: home, article and search at 390 px and 1366 px in both
## languages, into docs/screenshots/
screenshots: install messages browsers fonts collectstatic
	$(PY) bench/screenshots.py

## bench-article: one interleaved run (3 rounds of wrk -t2 -c16 -d10s): nginx
## serving the article page as a static file, granian on a page-cache hit and
## a miss, Varnish (deploy/varnish/default.vcl) in front of granian, each
## ratio to nginx taken within its round; then, through Varnish, an
## unpublish, a publish and a hotline change must show within 1 s while
## unrelated pages stay cached (not part of test; see docs/PERFORMANCE.md).
## Options: make bench-article BENCH_ARGS='--rounds 5 --gunicorn --granian 2x1,3x1'
bench-article: install messages bench-tools collectstatic
	$(PY) bench/article.py $(BENCH_ARGS)

## bench-api: the API's procedure detail (/api/v1/procedures/<slug>) beside the
## article page, cache hit and miss, in one run with wrk; prints the API-to-page
## ratios (not part of test; see docs/PERFORMANCE.md).
## Options: make bench-api BENCH_ARGS='--duration 20 --connections 32'
.PHONY: bench-api
bench-api: install messages bench-tools collectstatic
	$(PY) bench/api.py $(BENCH_ARGS)

## bench-faults: two gunicorn servers on a private PostgreSQL and Redis under wrk
## load; Redis killed and PostgreSQL restarted mid-load while an editor publishes
## and changes a hotline and the branding; prints errors per phase and the worst
## staleness (not part of test; see docs/PERFORMANCE.md). Installs Debian's
## redis-server, wrk and postgresql where missing.
bench-faults: install messages collectstatic
	@pkgs=""; \
	  command -v redis-server >/dev/null 2>&1 || pkgs="$$pkgs redis-server"; \
	  command -v wrk >/dev/null 2>&1 || pkgs="$$pkgs wrk"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || pkgs="$$pkgs postgresql"; \
	  [ -z "$$pkgs" ] || { echo "Installing Debian's$$pkgs for the benchmark..."; \
	  $(APT_INSTALL) $$pkgs >/dev/null; }
	$(PY) bench/faults.py $(BENCH_ARGS)

## bench-search: search index build time and p50/p95/p99 query latency on SQLite
## and PostgreSQL, 100 tenants x 1,000 articles x 2 languages (not part of test;
## see docs/PERFORMANCE.md). Options: make bench-search BENCH_ARGS='--backend sqlite'
bench-search: install messages
	$(PY) bench/search.py $(BENCH_ARGS)

## bench-markdown: render 100,000 characters of each hostile Markdown input and
## print the time against the 100 ms target (not part of test; see
## docs/PERFORMANCE.md). Options: make bench-markdown BENCH_ARGS='--repeat 10'
bench-markdown: install
	$(PY) bench/markdown.py $(BENCH_ARGS)

## bench-tools: Debian's nginx-light, wrk, varnish and varnish-modules (xkey)
## for the benchmarks, where they are missing
bench-tools:
	@pkgs=""; \
	  command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || pkgs="$$pkgs nginx-light"; \
	  command -v wrk >/dev/null 2>&1 || pkgs="$$pkgs wrk"; \
	  command -v varnishd >/dev/null 2>&1 || test -x /usr/sbin/varnishd || pkgs="$$pkgs varnish"; \
	  ls /usr/lib/*/varnish/vmods/libvmod_xkey.so /usr/lib/varnish/vmods/libvmod_xkey.so \
	    2>/dev/null | grep -q . || pkgs="$$pkgs varnish-modules"; \
	  [ -z "$$pkgs" ] || { echo "Installing Debian's$$pkgs for the benchmarks..."; \
	  $(APT_INSTALL) $$pkgs >/dev/null; }

## lint: ruff check and ruff format --check (configured in pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var
