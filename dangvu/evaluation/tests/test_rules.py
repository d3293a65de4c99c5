"""The levels of Quy định 366-QĐ/TW and the cap, each rule with the smallest case that breaks it."""

from decimal import Decimal
from fractions import Fraction

import pytest

from dangvu.evaluation.models import Level
from dangvu.evaluation.rules import Facts, allowed_level, places_left

E, T, L, N = "exceeded", "on_time", "late", "not_done"


def level(points, results=(E, E, E, T), **facts) -> str:
    return allowed_level(Facts(points=Decimal(points), results=tuple(results), **facts)).level


@pytest.mark.parametrize("points,expected", [
    (100, Level.EXCELLENT), (90, Level.EXCELLENT), ("89.9", Level.GOOD), (70, Level.GOOD),
    ("69.9", Level.DONE), (50, Level.DONE), ("49.9", Level.NOT_DONE), (0, Level.NOT_DONE)])
def test_bands_of_points(points, expected):
    assert level(points) == expected


def test_excellent_needs_every_task_on_time():
    assert level(95, (E, E, E, T, L)) == Level.GOOD
    because = allowed_level(Facts(points=Decimal(95), results=(E, E, E, T, L))).because
    assert because == ("có nhiệm vụ hoàn thành chậm tiến độ",)


def test_excellent_needs_30_percent_of_tasks_exceeded():
    assert level(95, (E, E, E, T, T, T, T, T, T, T)) == Level.EXCELLENT  # 3/10 = 30 %
    assert level(95, (E, E, T, T, T, T, T, T, T, T)) == Level.GOOD  # 2/10
    assert level(95, ()) == Level.GOOD  # no task exceeded: no share at all


def test_excellent_needs_last_periods_shortcomings_remedied():
    assert level(95, remedied=None) == Level.EXCELLENT  # none were named
    assert level(95, remedied=True) == Level.EXCELLENT
    assert level(95, remedied=False) == Level.GOOD


def test_good_and_done_need_every_task_done():
    assert level(80, (T, T, T, N)) == Level.NOT_DONE
    assert level(60, (T, T, T, N)) == Level.NOT_DONE


def test_done_allows_at_most_20_percent_late():
    assert level(60, (L, T, T, T, T)) == Level.DONE  # 1/5 = 20 %
    assert level(60, (L, L, T, T, T)) == Level.NOT_DONE  # 2/5
    assert level(80, (L, L, T, T, T)) == Level.GOOD  # the 20 % is hoàn thành's rule; tốt asks every task done


@pytest.mark.parametrize("facts", [
    {"disciplined": True}, {"degraded": True},
    {"led_unit_done": Fraction(69, 100)}, {"led_units_failed": Fraction(2, 3)}])
def test_each_trigger_makes_not_done_whatever_the_points(facts):
    assert level(100, **facts) == Level.NOT_DONE


def test_the_leaders_thresholds_are_70_and_50_percent():
    assert level(100, led_unit_done=Fraction(7, 10)) == Level.EXCELLENT
    assert level(100, led_units_failed=Fraction(1, 2)) == Level.EXCELLENT


def test_more_than_half_the_tasks_not_done_is_a_trigger():
    because = allowed_level(Facts(points=Decimal(100), results=(N, N, T))).because
    assert "trên 50% nhiệm vụ không hoàn thành" in because


def test_a_collective_with_a_discipline_below_is_at_most_good():
    assert level(95, collective_disciplined=True) == Level.GOOD
    assert level(80, collective_disciplined=True) == Level.GOOD


@pytest.mark.parametrize("excellent,good,rate,base,left", [
    (0, 10, 0.2, "good", 2), (2, 10, 0.2, "good", 0), (0, 4, 0.2, "good", 0), (0, 5, 0.2, "good", 1),
    (0, 20, 0.25, "good", 5),
    # base: those rated tốt and xuất sắc together: e + n ≤ 20 % of (g + e + n)
    (0, 10, 0.2, "good_or_excellent", 2), (2, 10, 0.2, "good_or_excellent", 0), (0, 8, 0.2, "good_or_excellent", 2),
    (0, 7, 0.2, "good_or_excellent", 1), (1, 4, 0.2, "good_or_excellent", 0),
    (0, 15, 0.25, "good_or_excellent", 5)])
def test_places_left_under_the_cap(excellent, good, rate, base, left):
    assert places_left(excellent, good, rate, base) == left
    # giving them all keeps within the cap, one more would not
    base_after = good + (excellent + left if base == "good_or_excellent" else 0)
    assert excellent + left <= Fraction(rate).limit_denominator(1000) * base_after
    base_more = good + (excellent + left + 1 if base == "good_or_excellent" else 0)
    assert excellent + left + 1 > Fraction(rate).limit_denominator(1000) * base_more


def test_a_quarter_rated_not_done_keeps_the_year_at_done_naming_the_rule():
    found = allowed_level(Facts(points=Decimal(95), results=(E, E, E, T), quarters=(Level.GOOD, Level.NOT_DONE)))
    assert found.level == Level.DONE
    assert len(found.because) == 1 and str(Level.NOT_DONE.label) in found.because[0]
    assert level(60, quarters=(Level.NOT_DONE,)) == Level.DONE  # already at hoàn thành: unchanged
    assert level(40, quarters=(Level.NOT_DONE,)) == Level.NOT_DONE  # the year's own facts still count


def test_excellent_for_the_year_needs_no_quarter_below_good():
    assert level(95, quarters=(Level.EXCELLENT, Level.GOOD, Level.GOOD, Level.EXCELLENT)) == Level.EXCELLENT
    found = allowed_level(Facts(points=Decimal(95), results=(E, E, E, T), quarters=(Level.GOOD, Level.DONE)))
    assert found.level == Level.GOOD
    assert len(found.because) == 1 and str(Level.GOOD.label) in found.because[0]
    both = allowed_level(Facts(points=Decimal(85), results=(E, E, E, T), quarters=(Level.DONE,)))
    assert both.level == Level.GOOD and len(both.because) == 2  # fewer than 90 points, and the quarter
    assert level(95, quarters=()) == Level.EXCELLENT  # no quarterly rounds: the year alone
