"""Schemathesis over the whole API: every operation, generated valid and invalid requests, every check.

Its settings are the project's schemathesis.toml: bounded and deterministic (50 examples per operation,
derandomized, no example database), and one check tuned for /api/step and /api/explain, with the reason.
The throttle is off here (one client makes every request); it has tests of its own.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from pytest_django.fixtures import Settings

from careguide.web.wsgi import application

CONFIG = schemathesis.Config.from_path(Path(__file__).resolve().parents[2] / "schemathesis.toml")

_requests: dict[str, int] = {}  # requests that reached the site, by method and path template
_lock = threading.Lock()


def _counted(environ: dict[str, Any], start_response: Any) -> Any:
    """The site, counting every request schemathesis sends (checks such as unsupported_method send their own)."""
    with _lock:
        _requests["all"] = _requests.get("all", 0) + 1
    return application(environ, start_response)


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", _counted, config=CONFIG)


@pytest.fixture(autouse=True)
def _no_throttle(settings: Settings, db: None) -> None:
    settings.CAREGUIDE_API_RATE = "off"
    settings.CAREGUIDE_API_PARSE_RATE = "off"


@schema.parametrize()
def test_the_api_meets_its_openapi_schema(case: Any) -> None:
    with _lock:
        _requests[case.operation.label] = _requests.get(case.operation.label, 0) + 1
    case.call_and_validate()


def test_every_operation_was_fuzzed() -> None:
    """Runs after the fuzzing above (pytest keeps file order); prints the request counts (pytest -s)."""
    operations = {op.ok().label for op in schema.get_all_operations()}  # type: ignore[union-attr]
    print({"schemathesis_requests": _requests.get("all", 0), "cases_per_operation": _requests})
    if len(_requests) > 1:  # the fuzzing test may have been deselected
        assert set(_requests) - {"all"} == operations
        assert len(operations) == 9
