"""The date line of a Party document as 36-HD/VPTW writes it."""

import datetime

import pytest

from dangvu.lib.partydoc import date_line


@pytest.mark.parametrize(("day", "written"), [
    (datetime.date(2026, 2, 5), "Tuyên Quang, ngày 05 tháng 02 năm 2026"),
    (datetime.date(2026, 1, 31), "Tuyên Quang, ngày 31 tháng 01 năm 2026"),
    (datetime.date(2026, 3, 10), "Tuyên Quang, ngày 10 tháng 3 năm 2026"),
    (datetime.date(2026, 12, 5), "Tuyên Quang, ngày 05 tháng 12 năm 2026"),
    (datetime.date(2026, 9, 9), "Tuyên Quang, ngày 09 tháng 9 năm 2026"),
])
def test_a_leading_zero_for_days_below_ten_and_for_january_and_february_only(day, written):
    assert date_line("Tuyên Quang", day) == written
