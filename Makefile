# Two commands do everything on a fresh machine: `make video` and `make test`.
PY := .venv/bin/python
QUALITY ?= high
PYTEST_ARGS ?=

.PHONY: setup video test lint storyboard bench bench-cluster kernels

setup:
	@scripts/bootstrap.sh

# `make video NARRATION=1`: the narrated version (media/<slug>-<quality>-narrated.mp4) instead.
video: setup
	$(PY) render.py --quality $(QUALITY) $(if $(NARRATION),--narration)

test: setup
	$(PY) -m pytest $(if $(UPDATE_SNAPSHOTS),--update-snapshots) $(PYTEST_ARGS)

# The snapshot tests under every OpenBLAS kernel this CPU can execute, with 1 and 2 threads:
# the pictures must not depend on the machine (make test runs one forced kernel itself).
kernels: setup
	@for kernel in $$(.venv/bin/python -c 'from tests.test_blas_kernels import executable_kernels as k; print(*k())'); do \
	  for threads in 1 2; do \
	    echo "== OPENBLAS_CORETYPE=$$kernel OPENBLAS_NUM_THREADS=$$threads"; \
	    OPENBLAS_CORETYPE=$$kernel OPENBLAS_NUM_THREADS=$$threads $(PY) -m pytest -q -p no:cacheprovider tests/test_scene_snapshots.py tests/test_assets.py || exit 1; \
	  done; \
	done

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# Measures render speed on this machine (minutes; not part of `make test`) -> BENCHMARKS.md,
# narration included (BENCH_ARGS=--narration-only: speech and the narrated render only).
BENCH_ARGS ?=
bench: setup
	$(PY) tools/bench.py $(BENCH_ARGS)

# 2 workers (local pool, local Dask cluster) against --jobs 1, split planning: a section to add
# to BENCHMARKS.md (minutes; not part of `make test`).
bench-cluster: setup
	$(PY) tools/bench_cluster.py $(BENCH_ARGS)
