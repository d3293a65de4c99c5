import datetime

import pytest

from dangvu.figures.tests.scenario import record_year
from dangvu.orgs import services as org_services


@pytest.fixture
def year(org):
    """The figures tests' year 2026, with G able to number its reports (a symbol and a term)."""
    o = record_year(org)
    org_services.unit_update(actor=None, unit=o.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=o.G, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 1))
    o.G.refresh_from_db()
    return o
