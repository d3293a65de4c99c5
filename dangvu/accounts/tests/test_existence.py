"""Outside the reader's rights, an existing object and a missing one answer the same (issue 24):
/api/inspections/76 answered 403 to someone who may not read inspections, and 404 for a
missing id, which told that 76 exists."""

import datetime

import pytest

from dangvu.accounts.models import Team
from dangvu.documents.tests.test_numbering import committee  # noqa: F401
from dangvu.inspections.services import inspection_record

TODAY = datetime.date.today()


def test_a_thing_one_may_not_read_looks_missing(client, org):
    inspection = inspection_record(actor=None, unit=org.G, kind="inspection", member=org.other_member,
                                   start=TODAY - datetime.timedelta(days=9), end=TODAY - datetime.timedelta(days=8),
                                   content="Đảng phí")
    Team.objects.create(name="Tuyên giáo", unit=org.G, permissions=["units:read", "study:read"]).users.add(
        org.users["mem"])
    client.force_login(org.users["mem"])
    existing = client.get(f"/api/inspections/{inspection.pk}")
    missing = client.get(f"/api/inspections/{inspection.pk + 1000}")
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    # who may read it but not change it is told so
    client.force_login(org.users["view"])
    assert client.get(f"/api/inspections/{inspection.pk}").status_code == 200
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 200
    assert client.get(f"/members/{org.mem_member.pk}/edit/").status_code == 403  # reads members, may not write


def test_an_inspection_stays_with_the_cell_its_subject_was_in(client, org):
    """After a transfer the new cell read an inspection held elsewhere ("Vi phạm X"), and the
    old cell lost its own (issue 24): it belongs where the subject stood on its dates."""
    from dangvu.orgs.services import member_transfer

    day = TODAY - datetime.timedelta(days=20)
    inspection = inspection_record(actor=None, unit=org.A, kind="inspection", member=org.mem_member,
                                   start=day, end=day + datetime.timedelta(days=1), content="Đảng phí")
    member_transfer(actor=None, member=org.mem_member, to_unit=org.B, on_date=TODAY - datetime.timedelta(days=5))
    client.force_login(org.users["out"])  # B's secretary: the member's cell now
    assert client.get(f"/api/inspections/{inspection.pk}").status_code == 404
    assert "Đảng phí" not in client.get(f"/units/{org.B.pk}/inspections/").content.decode()
    client.force_login(org.users["sec"])  # A's secretary: the cell it was held in
    assert client.get(f"/api/inspections/{inspection.pk}").status_code == 200
    client.force_login(org.users["mem"])  # the member inspected
    assert client.get(f"/api/inspections/{inspection.pk}").status_code == 200


@pytest.mark.usefixtures("committee")  # G issues documents
def test_a_missing_id_costs_the_queries_of_a_forbidden_one(client, org):
    """An id outside the reader's rights and an id of nothing go through the same scope check
    (the grants, the successors of the place): the same queries, so the time of the answer does
    not tell that the object exists (timed in bench/existence_timing.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangvu.documents.services import document_issue

    document = document_issue(actor=None, unit=org.G, doc_type="BC", issued_on=TODAY, summary="Báo cáo")  # not shared
    client.force_login(org.users["sec"])  # A's secretary: B's member and unit, G's register are not theirs
    for url, pk in (("/api/members/{}", org.out_member.pk), ("/api/units/{}", org.B.pk),
                    ("/api/documents/{}", document.pk)):
        counts = []
        for asked in (pk, pk + 100_000):
            with CaptureQueriesContext(connection) as queries:
                answer = client.get(url.format(asked))
            assert answer.status_code == 404, (url, asked)
            counts.append(len(queries))
        assert counts[0] == counts[1], (url, counts)
