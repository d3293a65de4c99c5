"""Documents issued by type: each type's figure equals the register's rows counted directly,
at the commune and the province, this year and last."""

import datetime

from dangvu.documents import services
from dangvu.documents.models import Document
from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.orgs import services as org_services

D = datetime.date


def test_documents_issued_by_type(org):
    org.G = org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G, name="2020-2025", congress_closed_on=D(2020, 8, 1))
    for doc_type, day in (("NQ", D(2025, 6, 1)), ("NQ", D(2026, 2, 1)), ("NQ", D(2026, 5, 1)), ("KH", D(2026, 3, 1)),
                          ("QĐ", D(2026, 4, 1))):  # each series in date order, as numbers are given
        services.document_issue(actor=None, unit=org.G, doc_type=doc_type, issued_on=day, summary="Văn bản thử")
    for unit in (org.G, org.P):
        for year in (2025, 2026):
            period = Period.year(year)
            table = measures.compute_all(unit, period)
            for key, doc_type in (("documents.issued_nq", "NQ"), ("documents.issued_kh", "KH"),
                                  ("documents.issued_qd", "QĐ"), ("documents.issued_bc", "BC")):
                direct = Document.objects.filter(direction="issued", doc_type=doc_type, issued_on__year=year,
                                                 unit__path__startswith=unit.path).count()
                m = measures.get(key)
                assert measures.value_at(table[key], unit.path, m).value == direct, (key, unit.code, year)
                assert m.rows(unit, period).count() == direct
    assert measures.value_at(measures.compute_all(org.G, Period.year(2026))["documents.issued_nq"], org.G.path,
                             measures.get("documents.issued_nq")).value == 2
