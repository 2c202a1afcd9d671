"""schemathesis over the OpenAPI document, as each role: every generated request, valid (positive) or
not (negative), gets an answer that is not a 5xx and that matches the response the document declares.

The requests go through the Flask app in-process (WSGI, no network), from a client signed in through the
real login form and sending the CSRF token the API hands out. Bounded: FUZZ_EXAMPLES examples per operation
and mode (default 5), derandomized so CI is repeatable, no shrinking (a failure is reported as found).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.hostile_world import build_world, sign_in

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize(
    "role",
    [None, "educator", "validator", "district_leader", "admin"],
    ids=["anonymous", "educator", "validator", "district_leader", "admin"],
)
def test_every_operation_answers_within_its_declared_schema(app, framework, role):
    build_world(framework)
    client = app.test_client()
    sign_in(client, role)
    headers = {}
    if role is not None:
        headers["X-CSRFToken"] = client.get("/api/v1/me").get_json()["csrf_token"]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:

            @BOUNDED
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case):
                case.call_and_validate(
                    session=client, headers=headers, checks=[not_a_server_error, response_schema_conformance]
                )

            try:
                call()
            except Unsatisfiable:  # nothing to make invalid (no parameters, or any string is valid)
                continue
            except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, report all
                failures.append(f"{operation.label} ({mode.value}): {type(exc).__name__}: {str(exc)[:1500]}")
    assert not failures, f"{len(failures)} operations failed as {role or 'anonymous'}:\n\n" + "\n\n".join(failures)
