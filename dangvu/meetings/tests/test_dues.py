"""Party dues: the month's amount from the basis and the rate in force, payments one per month
(several in advance), arrears over a year boundary, the alerts and the two figures against
sums counted directly."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.meetings import dues
from dangvu.meetings.alerts import absence_alerts
from dangvu.meetings.models import DuesCategory, DuesPayment, DuesRate

D = datetime.date


def test_the_months_amount_follows_the_basis_and_the_rate_in_force(org):
    dues.basis_set(actor=None, member=org.mem_member, category=DuesCategory.SALARY, base=10_000_000,
                   valid_from=D(2025, 1, 1))
    assert dues.monthly_amount(org.mem_member, D(2026, 3, 1)) == 100_000  # 1 % of salary
    assert dues.monthly_amount(org.other_member, D(2026, 3, 1)) == 5_000  # no basis: the fixed amount
    DuesRate.objects.create(category=DuesCategory.SALARY, percent="0.80", valid_from=D(2026, 7, 1))
    assert dues.monthly_amount(org.mem_member, D(2026, 6, 1)) == 100_000
    assert dues.monthly_amount(org.mem_member, D(2026, 7, 1)) == 80_000
    with pytest.raises(ValidationError):
        dues.basis_set(actor=None, member=org.mem_member, category=DuesCategory.SALARY, base=0,
                       valid_from=D(2026, 1, 1))


def test_paying_in_advance_once_per_month_and_arrears_over_a_year_boundary(org):
    dues.dues_pay(actor=None, member=org.mem_member, months=[D(2025, 11, 1)], paid_on=D(2025, 11, 5))
    dues.dues_pay(actor=None, member=org.mem_member, months=[D(2026, 2, 1), D(2026, 3, 1)], paid_on=D(2026, 2, 5))
    with pytest.raises(ValidationError) as exc:
        dues.dues_pay(actor=None, member=org.mem_member, months=[D(2026, 3, 1)], paid_on=D(2026, 3, 2))
    assert "months" in exc.value.message_dict
    assert DuesPayment.objects.filter(member=org.mem_member).count() == 3
    owed = dues.months_owed([org.mem_member.pk], D(2025, 11, 1), D(2026, 3, 31))
    assert owed == {org.mem_member.pk: [12, 1]}  # December and January, across the new year


def test_three_months_unpaid_raise_an_alert_in_a_cell_that_keeps_its_dues_here(client, org):
    for month in range(1, 12):
        dues.dues_pay(actor=None, member=org.sec_member, months=[D(2026, month, 1)], paid_on=D(2026, month, 5))
        if month not in (4, 7, 8):
            dues.dues_pay(actor=None, member=org.mem_member, months=[D(2026, month, 1)], paid_on=D(2026, month, 5))
        if month < 10:
            dues.dues_pay(actor=None, member=org.other_member, months=[D(2026, month, 1)], paid_on=D(2026, month, 5))
    alerts = {a.member_id: a.months_unpaid for a in absence_alerts(org.G, 2026)}
    assert alerts == {org.mem_member.pk: [4, 7, 8]}  # other owes only October and November; B keeps no book
    client.force_login(org.users["sec"])
    items = client.get(f"/api/units/{org.A.pk}/absence-alerts?year=2026").json()["items"]
    assert [(i["member_id"], i["months_absent"], i["months_unpaid"]) for i in items] == [(org.mem_member.pk, 0, 3)]


def test_the_dues_figures_match_sums_counted_directly_at_cell_commune_and_province(org):
    for member in (org.mem_member, org.out_member):
        dues.dues_pay(actor=None, member=member, months=[D(2026, 1, 1), D(2026, 2, 1)], paid_on=D(2026, 1, 9))
    dues.dues_pay(actor=None, member=org.sec_member, months=[D(2025, 12, 1)], paid_on=D(2025, 12, 9))
    year, last = Period(D(2026, 1, 1), D(2026, 12, 31)), Period(D(2025, 1, 1), D(2025, 12, 31))

    def value(unit, period, key):
        measure = measures.get(key)
        return measures.value_at(measures.compute_all(org.P, period, [measure])[key], unit.path, measure).value

    for period in (year, last):
        for unit in (org.A, org.B, org.G, org.P):
            direct = DuesPayment.objects.filter(unit__path__startswith=unit.path, paid_on__gte=period.start,
                                                paid_on__lte=period.end).aggregate(s=Sum("amount"))["s"] or 0
            assert value(unit, period, "dues.collected") == direct
    assert value(org.G, year, "dues.collected") == 4 * 5_000
    # this year A and B keep their book here, and everyone in them owes a month of March to
    # November; last year only A kept it (the secretary paid December alone): its three owe
    assert value(org.A, year, "dues.members_in_arrears") == 3 and value(org.B, year, "dues.members_in_arrears") == 1
    assert value(org.G, last, "dues.members_in_arrears") == 3 and value(org.B, last, "dues.members_in_arrears") == 0


def test_the_collection_sheet_on_the_meeting_page_and_the_members_own_dues(client, org):
    from dangvu.meetings import services

    meeting = services.meeting_schedule(actor=None, unit=org.A, kind="regular", date=D(2026, 10, 8),
                                        start=datetime.time(19, 30), end=datetime.time(21, 0), place="Nhà văn hóa")
    client.force_login(org.users["sec"])
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'id="dues-form"' in page and "5.000" in page
    client.post(f"/meetings/{meeting.pk}/", {"form": "dues", f"paid-{org.mem_member.pk}": "1",
                                             f"paid-{org.other_member.pk}": "1"})
    assert sorted(DuesPayment.objects.filter(month=D(2026, 10, 1)).values_list("member_id", flat=True)) == sorted(
        [org.mem_member.pk, org.other_member.pk])
    client.post(f"/meetings/{meeting.pk}/", {"form": "dues", f"paid-{org.mem_member.pk}": "1"})  # no double
    assert DuesPayment.objects.filter(member=org.mem_member).count() == 1
    client.force_login(org.users["mem"])
    mine = client.get("/so-tay/meetings/").content.decode()
    assert 'id="my-dues"' in mine and "10/2026" in mine and 'id="dues-owed"' in mine


def test_a_payment_counts_at_the_cell_the_member_paid_in_even_when_entered_after_a_transfer(org):
    from dangvu.orgs import services as org_services

    org_services.member_transfer(actor=None, member=org.mem_member, to_unit=org.B, on_date=D(2026, 6, 1))
    member = org.mem_member
    dues.dues_pay(actor=None, member=member, months=[D(2026, 5, 1)], paid_on=D(2026, 5, 10))  # entered late
    dues.dues_pay(actor=None, member=member, months=[D(2026, 6, 1)], paid_on=D(2026, 6, 3))
    assert dict(DuesPayment.objects.filter(member=member).values_list("month", "unit_id")) == {
        D(2026, 5, 1): org.A.pk, D(2026, 6, 1): org.B.pk}
    may = Period(D(2026, 5, 1), D(2026, 5, 31))
    for unit, amount in ((org.A, 5_000), (org.B, 0), (org.G, 5_000)):
        direct = DuesPayment.objects.filter(unit__path__startswith=unit.path, paid_on__gte=may.start,
                                            paid_on__lte=may.end).aggregate(s=Sum("amount"))["s"] or 0
        assert direct == amount
        assert measures.compute_all(unit, may, [measures.get("dues.collected")])["dues.collected"].get(
            unit.path, measures.Value(0)).value == amount
    with pytest.raises(ValidationError) as exc:  # before the member was admitted (08/07/2010)
        dues.dues_pay(actor=None, member=member, months=[D(2009, 1, 1)], paid_on=D(2009, 1, 5))
    assert exc.value.message_dict == {"paid_on": ["Đồng chí Lê Văn Cường không sinh hoạt ở chi bộ nào vào ngày 05/01/2009."]}
    assert DuesPayment.objects.filter(member=member).count() == 2
