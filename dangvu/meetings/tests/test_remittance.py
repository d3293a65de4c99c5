"""Dues handed to the committee above: the share kept, what is still to remit, a month or a
quarter at a time, never more than is due, shown on the cell's dues page and the committee's,
the measure against rows counted directly, the scope of the page."""

import datetime

from django.db.models import Sum
from django.test import override_settings

from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.meetings import dues, remittance
from dangvu.meetings.models import DuesPayment, DuesRemittance

D = datetime.date


def pay_year(org, year=2025):
    for member in (org.sec_member, org.mem_member, org.other_member, org.out_member):
        dues.dues_pay(actor=None, member=member, months=[D(year, m, 1) for m in range(1, 13)], paid_on=D(year, 1, 9))


def post(client, cell, **fields):
    body = {"first_month": "01/2025", "last_month": "03/2025", "amount": "31500", "remitted_on": "05/04/2025"}
    return client.post(f"/units/{cell.pk}/dues/", body | fields)


def test_the_secretary_remits_a_quarter_and_the_page_shows_what_is_kept_and_still_due(client, org):
    pay_year(org)
    client.force_login(org.users["sec"])
    answer = post(client, org.A, to_unit=org.G.pk)
    assert answer.status_code == 302
    collected = DuesPayment.objects.filter(unit=org.A, month__year=2025).aggregate(s=Sum("amount"))["s"]
    remitted = DuesRemittance.objects.filter(unit=org.A).aggregate(s=Sum("amount"))["s"]
    assert (collected, remitted) == (180_000, 31_500)
    kept = collected * 30 // 100  # the default share a cell keeps
    books = remittance.books_of([org.A.pk], 2025)[org.A.pk]
    assert (books.kept, books.to_remit, books.due) == (kept, collected - kept, collected - kept - remitted)
    page = client.get(f"/units/{org.A.pk}/dues/?year=2025").content.decode()
    assert 'data-due="94500"' in page and "54.000" in page and "126.000" in page and org.G.name in page
    with override_settings(DUES_CELL_KEEPS_PERCENT=50):
        assert remittance.books_of([org.A.pk], 2025)[org.A.pk].due == 90_000 - 31_500
    client.force_login(org.users["off"])
    commune = client.get(f"/units/{org.G.pk}/dues/?year=2025").content.decode()
    assert org.A.name in commune and org.B.name in commune and 'data-due="94500"' in commune
    assert 'id="remittance-form"' not in commune


def test_refusals_name_their_field(client, org):
    pay_year(org)
    client.force_login(org.users["sec"])
    cases = [({"to_unit": org.B.pk}, "to_unit"),  # a sibling is no committee above: not even offered
             ({"to_unit": org.G.pk, "last_month": "06/2025"}, "last_month"),  # more than a quarter
             ({"to_unit": org.G.pk, "last_month": "12/2024"}, "last_month"),
             ({"to_unit": org.G.pk, "amount": "126001"}, "amount"),  # more than the year's 70 %
             ({"to_unit": org.G.pk, "remitted_on": "31/12/2024"}, "remitted_on"),
             ({"to_unit": org.G.pk, "remitted_on": "01/01/2099"}, "remitted_on")]
    for fields, field in cases:
        answer = post(client, org.A, **fields)
        assert answer.status_code == 200 and field in answer.context["form"].errors, (fields, answer.context["form"].errors)
    assert DuesRemittance.objects.count() == 0
    assert post(client, org.A, to_unit=org.G.pk, amount="126000").status_code == 302
    again = post(client, org.A, to_unit=org.G.pk, amount="1", first_month="04/2025", last_month="04/2025")
    assert again.context["form"].errors["amount"] == ["Chỉ còn 0 đồng phải nộp cho năm 2025."]


def test_scope_of_the_dues_page(client, org):
    client.force_login(org.users["out"])
    assert client.get(f"/units/{org.A.pk}/dues/").status_code == 404
    assert post(client, org.A, to_unit=org.G.pk).status_code == 404
    client.force_login(org.users["view"])
    assert client.get(f"/units/{org.A.pk}/dues/").status_code == 200
    assert post(client, org.A, to_unit=org.G.pk).status_code == 403
    client.force_login(org.users["mem"])
    assert client.get(f"/units/{org.A.pk}/dues/").status_code == 404


def test_the_remitted_measure_matches_rows_counted_directly(org):
    pay_year(org)
    remittance.remittance_record(actor=None, unit=org.A, to_unit=org.G, first_month=D(2025, 1, 1),
                                 last_month=D(2025, 3, 1), amount=30_000, remitted_on=D(2025, 4, 2))
    remittance.remittance_record(actor=None, unit=org.B, to_unit=org.G, first_month=D(2025, 10, 1),
                                 last_month=D(2025, 12, 1), amount=10_000, remitted_on=D(2026, 1, 5))
    measure = measures.get("dues.remitted")
    for year in (2025, 2026):
        period = Period(D(year, 1, 1), D(year, 12, 31))
        values = measures.compute_all(org.P, period, [measure])["dues.remitted"]
        for unit in (org.A, org.B, org.G, org.P):
            direct = DuesRemittance.objects.filter(unit__path__startswith=unit.path,
                                                   remitted_on__year=year).aggregate(s=Sum("amount"))["s"] or 0
            assert measures.value_at(values, unit.path, measure).value == direct


def test_what_a_cell_remitted_stays_where_it_was_after_a_move_dated_later(org):
    """Cell A remitted to commune G in 2025, then moved to another commune on 1/3/2026: the
    2025 figure stays with G (where A stood), and the new commune's 2025 figure stays empty."""
    from dangvu.orgs import services as org_services
    from dangvu.orgs.models import UnitKind

    pay_year(org)
    remittance.remittance_record(actor=None, unit=org.A, to_unit=org.G, first_month=D(2025, 1, 1),
                                 last_month=D(2025, 3, 1), amount=30_000, remitted_on=D(2025, 4, 2))
    measure, y2025 = measures.get("dues.remitted"), Period(D(2025, 1, 1), D(2025, 12, 31))

    def at(unit):
        return measures.value_at(measures.compute_all(org.P, y2025, [measure])["dues.remitted"], unit.path,
                                 measure).value

    before = {u.code: at(u) for u in (org.A, org.G, org.P)}
    assert before == {"A": 30_000, "G": 30_000, "P": 30_000}
    other = org_services.unit_create(actor=None, parent=org.P, name="Đảng bộ xã Yên Phú", code="H",
                                     kind=UnitKind.GRASSROOTS, valid_from=D(2020, 1, 1))
    org_services.unit_move(actor=None, unit=org.A, parent=other, on_date=D(2026, 3, 1))
    org.A.refresh_from_db()
    org.G.refresh_from_db()
    assert {u.code: at(u) for u in (org.A, org.G, org.P)} == before
    assert at(other) == 0
