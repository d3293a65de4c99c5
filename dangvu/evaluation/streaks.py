"""Consecutive years rated xuất sắc (“5 năm liền hoàn thành xuất sắc nhiệm vụ”), which
commendations ask for: counted back from a year over the decided ratings of the year's rounds."""

from django.db.models import Q

from dangvu.evaluation.models import Level, Rating, Round, Stage


def excellent_years(ratings_q: Q) -> dict[tuple, set[int]]:
    """{(member id, unit id): {years rated xuất sắc}} for the subjects matching `ratings_q`."""
    found: dict[tuple, set[int]] = {}
    rows = (Rating.objects.filter(ratings_q, round__kind=Round.Kind.YEAR, stage=Stage.DECIDED,
                                  level=Level.EXCELLENT)
            .values_list("member_id", "subject_unit_id", "round__end__year"))
    for member_id, unit_id, year in rows:
        found.setdefault((member_id, unit_id), set()).add(year)
    return found


def run_back(years: set[int], through: int) -> int:
    """How many years in a row, ending with `through`, are in `years`."""
    n = 0
    while through - n in years:
        n += 1
    return n


def streak_of(rating: Rating) -> int:
    """The years in a row up to this rating's year in which its subject was rated xuất sắc."""
    q = Q(member_id=rating.member_id) if rating.member_id else Q(subject_unit_id=rating.subject_unit_id)
    years = excellent_years(q).get((rating.member_id, rating.subject_unit_id), set())
    return run_back(years, rating.round.end.year)
