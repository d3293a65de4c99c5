"""Figures for campaigns: participation and essays, per unit and rolled up the tree.

The campaign page, the unit page, the API, the exports and the year-end report all
call these; a test checks each figure against rows counted directly.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from dangvu.orgs.models import Member, MemberSpan, OrgUnit, path_prefixes
from dangvu.study.models import (
    Attendance,
    AttendanceStatus,
    Campaign,
    Essay,
    EssayStatus,
    ReturnReason,
    SessionMode,
)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class CampaignFigures:
    eligible: int = 0  # active members of the units taking part
    attended: int = 0  # of them, present at one session or more
    required: int = 0  # essays asked for
    submitted: int = 0  # essays handed in (any status)
    passed: int = 0
    awaiting: int = 0  # submitted or resubmitted, not yet reviewed
    returned_now: int = 0  # returned and not yet resubmitted
    returned: dict = field(default_factory=lambda: {r: 0 for r in ReturnReason.values})  # ever returned, by reason

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

    def add(self, other: "CampaignFigures") -> None:
        for name in ("eligible", "attended", "required", "submitted", "passed", "awaiting", "returned_now"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for r, n in other.returned.items():
            self.returned[r] += n


def eligible_q(campaign: Campaign, prefix: str = "") -> Q:
    """Members of the units taking part (their subtrees included) at some time between the
    campaign's first and last day, from their dated history: someone admitted or moved in
    after it closed never becomes eligible. `prefix` reaches the member through a relation
    ("member__")."""
    where = Q()
    for path in campaign.units.values_list("path", flat=True):
        where |= Q(unit__path__startswith=path)
    if not where:
        return Q(pk__in=[])
    during = MemberSpan.objects.filter(where, start__lte=campaign.end).exclude(end__lte=campaign.start)
    return Q(**{f"{prefix}pk__in" if prefix == "" else f"{prefix}id__in": during.values("member_id")})


def campaign_rollup(campaign: Campaign, root: OrgUnit | None = None) -> dict[str, CampaignFigures]:
    """Figures for every unit under `root` (the campaign's organiser when None), each
    including its subtree. Keyed by unit path. Three GROUP BY queries by unit, whatever
    the tree, then each unit's own figures are added to its ancestors'."""
    root = root or campaign.unit
    inside = Q(member__unit__path__startswith=root.path) & eligible_q(campaign, "member__")
    direct: dict[str, CampaignFigures] = defaultdict(CampaignFigures)
    members = Member.objects.filter(eligible_q(campaign), unit__path__startswith=root.path)
    for path, n in members.values_list("unit__path").annotate(n=Count("id")).order_by():
        direct[path].eligible = n
        direct[path].required = n if campaign.essay_required else 0
    present = (Attendance.objects.filter(inside, session__campaign=campaign, status=AttendanceStatus.PRESENT)
               .values_list("member__unit__path").annotate(n=Count("member_id", distinct=True)).order_by())
    for path, n in present:
        direct[path].attended = n
    essays = (Essay.objects.filter(inside, campaign=campaign)
              .values_list("member__unit__path", "status", "was_returned", "return_reason")
              .annotate(n=Count("id")).order_by())
    for path, status, was_returned, reason, n in essays:
        _fill_essays(direct[path], status, was_returned, reason, n)

    out: dict[str, CampaignFigures] = {}
    for path, figures in direct.items():
        for prefix in path_prefixes(path, len(root.path)):
            total = out.get(prefix)
            if total is None:
                total = out[prefix] = CampaignFigures()
            total.add(figures)
    return out


def campaign_by_unit(campaign: Campaign, root: OrgUnit) -> tuple[CampaignFigures, list[tuple[OrgUnit, CampaignFigures]]]:
    """The figures of `root` and of each of its sub-units that takes part, as the campaign
    page, its Excel export and the API show them."""
    rollup = campaign_rollup(campaign, root)
    children = [(c, rollup[c.path]) for c in OrgUnit.objects.get_children(root).order_by("path") if c.path in rollup]
    return rollup.get(root.path, CampaignFigures()), children


def _fill_essays(f: CampaignFigures, status: str, was_returned: bool, reason: str, n: int) -> None:
    f.submitted += n
    if status == EssayStatus.PASSED:
        f.passed += n
    elif status == EssayStatus.RETURNED:
        f.returned_now += n
    else:
        f.awaiting += n
    if was_returned and reason:
        f.returned[reason] += n


def campaign_figures(campaign: Campaign, unit: OrgUnit | None = None) -> CampaignFigures:
    """One unit's figures (its subtree included): the same numbers as campaign_rollup gives
    for that unit, with plain counts instead of a roll-up over every unit below."""
    unit = unit or campaign.unit
    f = CampaignFigures()
    inside = Q(member__unit__path__startswith=unit.path) & eligible_q(campaign, "member__")
    f.eligible = Member.objects.filter(eligible_q(campaign), unit__path__startswith=unit.path).count()
    f.required = f.eligible if campaign.essay_required else 0
    f.attended = (Attendance.objects.filter(inside, session__campaign=campaign, status=AttendanceStatus.PRESENT)
                  .values("member_id").distinct().count())
    essays = (Essay.objects.filter(inside, campaign=campaign)
              .values_list("status", "was_returned", "return_reason").annotate(n=Count("id")).order_by())
    for status, was_returned, reason, n in essays:
        _fill_essays(f, status, was_returned, reason, n)
    return f


def missing_members(campaign: Campaign, unit: OrgUnit) -> QuerySet:
    """Members of `unit`'s subtree taking part who attended no session."""
    present = Attendance.objects.filter(session__campaign=campaign, status=AttendanceStatus.PRESENT)
    return (Member.objects.filter(eligible_q(campaign), unit__path__startswith=unit.path)
            .exclude(pk__in=present.values("member_id")).select_related("unit").order_by("sort_key", "id"))


@dataclass
class SessionFigures:
    sessions: int
    online_sessions: int
    connection_points: int
    attendances: int  # "lượt": head counts at connection points, else members marked present


def session_figures(campaigns: QuerySet) -> SessionFigures:
    """How the seed reports count conferences: “08 hội nghị trực tuyến đến 13 điểm cầu cho
    trên 9.000 lượt cán bộ, đảng viên”."""
    from dangvu.study.models import StudySession

    sessions = list(StudySession.objects.filter(campaign__in=campaigns)
                    .annotate(heads=Sum("points__head_count"), points_count=Count("points")))
    without_heads = [s.pk for s in sessions if not s.heads]
    present = Attendance.objects.filter(session_id__in=without_heads, status=AttendanceStatus.PRESENT).count()
    return SessionFigures(
        sessions=len(sessions),
        online_sessions=sum(s.mode == SessionMode.ONLINE for s in sessions),
        connection_points=sum(s.points_count for s in sessions),
        attendances=sum(s.heads or 0 for s in sessions) + present,
    )


def campaigns_for_unit(unit: OrgUnit) -> QuerySet:
    """Campaigns a unit sees: organised in its subtree, or reaching it from above."""
    return (Campaign.objects.filter(Q(unit__path__startswith=unit.path) | Q(units__path__in=path_prefixes(unit.path))
                                    | Q(units__path__startswith=unit.path))
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

    keys = ["study.campaigns", "study.sessions", "study.online_sessions", "study.points", "study.attendances",
            "study.participants", "study.essays_required", "study.essays_submitted", "study.essays_passed",
            "study.essays_awaiting", "study.essays_returned_now", "study.essays_returned_thin",
            "study.essays_returned_copied", "study.essays_returned_other", "training.candidate_classes",
            "training.candidates_enrolled", "training.candidates_completed", "training.new_member_classes",
            "training.new_members_enrolled", "training.new_members_completed"]
    chosen = [measures.get(k) for k in keys]
    table = measures.compute_all(unit, Period.year(year), chosen)
    v = {m.key: measures.value_at(table[m.key], unit.path, m) for m in chosen}
    n = {k: int(value.value) for k, value in v.items()}
    figures = CampaignFigures(
        eligible=v["study.participants"].denominator or 0, attended=v["study.participants"].numerator or 0,
        required=n["study.essays_required"], submitted=n["study.essays_submitted"], passed=n["study.essays_passed"],
        awaiting=n["study.essays_awaiting"], returned_now=n["study.essays_returned_now"],
        returned={ReturnReason.THIN: n["study.essays_returned_thin"], ReturnReason.COPIED: n["study.essays_returned_copied"],
                  ReturnReason.OTHER: n["study.essays_returned_other"]})
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
