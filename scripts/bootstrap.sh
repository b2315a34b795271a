#!/usr/bin/env bash
# Installs what the project needs, only where it is missing, and says nothing when all is there.
# Called by `make video` and `make test`; safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, each for a reason (checked with `latex -recorder` on our template):
# - pkg-config, libcairo2-dev, libpango1.0-dev: ManimPango and pycairo build from source here;
# - texlive-latex-base (amsmath), texlive-latex-recommended (xcolor), texlive-latex-extra
#   (standalone, the document class of Manim's templates), dvisvgm (DVI to SVG for MathTex);
# - fonts-dejavu-core: the body-text font; poppler-utils: the handout test reads the PDF.
DEB_PACKAGES=(
  pkg-config libcairo2-dev libpango1.0-dev
  texlive-latex-base texlive-latex-recommended texlive-latex-extra dvisvgm
  fonts-dejavu-core poppler-utils
  chromium  # the presenter-mode test plays the slides in headless Chromium (via Playwright)
)

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  install_cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them as root, then run this again:" >&2
    echo "  $install_cmd" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi

# The venv is (re)installed when pyproject.toml is newer than the last install.
stamp=.venv/.installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  echo "Installing Python packages into .venv"
  [[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
  # pip's output goes to a log, shown only if the install fails.
  log=.venv/pip-install.log
  if ! .venv/bin/python -m pip install --disable-pip-version-check -e '.[test]' >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "pip install failed; full log: $log" >&2
    exit 1
  fi
  touch "$stamp"
fi
