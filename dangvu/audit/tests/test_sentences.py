"""The change log reads as sentences with labels and displayed values, not field names."""

import datetime

from dangvu.audit.services import audit_for
from dangvu.orgs import services


def test_a_units_changes_read_as_sentences(client, org):
    services.unit_update(actor=org.users["off"], unit=org.A, has_committee=True, valid_from=datetime.date(2021, 7, 1))
    entry = audit_for(org.A).filter(action="update").first()
    lines = entry.sentences
    assert "Đổi có chi ủy từ không thành có." in lines
    assert "Đổi hiệu lực từ từ 01/01/2020 thành 01/07/2021." in lines  # labels, and dates as read
    client.force_login(org.users["off"])
    page = client.get(f"/units/{org.A.pk}/").content.decode()
    assert "has_committee" not in page and "valid_from" not in page and "True" not in page.split("audit")[-1]
