#!/usr/bin/env bash
# Install CareGuide with its development tools, then run the whole test suite: pytest, ruff, mypy.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e '.[dev]'
ruff format --check src tests
ruff check src tests
mypy
careguide kb check
python3 -m pytest -p no:cacheprovider
