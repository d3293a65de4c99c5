import pytest


@pytest.fixture(autouse=True)
def _audit_pages(settings):
    settings.ROOT_URLCONF = "dangvu.audit.tests.urls"
