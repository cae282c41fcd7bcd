"""Schemathesis over the whole API: every operation, generated valid and invalid requests, every check.

Bounded and deterministic: a fixed number of examples per operation, derandomized, no example database.
The throttle is off here (one client makes every request); it has tests of its own.

One check is tuned, and why: `positive_data_acceptance` expects a 2xx for any request the schema allows.
`/api/step` and `/api/explain` also apply the engine's rules, which a JSON schema cannot state (the answer
a finding takes depends on the finding; a child finding needs its parent; the knowledge pack's youngest
age), so for those two a documented 422 naming the field is an accepted answer too.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import schemathesis
from pytest_django.fixtures import Settings

from careguide.web.wsgi import application

MAX_EXAMPLES = 50

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "operations": [
            {
                "include-operation-id": ["step", "explain"],
                "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "422"]}},
            }
        ],
    }
)
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
        assert len(operations) == 7
