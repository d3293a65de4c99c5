"""A register entry has what a paper register has, can be corrected (not its number) and
withdrawn, audited, with a way back to the register."""

import datetime

import pytest

from dangvu.audit.models import AuditEntry
from dangvu.documents import services
from dangvu.documents.models import Document
from dangvu.orgs import services as org_services


@pytest.fixture
def register(org):
    org.G = org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 20))
    return org


def test_received_with_its_register_fields_corrected_and_withdrawn(client, register):
    client.force_login(register.users["off"])
    answer = client.post(f"/units/{register.G.pk}/documents/new/", {
        "direction": "received", "doc_type": "CT", "number": "45", "issuer_symbol": "TW",
        "issued_on": "2026-03-02", "summary": "Chỉ thị về tăng cường công tác kiểm tra",
        "correspondent": "Văn phòng Trung ương Đảng", "signer": "Trần Cẩm Tú", "incoming_number": "118",
        "received_on": "2026-03-09"})
    doc = Document.objects.get()
    assert answer.status_code == 302 and (doc.correspondent, doc.signer, doc.incoming_number) == (
        "Văn phòng Trung ương Đảng", "Trần Cẩm Tú", 118)
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert f'href="/units/{register.G.pk}/documents/"' in page and "Văn phòng Trung ương Đảng" in page
    assert "118, 09/03/2026" in page and 'id="edit-link"' in page
    client.post(f"/documents/{doc.pk}/edit/", {"summary": doc.summary, "correspondent": "Văn phòng Trung ương",
                                               "signer": "Trần Cẩm Tú", "incoming_number": "119",
                                               "received_on": "2026-03-09"})
    doc.refresh_from_db()
    assert (doc.correspondent, doc.incoming_number, doc.number) == ("Văn phòng Trung ương", 119, 45)
    client.post(f"/documents/{doc.pk}/withdraw/", {"withdraw_reason": "Vào sổ nhầm"})
    doc.refresh_from_db()
    assert doc.withdrawn_on is not None and Document.objects.count() == 1  # kept, marked
    assert "thu hồi" in client.get(f"/units/{register.G.pk}/documents/").content.decode()
    entries = AuditEntry.objects.filter(model="documents.document", object_id=str(doc.pk))
    assert entries.count() == 3 and any("incoming_number" in e.changes for e in entries)
    client.force_login(register.users["view"])  # reads, may not correct
    assert client.get(f"/documents/{doc.pk}/edit/").status_code == 403
    assert 'id="edit-link"' not in client.get(f"/documents/{doc.pk}/").content.decode()


def test_an_issued_number_does_not_change_when_the_entry_is_corrected(register):
    doc = services.document_issue(actor=None, unit=register.G, doc_type="KH", issued_on=datetime.date(2026, 1, 5),
                                  summary="Kế hoạch kiểm tra, giám sát năm 2026", correspondent="Các chi bộ trực thuộc")
    services.document_update(actor=None, doc=doc, summary="Kế hoạch kiểm tra, giám sát năm 2026 (sửa)",
                             correspondent="Các chi bộ trực thuộc", signer="Lê Văn Ba")
    doc.refresh_from_db()
    assert (doc.reference, doc.signer) == ("01-KH/ĐU", "Lê Văn Ba")
