"""Figures for campaigns, in the shapes the campaign pages and the API show, read from the
measure layer (dangvu/study/measures.py): participation and essays, per unit and rolled up the tree.

The campaign page, the unit page, the API, the exports and the year-end report all
call these; a test checks each figure against rows counted directly.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db.models import Q, QuerySet

from dangvu.lib.measures import Ask, Query, keep
from dangvu.lib.periods import Period
from dangvu.orgs.models import Member, OrgUnit
from dangvu.orgs.placements import paths_of_units
from dangvu.study.models import Attendance, AttendanceStatus, Campaign


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class EssayColumns:
    """The essay columns of a campaign's figures, the essays app's (essays/selectors.py,
    installed by its AppConfig.ready() through use_essay_columns: study imports nothing from
    essays). Without it a campaign's figures have no essays."""

    reasons: tuple[str, ...] = ()  # why an essay is returned: the keys of CampaignFigures.returned
    keys: dict = field(default_factory=dict)  # a column of CampaignFigures, or a reason → its measure
    # (campaigns, unit, {campaign id: its members eligible}) → {campaign id: {column: n, "returned": {reason: n}}}
    tally: Callable = lambda campaigns, unit, members: {}


_essays = EssayColumns()


def use_essay_columns(columns: EssayColumns | None) -> None:
    global _essays
    _essays = columns or EssayColumns()


@dataclass
class CampaignFigures:
    eligible: int = 0  # active members of the units taking part
    attended: int = 0  # of them, present at one session or more
    required: int = 0  # essays asked for
    submitted: int = 0  # essays handed in (any status)
    passed: int = 0
    awaiting: int = 0  # submitted or resubmitted, not yet reviewed
    returned_now: int = 0  # returned and not yet resubmitted
    returned: dict = field(default_factory=lambda: {r: 0 for r in _essays.reasons})  # ever returned, by reason

    @property
    def missing(self) -> int:
        return self.eligible - self.attended

    @property
    def attendance_rate(self) -> float | None:
        return _ratio(self.attended, self.eligible)

    @property
    def submitted_rate(self) -> float | None:
        return _ratio(self.submitted, self.required)

    @property
    def returned_total(self) -> int:
        return sum(self.returned.values())

    @property
    def not_submitted(self) -> int:
        return self.required - self.submitted


def _campaign_keys() -> dict[str, str]:
    """A column of CampaignFigures (or a reason an essay was returned for) → the measure counting it."""
    return {"eligible": "study.participants", **_essays.keys}


def _figures(values: dict) -> CampaignFigures:
    """CampaignFigures from each column's Value (None where nothing was counted)."""
    n = {name: int(value.value) if value else 0 for name, value in values.items()}
    participants = values["eligible"]
    columns = {name: n[name] for name in values if name != "eligible" and name not in _essays.reasons}
    return CampaignFigures(eligible=(participants.denominator or 0) if participants else 0,
                           attended=(participants.numerator or 0) if participants else 0,
                           returned={r: n[r] for r in _essays.reasons}, **columns)


def campaign_rollup(campaign: Campaign, root: OrgUnit | None = None, levels: int | None = None) -> dict[str, CampaignFigures]:
    """Figures of one campaign for every unit under `root` (the organiser when None), each
    including its subtree, from the measure layer: members eligible by their dates, each
    counted in the units they belonged to during the campaign. With `levels`, for the units
    down to that many levels below `root` only."""
    from dangvu.lib import measures

    root = root or campaign.unit
    keys = _campaign_keys()
    chosen = [measures.get(k) for k in keys.values()]
    table = measures.compute_all(root, Period(campaign.start, campaign.end), chosen, levels=levels,
                                 campaign=campaign.pk)
    return {path: _figures({name: table[key].get(path) for name, key in keys.items()})
            for path in {p for values in table.values() for p in values}}


def campaign_by_unit(campaign: Campaign, root: OrgUnit) -> tuple[CampaignFigures, list[tuple[OrgUnit, CampaignFigures]]]:
    """The figures of `root` and of each of its sub-units that takes part, as the campaign
    page, its Excel export and the API show them."""
    from dangvu.orgs.placements import children_during

    rollup = campaign_rollup(campaign, root, levels=1)
    children = [(c, rollup[c.path]) for c in children_during(root, campaign.start, campaign.end) if c.path in rollup]
    return rollup.get(root.path, CampaignFigures()), children


def campaign_list_figures(campaigns: list[Campaign], unit: OrgUnit) -> list[tuple[Campaign, CampaignFigures]]:
    """Each campaign's figures as the list page shows them (the unit's part, or the whole campaign
    when it is organised below the unit), in a fixed number of queries whatever the number of
    campaigns: the same rule as campaign_rollup, one pass over who took part where. Kept
    per unit and period (figures/store.py)."""
    if not campaigns:
        return []
    period = Period(min(c.start for c in campaigns), max(c.end for c in campaigns))
    ask = Ask("study.campaign_list", (unit.pk, *(c.pk for c in campaigns)),
              lambda: _campaign_list_figures(campaigns, unit),
              encode=lambda figures: [asdict(f) for f in figures],
              decode=lambda stored: [CampaignFigures(**f) for f in stored])
    (figures,), _stamp = keep(unit, period, [ask])
    return list(zip(campaigns, figures, strict=True))


