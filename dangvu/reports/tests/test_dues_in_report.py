"""The shipped template's dues sentence (section 1, beside cell life): the sums collected and
the members behind, each checked against the dues rows counted here, at a commune and a cell;
a year with no dues book says nothing of dues."""

import datetime
import io

from django.db.models import Count, Sum
from docx import Document as read_docx

from dangvu.meetings import dues
from dangvu.meetings.models import DuesPayment
from dangvu.orgs.models import Member
from dangvu.reports import services
from dangvu.reports.document import report_docx

D = datetime.date


def section_one(unit, year: int) -> str:
    report = services.report_build(services.report_create(actor=None, unit=unit, start=D(year, 1, 1),
                                                          end=D(year, 12, 31)))
    text = "\n".join(p.text for p in read_docx(io.BytesIO(report_docx(report))).paragraphs)
    return text.split("1. Công tác tổ chức, đảng viên")[1].split("2. Học tập")[0]


def n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def direct(unit, year: int) -> tuple[int, int]:
    """The dues paid in the year under the unit, and its members in a cell keeping a book who
    paid fewer than the year's twelve months (the fixture's members belonged all year)."""
    rows = DuesPayment.objects.filter(unit__path__startswith=unit.path, paid_on__year=year)
    collected = rows.aggregate(s=Sum("amount"))["s"] or 0
    keeping = set(DuesPayment.objects.filter(month__year=year).values_list("unit_id", flat=True))
    months = dict(DuesPayment.objects.filter(month__year=year).values_list("member_id").annotate(n=Count("id")))
    behind = Member.objects.filter(unit__path__startswith=unit.path, unit_id__in=keeping).exclude(
        pk__in=[m for m, k in months.items() if k == 12]).count()
    return collected, behind


def test_the_dues_sentence_matches_the_rows_at_a_commune_and_a_cell(org):
    for month in range(1, 13):
        for member in (org.sec_member, org.other_member):
            dues.dues_pay(actor=None, member=member, months=[D(2025, month, 1)], paid_on=D(2025, month, 6))
        if month <= 6:
            dues.dues_pay(actor=None, member=org.mem_member, months=[D(2025, month, 1)], paid_on=D(2025, month, 6))
    collected, behind = direct(org.A, 2025)
    assert (collected, behind) == (30 * 5_000, 1)  # B keeps no book: its secretary is behind nothing here
    assert direct(org.G, 2025) == (collected, behind)
    cell = section_one(org.A, 2025)
    assert f"Chi bộ thu đảng phí được {n(collected)} đồng; {behind} đảng viên còn chậm nộp đảng phí." in cell
    commune = section_one(org.G, 2025)
    assert f"Các chi bộ thu đảng phí được {n(collected)} đồng; {behind} đảng viên còn chậm nộp đảng phí." in commune


def test_nobody_behind_drops_the_clause_and_a_year_without_a_dues_book_says_nothing_of_dues(org):
    for member in (org.sec_member, org.mem_member, org.other_member):
        dues.dues_pay(actor=None, member=member, months=[D(2024, m, 1) for m in range(1, 13)], paid_on=D(2024, 1, 8))
    collected, behind = direct(org.A, 2024)
    assert behind == 0
    text = section_one(org.A, 2024)
    assert f"Chi bộ thu đảng phí được {n(collected)} đồng." in text and "chậm nộp" not in text
    assert DuesPayment.objects.filter(paid_on__year=2023).count() == 0
    for unit in (org.A, org.G):
        assert "đảng phí" not in section_one(unit, 2023)
