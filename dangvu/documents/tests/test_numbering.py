import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from dangvu.documents import services
from dangvu.documents.models import Document
from dangvu.orgs import services as org_services


@pytest.fixture
def committee(org):
    org.G = org_services.unit_update(actor=None, unit=org.G, symbol="ĐUK")
    org_services.term_create(actor=None, unit=org.G, name="2020-2025", congress_closed_on=datetime.date(2020, 8, 10))
    org_services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 20))
    return org.G


def issue(unit, doc_type, day, **kw):
    return services.document_issue(actor=None, unit=unit, doc_type=doc_type, issued_on=day, summary="Về việc thử", **kw)


def test_numbers_run_per_type_and_restart_each_term(committee):
    old = [issue(committee, "NQ", datetime.date(2025, 3, 1)) for _ in range(3)]
    assert [d.number for d in old] == [1, 2, 3]
    # The congress closed on 20/8/2025: the new term starts on the 21st and counts from 01 again.
    assert issue(committee, "NQ", datetime.date(2025, 8, 20)).number == 4
    first, second = issue(committee, "NQ", datetime.date(2025, 8, 21)), issue(committee, "NQ", datetime.date(2025, 9, 1))
    assert (first.number, second.number) == (1, 2)
    assert issue(committee, "KH", datetime.date(2025, 9, 2)).number == 1  # each type its own series
    assert second.reference == "02-NQ/ĐUK"


def test_congress_documents_share_one_series(committee):
    day = datetime.date(2025, 9, 1)
    issue(committee, "NQ", day)
    congress = [issue(committee, t, day, congress=True) for t in ("BC", "NQ", "QĐ")]
    assert [d.number for d in congress] == [1, 2, 3]
    assert congress[1].reference == "02-NQ/ĐH"
    assert issue(committee, "NQ", day).number == 2  # the ordinary series is untouched


def test_issuing_without_a_term_or_symbol_is_refused_in_vietnamese(org):
    with pytest.raises(ValidationError) as exc:
        issue(org.G, "NQ", datetime.date(2025, 9, 1))
    assert "ký hiệu" in str(exc.value) or "symbol" in str(exc.value)
    org.G = org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    with pytest.raises(ValidationError) as exc:
        issue(org.G, "NQ", datetime.date(2025, 9, 1))
    assert exc.value.message_dict["issued_on"]
    assert Document.objects.count() == 0


def test_received_document_keeps_its_own_number_and_is_searchable(committee):
    doc = services.document_receive(actor=None, unit=committee, doc_type="NQ", number=57, issuer_symbol="TW",
                                    issued_on=datetime.date(2024, 12, 22),
                                    summary="Nghị quyết về đột phá phát triển khoa học, công nghệ")
    assert doc.reference == "57-NQ/TW"
    from dangvu.documents.selectors import document_search

    assert list(document_search(Document.objects.all(), "dot pha khoa hoc")) == [doc]
    assert list(document_search(Document.objects.all(), "57-nq")) == [doc]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs this on it")
def test_concurrent_clerks_never_get_the_same_number(committee):
    clerks, each = 8, 5
    barrier = threading.Barrier(clerks)
    numbers, errors = [], []

    def clerk():
        try:
            barrier.wait()
            for _ in range(each):
                numbers.append(issue(committee, "CV", datetime.date(2025, 10, 1)).number)
        except Exception as exc:  # reported below; a thread's exception would be lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _ in range(clerks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, clerks * each + 1))
    assert Document.objects.filter(doc_type="CV").count() == clerks * each


def test_the_same_form_sent_twice_registers_one_document(client, org, committee):
    client.force_login(org.users["off"])
    form = {"direction": "issued", "doc_type": "TB", "issued_on": "2025-10-02", "summary": "Thông báo kết luận",
            "once": "a1b2c3"}
    first = client.post(f"/units/{committee.pk}/documents/new/", form)
    again = client.post(f"/units/{committee.pk}/documents/new/", form)  # a double click or a browser retry
    assert first["Location"] == again["Location"]
    assert list(Document.objects.values_list("number", flat=True)) == [1]
    client.post(f"/units/{committee.pk}/documents/new/", form | {"once": "other"})
    assert Document.objects.count() == 2


def test_a_rolled_back_allocation_leaves_no_file_and_no_number_used(committee, settings, tmp_path):
    """A number already taken by a document entered before the counter (legacy data) makes
    the insert fail: the stored file is removed and the counter is where it was."""
    from dangvu.documents.models import NumberCounter

    settings.MEDIA_ROOT = str(tmp_path)
    term = services.term_on(committee, datetime.date(2026, 1, 5))
    Document.objects.create(unit=committee, direction="issued", doc_type="TB", number=1, issuer_symbol="ĐUK",
                            term=term, issued_on=datetime.date(2026, 1, 2), summary="Nhập tay từ sổ cũ")
    with pytest.raises(ValidationError) as exc:
        issue(committee, "TB", datetime.date(2026, 1, 5), file_name="tb.txt", data="Thông báo.".encode())
    assert "01-TB/ĐUK" in str(exc.value)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    assert not NumberCounter.objects.filter(unit=committee, series="TB").exclude(last=0).exists()
    assert Document.objects.filter(doc_type="TB").count() == 1
