"""Evaluation figures: members and organisations rated, by level, and those not rated. A
rating counts in the period that holds its round's last day (rounds of the kinds counted:
by default the year's, quarters feed it), at the unit where the subject stood that day, with
the level in force (a re-rating replaces the first)."""

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from dangvu.evaluation.models import Level, Rating, Stage
from dangvu.lib.keys import EVALUATION_READ
from dangvu.lib.measures import Column, Measure, Query, Value, register, register_area
from dangvu.lib.periods import Period
from dangvu.lib.rollup import rollup
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.placements import placed

register_area("evaluation", _("Evaluation and rating"))

PEOPLE = _("people")
ORGANISATIONS = _("organisations")


def ratings_in(unit: OrgUnit, period: Period, members: bool):
    """Ratings of the counted rounds ending in the period, of subjects under `unit` as the tree
    stood on the round's last day, with that day's path as `at`."""
    rows = Rating.objects.filter(round__kind__in=settings.EVALUATION_COUNTED_KINDS, round__end__gte=period.start,
                                 round__end__lte=period.end, member__isnull=not members)
    return placed(rows, unit, "unit", "round__end")


def _selected(unit, period, members: bool, level: str | None, stage: str):
    rows = ratings_in(unit, period, members).filter(stage=stage)
    return rows.filter(level=level) if level else rows


def _counted(queryset, q: Query) -> dict[str, Value]:
    counts = queryset.values_list("at").annotate(n=Count("id")).order_by()
    return {path: Value(n) for path, n in rollup(counts, q).items()}


MEMBER_COLUMNS = [
    Column("member_id", _("member id"), lambda r: r.member_id),
    Column("full_name", _("Full name"), lambda r: r.member.full_name),
    Column("unit", _("Unit"), lambda r: r.unit.name),
    Column("round", _("evaluation round"), lambda r: r.round.title),
    Column("level", _("rating level"), lambda r: r.get_level_display() if r.stage == Stage.DECIDED else ""),
    Column("not_rated", _("not rated because"), lambda r: r.get_not_rated_display()),
    Column("decided_on", _("decided on"), lambda r: r.decided_on or ""),
]
UNIT_COLUMNS = [
    Column("unit_id", _("unit id"), lambda r: r.subject_unit_id),
    Column("name", _("Unit"), lambda r: r.subject_unit.name),
    Column("round", _("evaluation round"), lambda r: r.round.title),
    Column("level", _("rating level"), lambda r: r.get_level_display() if r.stage == Stage.DECIDED else ""),
    Column("decided_on", _("decided on"), lambda r: r.decided_on or ""),
]


def _measure(key: str, label, definition, *, members: bool, level: str | None = None,
             stage: str = Stage.DECIDED) -> None:
    def rows(unit, period):
        related = ("member", "unit", "round") if members else ("subject_unit", "round")
        return _selected(unit, period, members, level, stage).select_related(*related).order_by(
            "at", "member__sort_key" if members else "subject_unit__path", "id")

    register(Measure(
        key=key, label=label, definition=definition, unit=PEOPLE if members else ORGANISATIONS,
        area="evaluation", permission=EVALUATION_READ,
        compute=lambda q: _counted(_selected(q.unit, q.period, members, level, stage), q),
        rows=rows, columns=MEMBER_COLUMNS if members else UNIT_COLUMNS))


LEVEL_WORDS = {
    Level.EXCELLENT: (_("Members who completed their tasks excellently"),
                      _("Organisations that completed their tasks excellently")),
    Level.GOOD: (_("Members who completed their tasks well"), _("Organisations that completed their tasks well")),
    Level.DONE: (_("Members who completed their tasks"), _("Organisations that completed their tasks")),
    Level.NOT_DONE: (_("Members who did not complete their tasks"),
                     _("Organisations that did not complete their tasks")),
}

_measure("evaluation.members_rated", _("Members rated"),
         _("Members whose level was decided in the year's evaluation ending in the period, counted at the cell "
           "they were in on its last day."), members=True)
_measure("evaluation.units_rated", _("Organisations rated"),
         _("Party organisations whose level was decided in the year's evaluation ending in the period."),
         members=False)
for _level, (_member_label, _unit_label) in LEVEL_WORDS.items():
    _measure(f"evaluation.members_{_level}", _member_label,
             _("Members decided at this level (the level in force after any re-rating) in the year's evaluation "
               "ending in the period."), members=True, level=_level)
    _measure(f"evaluation.units_{_level}", _unit_label,
             _("Party organisations decided at this level in the year's evaluation ending in the period."),
             members=False, level=_level)
_measure("evaluation.members_not_rated", _("Members not rated"),
         _("Members listed as not rated in the year's evaluation ending in the period: exempted from Party work, "
           "suspended, or admitted less than 6 months before its last day."),
         members=True, stage=Stage.NOT_RATED)
