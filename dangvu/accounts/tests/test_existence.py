"""Outside the reader's rights, an existing object and a missing one answer the same (issue 24):
/api/inspections/76 answered 403 to someone who may not read inspections, and 404 for a
missing id, which told that 76 exists."""

import datetime

from dangvu.accounts.models import Team
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
