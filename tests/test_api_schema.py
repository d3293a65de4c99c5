"""schemathesis against /api/openapi.json: every operation, as two personas (a cell
secretary and a committee officer, by API token), generated input, bounded for CI.
No answer may be a 500, and every answer must match the schema it declares."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from dangvu.accounts.services import token_create
from dangvu.wsgi import application

BOUNDED = settings(max_examples=8, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI app closes the database connection after each request; inside a test that
    is the test's own transaction. Django's test client keeps it open the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_every_operation_answers_within_its_schema(org, wsgi_in_test_transaction):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    headers = {persona: {"Authorization": f"Bearer {token_create(user=org.users[persona], name='st', scope='all')[1]}"}
               for persona in ("sec", "off")}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 24

    for operation in operations:
        @BOUNDED
        @given(case=operation.as_strategy())
        def check(case):
            for persona in ("sec", "off"):
                # schema-valid input may still break a rule the schema cannot say (an id that does
                # not exist, dates in the wrong order): a 422 naming the field is the right answer
                case.call_and_validate(headers=headers[persona], excluded_checks=[positive_data_acceptance])

        check()
