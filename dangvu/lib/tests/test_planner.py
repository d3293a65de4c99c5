"""The planner's statistics refreshed after writing in bulk: PostgreSQL then knows how many rows
a table holds (its estimates of the tree and the essays follow), whatever autovacuum does."""

import datetime

import pytest
from django.db import connection

from conftest import make_member
from dangvu.lib.planner import refresh_statistics
from dangvu.orgs.models import Member


@pytest.mark.django_db
def test_refreshing_tells_the_planner_how_many_rows_there_are(org):
    for n in range(25):
        make_member(org.A, f"Đảng viên {n}", datetime.date(1980, 1, 1) + datetime.timedelta(days=n))
    ran = refresh_statistics("orgs_member")
    assert ran == (connection.vendor == "postgresql")
    if ran:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'orgs_member'")
            (rows,) = cursor.fetchone()
        assert rows == Member.objects.count() == 29  # the 25, and the fixture's four