def _campaign_list_figures(campaigns: list[Campaign], unit: OrgUnit) -> list[CampaignFigures]:
    from dangvu.study.measures import _attended, participation

    q = Query(unit, Period(min(c.start for c in campaigns), max(c.end for c in campaigns)))
    p = participation(q)
    attended = _attended(q)
    eligible_at: dict[int, dict[int, set]] = {}
    for path, c, m in p.pairs({c.pk for c in campaigns}):
        eligible_at.setdefault(c, {}).setdefault(m, set()).add(path)
    # the unit's part, or the whole campaign when it is organised below: by the paths they had
    roots = {c.pk: unit if unit.path.startswith(c.unit.path) else c.unit for c in campaigns}
    paths_of = paths_of_units({r.pk for r in roots.values()})
    members = {}
    for campaign in campaigns:
        root_paths = paths_of[roots[campaign.pk].pk]
        members[campaign.pk] = [m for m, paths in eligible_at.get(campaign.pk, {}).items()
                                if any(x.startswith(r) for x in paths for r in root_paths)]
    essays = _essays.tally(campaigns, unit, members)  # the essay columns, the essays app's
    return [CampaignFigures(eligible=len(members[c.pk]), attended=sum((c.pk, m) in attended for m in members[c.pk]),
                            **essays.get(c.pk, {}))
            for c in campaigns]


def campaign_figures(campaign: Campaign, unit: OrgUnit | None = None) -> CampaignFigures:
    """One unit's figures for a campaign (its subtree included)."""
    unit = unit or campaign.unit
    return campaign_rollup(campaign, unit, levels=0).get(unit.path, CampaignFigures())


def missing_members(campaign: Campaign, unit: OrgUnit) -> QuerySet:
    """Members of `unit`'s subtree taking part who attended no session."""
    from dangvu.study.participation import member_ids

    present = Attendance.objects.filter(session__campaign=campaign, status=AttendanceStatus.PRESENT)
    return (Member.objects.filter(pk__in=member_ids(campaign, unit))
            .exclude(pk__in=present.values("member_id")).select_related("unit").order_by("sort_key", "id"))


@dataclass
class SessionFigures:
    sessions: int
    online_sessions: int
    connection_points: int
    attendances: int  # "lượt": head counts at connection points, else members marked present


def session_figures(campaign: Campaign, unit: OrgUnit) -> SessionFigures:
    """A campaign's sessions as `unit` sees them: those it organised, reached with a connection
    point or attended, its points and its lượt (never the province's on a commune's page)."""
    from dangvu.lib import measures

    keys = ["study.sessions", "study.online_sessions", "study.points", "study.attendances"]
    chosen = [measures.get(k) for k in keys]
    table = measures.compute_all(unit, Period(campaign.start, campaign.end), chosen, levels=0, campaign=campaign.pk)
    n = [int(measures.value_at(table[m.key], unit.path, m).value) for m in chosen]
    return SessionFigures(sessions=n[0], online_sessions=n[1], connection_points=n[2], attendances=n[3])


def campaigns_for_unit(unit: OrgUnit) -> QuerySet:
    """Campaigns a unit sees: organised in its subtree, or reaching it from above, as the tree
    stood at any time (a cell moved to a new commune still sees its old commune's campaigns)."""
    from dangvu.orgs.placements import units_ever_around, units_ever_under

    return (Campaign.objects.filter(Q(unit__in=units_ever_under(unit)) | Q(units__in=units_ever_around(unit)))
            .distinct().select_related("unit"))


@dataclass
class ClassFigures:
    classes: int = 0
    enrolled: int = 0
    completed: int = 0


@dataclass
class YearSummary:
    """A unit's study year as the summary report counts it."""

    year: int
    campaigns: int
    sessions: SessionFigures
    figures: CampaignFigures
    awareness: ClassFigures  # classes on the Party for admission candidates
    new_members: ClassFigures  # political theory for new members


def year_summary(unit: OrgUnit, year: int) -> YearSummary:
    """The study year from the measure layer, in the shape the page and the API show."""
    from dangvu.lib import measures
    from dangvu.lib.periods import Period

    campaign_keys = _campaign_keys()
    keys = ["study.campaigns", "study.sessions", "study.online_sessions", "study.points", "study.attendances",
            *campaign_keys.values(), "training.candidate_classes",
            "training.candidates_enrolled", "training.candidates_completed", "training.new_member_classes",
            "training.new_members_enrolled", "training.new_members_completed"]
    chosen = [measures.get(k) for k in keys]
    table = measures.compute_all(unit, Period.year(year), chosen, levels=0)  # the unit's own figures
    v = {m.key: measures.value_at(table[m.key], unit.path, m) for m in chosen}
    n = {k: int(value.value) for k, value in v.items()}
    figures = _figures({name: v[key] for name, key in campaign_keys.items()})
    return YearSummary(
        year=year, campaigns=n["study.campaigns"],
        sessions=SessionFigures(sessions=n["study.sessions"], online_sessions=n["study.online_sessions"],
                                connection_points=n["study.points"], attendances=n["study.attendances"]),
        figures=figures,
        awareness=ClassFigures(n["training.candidate_classes"], n["training.candidates_enrolled"],
                               n["training.candidates_completed"]),
        new_members=ClassFigures(n["training.new_member_classes"], n["training.new_members_enrolled"],
                                 n["training.new_members_completed"]),
    )
