# Two commands do everything on a fresh machine: `make video` and `make test`.
PY := .venv/bin/python
QUALITY ?= high
PYTEST_ARGS ?=

.PHONY: setup video test lint storyboard bench

setup:
	@scripts/bootstrap.sh

video: setup
	$(PY) render.py --quality $(QUALITY)

test: setup
	$(PY) -m pytest $(if $(UPDATE_SNAPSHOTS),--update-snapshots) $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .

# Measures render speed on this machine (minutes; not part of `make test`) -> BENCHMARKS.md.
BENCH_ARGS ?=
bench: setup
	$(PY) -m pipeline.bench $(BENCH_ARGS)
