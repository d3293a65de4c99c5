"""The levels of Quy định 366-QĐ/TW as plain functions of the facts: the highest level the
rules allow a subject, with the rule that keeps it from the next one up, and the cap on
xuất sắc. No database here: services gather the facts, tests state them directly."""

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from dangvu.evaluation.models import LEVEL_RANK, Level, TaskResult


@dataclass(frozen=True)
class Facts:
    points: Decimal
    results: tuple[str, ...] = ()  # each task's TaskResult
    remedied: bool | None = None  # last period's shortcomings remedied (None: there were none)
    disciplined: bool = False  # reprimand or heavier, for a violation in carrying out duties, in the period
    degraded: bool = False  # a conclusion of degradation (suy thoái) in the period
    led_unit_done: Fraction | None = None  # a leader: the share of their unit's tasks done
    led_units_failed: Fraction | None = None  # a leader: the share of the units they lead rated không hoàn thành
    collective_disciplined: bool = False  # a collective: a unit under it or a member of its committee disciplined
    quarters: tuple[str, ...] = ()  # a year's rating: the levels decided for the year's quarters (Level values)


@dataclass(frozen=True)
class Allowed:
    level: str
    because: tuple[str, ...]  # the rules that keep it from the next level up (none at xuất sắc)


def _share(count: int, total: int) -> Fraction:
    return Fraction(count, total) if total else Fraction(0)


def _quarters_cap(quarters: tuple[str, ...]) -> tuple[str, str] | None:
    """The quarters feed the year (Hướng dẫn 43): the year's level cannot be above what they
    support. A quarter rated không hoàn thành keeps the year at hoàn thành at most; a quarter
    below tốt keeps it from xuất sắc. (the highest level, the rule naming it) or None."""
    if Level.NOT_DONE in quarters:
        return Level.DONE, _("rated “%(level)s” in a quarter of the year") % {"level": Level.NOT_DONE.label}
    if Level.DONE in quarters:
        return Level.GOOD, _("rated below “%(level)s” in a quarter of the year") % {"level": Level.GOOD.label}
    return None


def allowed_level(facts: Facts) -> Allowed:
    found = _by_the_year(facts)
    cap = _quarters_cap(facts.quarters)
    if cap is None:
        return found
    level, rule = cap
    if LEVEL_RANK[found.level] > LEVEL_RANK[level]:
        return Allowed(level, (rule,))
    if found.level == level:  # the same level: the quarter's rule also keeps it from the next one
        return Allowed(level, found.because + (rule,))
    return found


def _by_the_year(facts: Facts) -> Allowed:
    """The level the period's own facts allow (points, tasks, triggers)."""
    results = facts.results
    total = len(results)
    not_done = results.count(TaskResult.NOT_DONE)
    late = results.count(TaskResult.LATE)
    exceeded = results.count(TaskResult.EXCEEDED)
    points = facts.points

    triggers = []
    if facts.disciplined:
        triggers.append(_("disciplined (reprimand or heavier) in the period for a violation in carrying out duties"))
    if facts.degraded:
        triggers.append(_("concluded in the period to have degraded in political ideology, ethics or lifestyle"))
    if _share(not_done, total) > Fraction(1, 2):
        triggers.append(_("more than %(share)s of the tasks not done") % {"share": "50%"})
    if facts.led_unit_done is not None and facts.led_unit_done < Fraction(7, 10):
        triggers.append(_("the unit they lead completed less than %(share)s of its tasks") % {"share": "70%"})
    if facts.led_units_failed is not None and facts.led_units_failed > Fraction(1, 2):
        triggers.append(_("more than %(share)s of the units they lead were rated as not completing their tasks") % {
            "share": "50%"})
    if points < 50:
        triggers.append(_("fewer than 50 points"))
    if triggers:
        return Allowed(Level.NOT_DONE, tuple(triggers))

    if not_done:  # hoàn thành and above need every task done
        return Allowed(Level.NOT_DONE, (_("a task was not done"),))
    if points < 70:
        if _share(late, total) > Fraction(1, 5):
            return Allowed(Level.NOT_DONE, (_("more than %(share)s of the tasks done late") % {"share": "20%"},))
        return Allowed(Level.DONE, (_("fewer than 70 points"),))

    below_excellent = []
    if points < 90:
        below_excellent.append(_("fewer than 90 points"))
    if late:
        below_excellent.append(_("a task was done late"))
    if _share(exceeded, total) < Fraction(3, 10):
        below_excellent.append(_("fewer than %(share)s of the tasks exceeded") % {"share": "30%"})
    if facts.remedied is False:
        below_excellent.append(_("last period's shortcomings were not all remedied"))
    if facts.collective_disciplined:
        below_excellent.append(_("a unit under it or a member of its committee was disciplined in the period"))
    if below_excellent:
        return Allowed(Level.GOOD, tuple(below_excellent))
    return Allowed(Level.EXCELLENT, ())


def places_left(excellent: int, good: int, rate: float, base: str = "good_or_excellent") -> int:
    """How many more subjects of a peer group may be rated xuất sắc, when `excellent` already
    are and `good` are rated tốt: at most `rate` of the base, which is those rated tốt ("good")
    or those rated tốt and xuất sắc together ("good_or_excellent")."""
    share = Fraction(rate).limit_denominator(1000)
    if share >= 1:  # no cap at all
        return good + excellent + 10**9
    if base == "good":
        return max(0, math.floor(share * good) - excellent)
    # e + n ≤ share · (g + e + n)  ⇔  n ≤ (share · (g + e) − e) / (1 − share)
    return max(0, math.floor((share * (good + excellent) - excellent) / (1 - share)))
