"""The facts the rules read about one rating, gathered from the record: its points and tasks,
disciplines and conclusions of degradation in the period, last period's shortcomings, and for a
leader the results of the unit they lead."""

from fractions import Fraction

from django.db.models import Q

from dangvu.evaluation.models import Form, Level, Rating, Round, Stage, TaskResult
from dangvu.evaluation.rules import Allowed, Facts, allowed_level
from dangvu.evaluation.subjects import COMMITTEE_ROLES, LEADING_ROLES
from dangvu.inspections.models import Area, Discipline, Inspection, Outcome
from dangvu.orgs.models import OrgUnit, UnitRole

DONE_RESULTS = (TaskResult.EXCEEDED, TaskResult.ON_TIME, TaskResult.LATE)


def _in_period(rnd: Round) -> dict:
    return {"decided_on__gte": rnd.start, "decided_on__lte": rnd.end}


def disciplined(rating: Rating) -> bool:
    found = Discipline.objects.filter(duty_related=True, **_in_period(rating.round))
    if rating.member_id:
        return found.filter(subject_member_id=rating.member_id).exists()
    return found.filter(subject_unit_id=rating.subject_unit_id).exists()


def degraded(rating: Rating) -> bool:
    """A conclusion in the period that the member (or the unit) degraded in political
    ideology, ethics or lifestyle: an inspection of conduct that found a violation."""
    rnd = rating.round
    found = Inspection.objects.filter(area=Area.CONDUCT, outcome=Outcome.VIOLATION, end__gte=rnd.start,
                                      end__lte=rnd.end)
    if rating.member_id:
        return found.filter(subject_member_id=rating.member_id).exists()
    return found.filter(subject_unit_id=rating.subject_unit_id).exists()


def remedied(rating: Rating) -> bool | None:
    """Whether last period's shortcomings were remedied: None when the last rating of the same
    kind named none (or there was none), else what the self-assessment says."""
    previous = (Rating.objects.filter(round__kind=rating.round.kind, round__end__lt=rating.round.start,
                                      stage=Stage.DECIDED)
                .filter(Q(member_id=rating.member_id) if rating.member_id else Q(subject_unit_id=rating.subject_unit_id))
                .order_by("-round__end").values_list("weaknesses", flat=True).first())
    if not previous or not previous.strip():
        return None
    return bool(rating.remedied)


def task_share_done(rating: Rating | None) -> Fraction | None:
    if rating is None:
        return None
    results = [t.result for t in rating.tasks.all()]
    if not results:
        return None
    return Fraction(sum(r in DONE_RESULTS for r in results), len(results))


def leading_roles_on(day):
    """Roles of secretary or deputy held on `day` (every condition on the same role row)."""
    return UnitRole.objects.filter(Q(end__isnull=True) | Q(end__gte=day), role__in=LEADING_ROLES, start__lte=day)


def led_units(rating: Rating) -> list[OrgUnit]:
    """The units a member led (secretary or deputy) on the period's last day."""
    ids = leading_roles_on(rating.round.end).filter(member_id=rating.member_id).values("unit_id")
    return list(OrgUnit.objects.filter(pk__in=ids))


def leader_facts(rating: Rating) -> tuple[Fraction | None, Fraction | None]:
    """For a leader: the share of their unit's tasks done, and the share of the units directly
    under it rated không hoàn thành, in this round (None where not known yet)."""
    units = led_units(rating)
    if not units:
        return None, None
    own = (Rating.objects.filter(round=rating.round, subject_unit__in=units).prefetch_related("tasks"))
    shares = [s for s in (task_share_done(r) for r in own) if s is not None]
    done = min(shares) if shares else None
    under = Rating.objects.filter(round=rating.round, subject_unit__isnull=False, stage=Stage.DECIDED).filter(
        Q(*[Q(subject_unit__path__startswith=u.path) for u in units], _connector=Q.OR)).exclude(subject_unit__in=units)
    under = [r for r in under.select_related("subject_unit")
             if any(r.subject_unit.path[:-OrgUnit.steplen] == u.path for u in units)]
    failed = Fraction(sum(r.level == Level.NOT_DONE for r in under), len(under)) if under else None
    return done, failed


def collective_disciplined(rating: Rating) -> bool:
    """A unit under the collective, or a member of its committee, disciplined in the period."""
    rnd, unit = rating.round, rating.subject_unit
    period = _in_period(rnd)
    below = Discipline.objects.filter(subject_unit__path__startswith=unit.path, **period).exclude(subject_unit=unit)
    committee = UnitRole.objects.filter(unit=unit, role__in=COMMITTEE_ROLES, start__lte=rnd.end).filter(
        Q(end__isnull=True) | Q(end__gte=rnd.start)).values("member_id")
    return below.exists() or Discipline.objects.filter(subject_member_id__in=committee, **period).exists()


def quarter_ratings(rating: Rating):
    """The subject's decided quarterly ratings of the year a year's round rates (none for
    another round): the quarters feed the year."""
    if rating.round.kind != Round.Kind.YEAR:
        return Rating.objects.none()
    same = {"member_id": rating.member_id} if rating.member_id else {"subject_unit_id": rating.subject_unit_id}
    return Rating.objects.filter(round__kind=Round.Kind.QUARTER, round__end__year=rating.round.end.year,
                                 stage=Stage.DECIDED, **same).order_by("round__end")


def facts_of(rating: Rating, tasks=None) -> Facts | None:
    """None until the self-assessment gives points."""
    points = rating.points
    if points is None:
        return None
    results = tuple(t.result for t in (tasks if tasks is not None else rating.tasks.all()))
    led_done = led_failed = None
    if rating.form == Form.LEADER:
        led_done, led_failed = leader_facts(rating)
    return Facts(points=points, results=results, remedied=remedied(rating), disciplined=disciplined(rating),
                 degraded=degraded(rating), led_unit_done=led_done, led_units_failed=led_failed,
                 collective_disciplined=bool(rating.subject_unit_id) and collective_disciplined(rating),
                 quarters=tuple(quarter_ratings(rating).values_list("level", flat=True)))


def allowed_for(rating: Rating, tasks=None) -> Allowed | None:
    facts = facts_of(rating, tasks)
    return allowed_level(facts) if facts is not None else None
