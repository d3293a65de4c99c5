"""Fixtures of the fault tests: the study fixtures (a studied document, a campaign of the
commune), the reports tests' year and an uploaded import file (dangvu/orgs/samples/mau-nhap-to-chuc.xlsx) under a unit
of its own."""

import datetime

import pytest

from dangvu.orgs import services as org_services
from dangvu.orgs.models import Candidate, Member, OrgUnit, UnitKind
from dangvu.reports.tests.conftest import year  # noqa: F401
from dangvu.study.tests.conftest import campaign, studied_document  # noqa: F401

SAMPLE_ROWS = (2, 6, 2)  # the sample's units, members and candidates


@pytest.fixture
def root(org):
    return org_services.unit_create(actor=None, parent=org.G, name="Đảng bộ bộ phận Hùng An", code="TQ-0001",
                                    kind=UnitKind.SUB, valid_from=datetime.date(2020, 1, 1))


@pytest.fixture
def uploaded(org, root):
    from dangvu.orgs.tests.test_imports import SAMPLE

    return org_services.import_job_create(actor=org.users["off"], unit=root, file_name=SAMPLE.name,
                                          content=SAMPLE.read_bytes())


@pytest.fixture
def imported():
    """What of the sample is in the database: (units, members, candidates)."""
    def count() -> tuple[int, int, int]:
        return (OrgUnit.objects.filter(code__startswith="TQ-0001-M").count(),
                Member.objects.filter(unit__code__startswith="TQ-0001-M").count(),
                Candidate.objects.filter(unit__code__startswith="TQ-0001-M").count())

    return count
