"""Periods a figure is counted over: a year, a quarter, any span of days; and the one before."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

# The years a figure can be about: from the Party's founding; past 2100 is a typing slip.
FIRST_YEAR, LAST_YEAR = 1930, 2100


def possible_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def year_asked(text: str | None, default: int) -> tuple[int, str]:
    """The year a page was asked for (?year=…), else `default`; with a message naming what was
    asked when it cannot be a year (every page that takes ?year= reads it here)."""
    if not text:
        return default, ""
    try:
        year = int(text)
    except ValueError:
        year = None
    if year is None or not possible_year(year):
        return default, _("The year %(year)s is not possible; showing %(shown)s.") % {"year": text[:12], "shown": default}
    return year, ""


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included. Figures "as of" a day use `end`."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first = datetime.date(year, 3 * quarter - 2, 1)
        last = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - datetime.timedelta(days=1)
        return cls(first, last)

    @property
    def whole_years(self) -> bool:
        """From a 1 January to a 31 December."""
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)

    def previous(self) -> "Period":
        """The period of the same length just before (the year before, for a whole year)."""
        if self.whole_years:
            return Period(self.start.replace(year=self.start.year - 1), self.end.replace(year=self.end.year - 1))
        length = self.end - self.start
        end = self.start - datetime.timedelta(days=1)
        return Period(end - length, end)

    @property
    def label(self) -> str:
        if self.whole_years and self.start.year == self.end.year:
            return _("year %(year)s") % {"year": self.start.year}
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def overlaps(self, start: datetime.date, end: datetime.date) -> bool:
        return start <= self.end and end >= self.start
