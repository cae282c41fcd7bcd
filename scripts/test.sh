#!/usr/bin/env bash
# Install CareGuide and everything its tests need, then run the whole suite: ruff, mypy, the knowledge
# check, pytest on SQLite (including the browser and accessibility tests), and the site's tests again
# on a temporary PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_apt+=(postgresql)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if ((${#need_apt[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "warning: missing Debian packages (${need_apt[*]}); run as root to install them" >&2
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[dev]'
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

ruff format --check src tests
ruff check src tests
mypy
careguide kb check

echo "== tests of the site on PostgreSQL =="
python3 -m careguide.web.pgtemp python3 -m pytest -p no:cacheprovider -q tests/web

echo "== whole suite on SQLite =="
python3 -m pytest -p no:cacheprovider
