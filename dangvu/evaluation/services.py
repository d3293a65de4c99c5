"""Every step of an evaluation round, one function per action, atomic and audited: open a
round, save and submit a self-assessment (or enter the paper form), return it, propose a level
after the meeting, decide (with the cap and the order of stages), re-rate. Pages, the API and
the demo call these, so each rule lives here once."""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.evaluation.ballots import vote_errors
from dangvu.evaluation.facts import allowed_for, leading_roles_on, led_units
from dangvu.evaluation.frameworks import framework_for, frameworks_for
from dangvu.evaluation.models import (
    GENERAL_POINTS,
    LEVEL_RANK,
    TASK_POINTS,
    CapException,
    Decision,
    Form,
    Level,
    NotRated,
    Rating,
    Round,
    Stage,
    Task,
    TaskResult,
)
from dangvu.evaluation.rules import places_left
from dangvu.evaluation.subjects import subjects_of, unit_subjects_of
from dangvu.lib import uploads
from dangvu.lib.periods import possible_year
from dangvu.lib.planner import refresh_statistics
from dangvu.meetings.models import Vote
from dangvu.orgs.models import MemberSpan, OrgUnit, UnitKind

MAX_TASKS = 50


def default_deadline(kind: str, end: datetime.date, rates_later: bool = False) -> datetime.date:
    """A year's round is finished by 31/12 of its year (15/01 of the next for a sector that
    rates later); another, a month after its end."""
    if kind == Round.Kind.YEAR:
        return datetime.date(end.year + 1, 1, 15) if rates_later else datetime.date(end.year, 12, 31)
    return end + datetime.timedelta(days=30)


def _round_errors(*, unit: OrgUnit, title: str, kind: str, start, end) -> dict:
    errors = {}
    if unit.kind == UnitKind.CELL:
        errors["unit"] = _("A round is opened by a committee for the units and members under it.")
    if not title.strip():
        errors["title"] = _("Give the round a title.")
    if kind not in Round.Kind.values:
        errors["kind"] = _("The kind is year, quarter, term or ad hoc.")
    for name, day in (("from", start), ("to", end)):
        if not possible_year(day.year):
            errors[name] = _("The year %(year)s is not possible.") % {"year": day.year}
    if not errors and end < start:
        errors["to"] = _("The end is before the start.")
    if not errors:
        # one round of a kind over any member for any day: a committee's round and its parent's
        # would rate the same people twice
        prefixes = [unit.path[:n] for n in range(OrgUnit.steplen, len(unit.path) + 1, OrgUnit.steplen)]
        clash = Round.objects.filter(kind=kind, start__lte=end, end__gte=start).filter(
            Q(unit__path__in=prefixes) | Q(unit__path__startswith=unit.path)).first()
        if clash is not None:
            errors["from"] = _("A round of this kind already covers these days for these units (%(title)s).") % {
                "title": clash.title}
    return errors


@transaction.atomic
def round_open(*, actor, unit: OrgUnit, title: str, kind: str, start: datetime.date, end: datetime.date,
               deadline: datetime.date | None = None, rates_later: bool = False) -> Round:
    """A committee's round for its subtree: every member and organisation under it as they
    stood on `end` becomes a subject, those who are not rated listed with the reason. A subtree
    of more than EVALUATION_INLINE_SUBJECTS members is listed by the worker (a job with its
    progress); the round opens when it is done."""
    errors = _round_errors(unit=unit, title=title, kind=kind, start=start, end=end)
    if errors:
        raise ValidationError(errors)
    size = MemberSpan.objects.filter(unit__path__startswith=unit.path, start__lte=end).filter(
        Q(end__isnull=True) | Q(end__gt=end)).count()
    large = size > settings.EVALUATION_INLINE_SUBJECTS
    rnd = Round.objects.create(unit=unit, title=title.strip(), kind=kind, start=start, end=end,
                               deadline=deadline or default_deadline(kind, end, rates_later),
                               rates_later=rates_later,
                               status=Round.Status.PREPARING if large else Round.Status.OPEN,
                               created_by=actor if actor is not None and actor.is_authenticated else None)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=rnd, unit_path=unit.path, figures_from=end,
                 changes={"title": [None, rnd.title], "period": [None, f"{start.isoformat()} – {end.isoformat()}"]})
    if large:
        from dangvu.evaluation.tasks import SUBJECTS
        from dangvu.jobs import runner

        runner.enqueue(SUBJECTS, rnd.pk, user=actor)
    else:
        round_list_subjects(rnd)
    return rnd


def round_list_subjects(rnd: Round, progress=None) -> int:
    """Every subject of the round as rows, in batches; run again after a lost worker it adds
    only what is missing. The round opens at the end."""
    subjects = subjects_of(rnd.unit, rnd.end)
    units = OrgUnit.objects.in_bulk({s.at for s in subjects})
    frameworks = frameworks_for(list(units.values()), sorted({s.form for s in subjects}))
    batch = 2000
    for first in range(0, len(subjects), batch):
        Rating.objects.bulk_create([
            Rating(round=rnd, member_id=s.member_id, subject_unit_id=s.unit_id, unit_id=s.at, decider_id=s.decider,
                   form=s.form, framework=frameworks[(s.at, s.form)],
                   stage=Stage.NOT_RATED if s.not_rated else Stage.OPEN, not_rated=s.not_rated,
                   moved_from_id=s.moved_from, moved_on=s.moved_on)
            for s in subjects[first:first + batch]], ignore_conflicts=True)
        if progress is not None:
            progress(min(first + batch, len(subjects)), len(subjects), "subjects")
    if len(subjects) > settings.EVALUATION_INLINE_SUBJECTS:
        refresh_statistics("evaluation_rating")
    Round.objects.filter(pk=rnd.pk, status=Round.Status.PREPARING).update(status=Round.Status.OPEN)
    rnd.status = Round.Status.OPEN
    return len(subjects)


def sync_member(member_id: int) -> None:
    """A member's ratings in the open rounds follow what happened after a round was opened (a
    transfer in December, an exemption, a new admission, a death): rated where they stand on
    the round's last day, or no longer a subject. A decided rating stays as decided."""
    from dangvu.evaluation.frameworks import framework_for

    for rnd in Round.objects.filter(status=Round.Status.OPEN).select_related("unit"):
        rating = Rating.objects.filter(round=rnd, member_id=member_id).first()
        if rating is not None and rating.stage == Stage.DECIDED:
            continue
        found = subjects_of(rnd.unit, rnd.end, member_id=member_id)
        if not found:
            if rating is not None:
                rating.delete()  # left, or moved out of the round's units, before its last day
            continue
        s = found[0]
        fields = {"unit_id": s.at, "decider_id": s.decider, "not_rated": s.not_rated, "moved_from_id": s.moved_from,
                  "moved_on": s.moved_on}
        if rating is None:
            unit = OrgUnit.objects.get(pk=s.at)
            Rating.objects.create(round=rnd, member_id=member_id, form=s.form, framework=framework_for(unit, s.form),
                                  stage=Stage.NOT_RATED if s.not_rated else Stage.OPEN, **fields)
            continue
        if s.not_rated:
            fields["stage"] = Stage.NOT_RATED
        elif rating.stage == Stage.NOT_RATED:
            fields["stage"] = Stage.OPEN
        if any(getattr(rating, k) != v for k, v in fields.items()):
            Rating.objects.filter(pk=rating.pk).update(**fields)


def sync_units() -> None:
    """The organisations rated in the open rounds follow the tree after a round was opened (a
    unit founded, closed, moved, merged or split before the period's last day), as members do
    in sync_member; a decided rating stays as decided. Members whose cell came or went with it
    are re-listed too (a merge carries members over without a transfer)."""
    for rnd in Round.objects.filter(status=Round.Status.OPEN).select_related("unit"):
        _sync_round_units(rnd)


def _sync_round_units(rnd: Round) -> None:
    from dangvu.evaluation.frameworks import framework_for

    found = {s.unit_id: s for s in unit_subjects_of(rnd.unit, rnd.end)}
    rated = {r.subject_unit_id: r for r in Rating.objects.filter(round=rnd, subject_unit__isnull=False)}
    changed = set()
    for unit_id, rating in rated.items():
        if unit_id not in found and rating.stage != Stage.DECIDED:
            rating.delete()  # closed, or moved out of the round's units, before its last day
            changed.add(unit_id)
    for unit_id, s in found.items():
        rating = rated.get(unit_id)
        if rating is None:
            unit = OrgUnit.objects.get(pk=unit_id)
            Rating.objects.create(round=rnd, subject_unit_id=unit_id, unit_id=s.at, decider_id=s.decider,
                                  form=s.form, framework=framework_for(unit, s.form))
            changed.add(unit_id)
        elif rating.stage != Stage.DECIDED and rating.decider_id != s.decider:
            Rating.objects.filter(pk=rating.pk).update(decider_id=s.decider)
            changed.add(unit_id)
    if not changed:
        return
    day = rnd.end
    members = set(Rating.objects.filter(round=rnd, unit_id__in=changed, member__isnull=False)
                  .values_list("member_id", flat=True))
    members |= set(MemberSpan.objects.filter(unit_id__in=changed, start__lte=day)
                   .filter(Q(end__isnull=True) | Q(end__gt=day)).values_list("member_id", flat=True))
    for member_id in sorted(members):
        sync_member(member_id)


@transaction.atomic
def round_close(*, actor, rnd: Round) -> Round:
    rnd.status = Round.Status.CLOSED
    rnd.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=rnd, unit_path=rnd.unit.path,
                 alters_figures=False, changes={"status": [Round.Status.OPEN, Round.Status.CLOSED]})
    return rnd


def _not_rated_error(rating: Rating) -> ValidationError:
    return ValidationError({"subject_id": _("%(name)s is not rated in this round: %(reason)s.") % {
        "name": rating.subject, "reason": NotRated(rating.not_rated).label.lower()}})


def _locked(rating: Rating) -> Rating:
    """The rating read again under a row lock (two clerks never interleave on it); a subject
    not rated is refused here, saying why."""
    rating = Rating.objects.select_for_update(of=("self",)).select_related(
        "round", "unit", "member", "subject_unit").get(pk=rating.pk)
    if rating.stage == Stage.NOT_RATED:
        raise _not_rated_error(rating)
    return rating


def _points(value, field: str, top: int, errors: dict):
    if value is None or value == "":
        errors[field] = _("Give the points (0 to %(top)s).") % {"top": top}
        return None
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        points = None
    if points is None or not points.is_finite() or not 0 <= points <= top or points != points.quantize(Decimal("0.1")):
        errors[field] = _("The points are from 0 to %(top)s, in tenths at most.") % {"top": top}
        return None
    return points


def _clean_tasks(tasks, errors: dict) -> list[Task]:
    cleaned = []
    if len(tasks) > MAX_TASKS:
        errors["tasks"] = _("At most %(n)s tasks.") % {"n": MAX_TASKS}
        return []
    for n, task in enumerate(tasks, 1):
        title = str(task.get("title") or "").strip()
        result = task.get("result")
        if not title:
            errors["tasks"] = _("Task %(n)s has no title.") % {"n": n}
        elif len(title) > 500:
            errors["tasks"] = _("Task %(n)s is longer than 500 characters.") % {"n": n}
        elif result not in TaskResult.values:
            errors["tasks"] = _("Task %(n)s: the result is exceeded, on time, late or not done.") % {"n": n}
        else:
            cleaned.append(Task(title=title, result=result, note=str(task.get("note") or "").strip()[:1000],
                                evidence=task.get("evidence"), order=n))
    return cleaned


@transaction.atomic
def assessment_save(*, actor, rating: Rating, general_points, task_points, tasks: list[dict],
                    strengths: str = "", weaknesses: str = "", remedies: str = "", remedied: bool | None = None,
                    direction: str = "", criteria_points: list | None = None, submit: bool = True,
                    on_behalf: bool = False, form: str | None = None) -> Rating:
    """The subject's self-assessment, saved as they go and submitted once (`submit`); a
    secretary entering a paper form does so `on_behalf`. Returned by the cell, it opens again."""
    rating = _locked(rating)
    if rating.stage not in (Stage.OPEN, Stage.RETURNED):
        raise ValidationError({"subject_id": _("The self-assessment was already submitted; the cell can return "
                                               "it to be corrected.")})
    if rating.round.status != Round.Status.OPEN:
        raise ValidationError({"subject_id": _("The round is closed.")})
    errors = {}
    general = _points(general_points, "general_points", GENERAL_POINTS, errors)
    task_total = _points(task_points, "task_points", TASK_POINTS, errors)
    cleaned = _clean_tasks(tasks or [], errors)
    if form is not None and (form not in Form.values or (form == Form.COLLECTIVE) != bool(rating.subject_unit_id)):
        errors["form"] = _("This form is not for this subject.")
    if criteria_points is not None and rating.framework_id:
        criteria = rating.framework.criteria
        if len(criteria_points) != len(criteria):
            errors["criteria_points"] = _("Give points for each of the %(n)s criteria.") % {"n": len(criteria)}
    if errors:
        raise ValidationError(errors)
    if form is not None and form != rating.form:
        rating.form = form
        rating.framework = framework_for(rating.unit, form)
    rating.general_points, rating.task_points = general, task_total
    rating.criteria_points = list(criteria_points or [])
    rating.strengths, rating.weaknesses = strengths.strip(), weaknesses.strip()
    rating.remedies, rating.remedied, rating.direction = remedies.strip(), remedied, direction.strip()
    rating.on_behalf = on_behalf
    rating.tasks.all().delete()
    for task in cleaned:
        task.rating = rating
    Task.objects.bulk_create(cleaned)
    allowed = allowed_for(rating, cleaned)
    rating.allowed_level, rating.allowed_because = allowed.level, "; ".join(allowed.because)
    if submit:
        rating.stage = Stage.SUBMITTED
        rating.submitted_at = timezone.now()
        rating.return_reason = ""
    rating.save()
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=rating, unit_path=rating.unit.path,
                 alters_figures=False,
                 changes={"stage": [None, rating.stage], "points": [None, str(rating.points)],
                          "on_behalf": [None, on_behalf]})
    return rating


@transaction.atomic
def assessment_return(*, actor, rating: Rating, reason: str) -> Rating:
    """The cell sends a submitted self-assessment back to be corrected."""
    rating = Rating.objects.select_for_update(of=("self",)).select_related("round", "unit").get(pk=rating.pk)
    if rating.round.status != Round.Status.OPEN:
        raise ValidationError({"subject_id": _("The round is closed.")})
    if rating.stage not in (Stage.SUBMITTED, Stage.PROPOSED):
        raise ValidationError({"subject_id": _("Only a submitted self-assessment not yet decided is returned.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what to correct.")})
    before = rating.stage
    rating.stage, rating.return_reason = Stage.RETURNED, reason.strip()[:500]
    rating.proposed_level, rating.votes_for, rating.votes_against, rating.vote = "", None, None, None
    rating.save(update_fields=["stage", "return_reason", "proposed_level", "votes_for", "votes_against", "vote"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=rating, unit_path=rating.unit.path,
                 alters_figures=False, changes={"stage": [before, rating.stage], "reason": [None, rating.return_reason]})
    return rating


def _level_errors(rating: Rating, level: str, reason: str) -> dict:
    """A level above what the rules allow is refused, naming the rule; a lower one needs a reason."""
    if level not in Level.values:
        return {"level": _("The level is excellent, good, done or not done.")}
    allowed = allowed_for(rating)
    if allowed is None:
        return {"level": _("The self-assessment has no points yet.")}
    if rating.allowed_level != allowed.level:
        rating.allowed_level, rating.allowed_because = allowed.level, "; ".join(allowed.because)
        rating.save(update_fields=["allowed_level", "allowed_because"])
    if LEVEL_RANK[level] > LEVEL_RANK[allowed.level]:
        return {"level": _("The rules allow at most “%(allowed)s”: %(because)s.") % {
            "allowed": Level(allowed.level).label, "because": "; ".join(allowed.because)}}
    if LEVEL_RANK[level] < LEVEL_RANK[allowed.level] and not reason.strip():
        return {"reason": _("Say why the level is lower than the rules allow (“%(allowed)s”).") % {
            "allowed": Level(allowed.level).label}}
    return {}


@transaction.atomic
def proposal_make(*, actor, rating: Rating, level: str, votes_for: int | None = None,
                  votes_against: int | None = None, reason: str = "", vote: Vote | None = None) -> Rating:
    """The level the cell's meeting proposes for a member, with its votes (for a unit, the
    committee above verifies and proposes). With `vote` (a closed vote of the cell's meeting in
    the round's window, resolved in the caller's scope) the counts are copied from it and the
    vote kept; typed counts given beside it must be the same. Without, they are typed (no
    ballot held)."""
    rating = _locked(rating)
    if rating.stage not in (Stage.SUBMITTED, Stage.PROPOSED):
        raise ValidationError({"subject_id": _("A level is proposed after the self-assessment is submitted and "
                                               "before it is decided.")})
    errors = _level_errors(rating, level, reason)
    for name, votes in (("votes_for", votes_for), ("votes_against", votes_against)):
        if votes is not None and votes < 0:
            errors[name] = _("The number of votes cannot be negative.")
    if vote is not None:
        vote = Vote.objects.select_related("meeting").get(pk=vote.pk)  # as closed now, not as the caller read it
        refused = vote_errors(rating, vote)
        errors.update(refused)
        for name, typed, counted in (("votes_for", votes_for, vote.votes_for),
                                     ("votes_against", votes_against, vote.votes_against)):
            if not refused and typed is not None and typed != counted:
                errors[name] = _("The meeting's vote counted %(n)s; leave this empty or give the same "
                                 "number.") % {"n": counted}
        votes_for, votes_against = vote.votes_for, vote.votes_against
    if errors:
        raise ValidationError(errors)
    rating.proposed_level, rating.votes_for, rating.votes_against = level, votes_for, votes_against
    rating.vote = vote
    rating.proposal_reason, rating.proposed_at, rating.stage = reason.strip(), timezone.now(), Stage.PROPOSED
    rating.save()
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=rating, unit_path=rating.unit.path,
                 alters_figures=False, changes={"proposed_level": [None, level],
                                                "votes": [None, f"{votes_for}/{votes_against}"],
                                                "vote": [None, vote.pk if vote is not None else None]})
    return rating


def peer_group(rating: Rating):
    """Those a xuất sắc is weighed against: the members decided by the same committee, or the
    units of the same kind under it, in the same round."""
    peers = Rating.objects.filter(round_id=rating.round_id, decider_id=rating.decider_id)
    if rating.member_id:
        return peers.filter(member__isnull=False)
    return peers.filter(subject_unit__isnull=False, subject_unit__kind=rating.subject_unit.kind)


def cap_rate(rating: Rating) -> float:
    if rating.subject_unit_id and CapException.objects.filter(round_id=rating.round_id,
                                                              unit_id=rating.decider_id).exists():
        return settings.EVALUATION_CAP_EXCEPTION
    return settings.EVALUATION_CAP


def cap_counts(rating: Rating) -> dict:
    """For the peer group of `rating` (not counting `rating` itself): those decided xuất sắc and
    tốt, the share allowed, and how many places are left."""
    decided = peer_group(rating).filter(stage=Stage.DECIDED).exclude(pk=rating.pk)
    excellent = decided.filter(level=Level.EXCELLENT).count()
    good = decided.filter(level=Level.GOOD).count()
    rate = cap_rate(rating)
    return {"excellent": excellent, "good": good, "rate": rate,
            "left": places_left(excellent, good, rate, settings.EVALUATION_CAP_BASE)}


def _order_errors(rating: Rating) -> dict:
    """Members and units under an organisation are decided before it; its heads after it (and
    the heads of a committee above it, who sit in a cell under it, after that committee)."""
    if rating.subject_unit_id:
        unit = rating.subject_unit
        above = [unit.path[:n] for n in range(OrgUnit.steplen, len(unit.path) + 1, OrgUnit.steplen)]
        heads = leading_roles_on(rating.round.end).filter(unit__path__in=above).values("member_id")
        waiting = (Rating.objects.filter(round_id=rating.round_id, unit__path__startswith=unit.path)
                   .exclude(pk=rating.pk).exclude(member_id__in=heads)
                   .exclude(stage__in=(Stage.DECIDED, Stage.NOT_RATED)).count())
        if waiting:
            return {"subject_id": _("First decide the members and units under it: %(n)s not decided yet.") % {
                "n": waiting}}
        return {}
    units = led_units(rating)
    if units and Rating.objects.filter(round_id=rating.round_id, subject_unit__in=units).exclude(
            stage=Stage.DECIDED).exists():
        return {"subject_id": _("First decide the organisation this member leads: a collective is rated "
                                "before its head.")}
    return {}


@transaction.atomic
def decision_make(*, actor, rating: Rating, level: str, reason: str = "", day: datetime.date | None = None,
                  document=None) -> Rating:
    """The competent committee decides a level. A second decision is a re-rating: it needs a
    reason and keeps the first, marked replaced."""
    Round.objects.select_for_update().filter(pk=rating.round_id).first()  # one decider at a time per round: the cap
    rating = Rating.objects.select_for_update(of=("self",)).select_related(
        "round", "unit", "member", "subject_unit", "decider").get(pk=rating.pk)
    if rating.stage == Stage.NOT_RATED:
        raise _not_rated_error(rating)
    rerating = rating.stage == Stage.DECIDED
    if not rerating and rating.stage != Stage.PROPOSED:
        raise ValidationError({"subject_id": _("A level is decided after the meeting (or the verifying "
                                               "committee) has proposed one.")})
    errors = _level_errors(rating, level, reason) or _order_errors(rating)
    if rerating and not reason.strip():
        errors.setdefault("reason", _("Say why the level is decided again."))
    if not errors and level == Level.EXCELLENT and not (rerating and rating.level == Level.EXCELLENT):
        counts = cap_counts(rating)
        if counts["left"] < 1:
            errors["level"] = _(
                "“%(level)s” may be given to at most %(rate)s%% of those rated “%(good)s” in this group "
                "(%(base)s now): %(left)s places left.") % {
                "level": Level.EXCELLENT.label, "rate": f"{counts['rate'] * 100:g}", "good": Level.GOOD.label,
                "base": counts["good"], "left": counts["left"]}
            if settings.EVALUATION_CAP_BASE != "good":
                errors["level"] += " " + _("(The base counts those rated “%(good)s” and “%(level)s” together: "
                                           "%(n)s now.)") % {"good": Level.GOOD.label, "level": Level.EXCELLENT.label,
                                                            "n": counts["good"] + counts["excellent"]}
    if errors:
        raise ValidationError(errors)
    day = day or timezone.localdate()
    before = rating.level
    if rerating:
        rating.decisions.filter(replaced=False).update(replaced=True)
    Decision.objects.create(rating=rating, level=level, reason=reason.strip(), decided_on=day, rerating=rerating,
                            document=document,
                            decided_by=actor if actor is not None and actor.is_authenticated else None)
    rating.level, rating.decided_on, rating.stage = level, day, Stage.DECIDED
    rating.save(update_fields=["level", "decided_on", "stage"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=rating, unit_path=rating.unit.path,
                 figures_from=rating.round.end, changes={"level": [before or None, level],
                                                         "rerating": [None, rerating]})
    return rating


def decide_all(*, actor, ratings, day: datetime.date | None = None,
               progress=None) -> tuple[int, list[tuple[Rating, str]]]:
    """Decide each proposal at its proposed level: tốt and below first (they make the base of
    the cap), members before units, deepest units first; and again while a pass decides
    something, since a head waits for their unit and a unit for its members:
    (decided, [(rating, why not)])."""
    def order(r: Rating):
        return (r.proposed_level == Level.EXCELLENT, r.subject_unit_id is not None,
                -len(r.subject_unit.path) if r.subject_unit_id else 0, r.form == Form.LEADER, r.pk)

    done, waiting = 0, sorted(ratings, key=order)
    total = len(waiting)
    while True:
        refused = []
        for rating in waiting:
            try:
                decision_make(actor=actor, rating=rating, level=rating.proposed_level,
                              reason=rating.proposal_reason, day=day)
                done += 1
            except ValidationError as exc:
                refused.append((rating, " ".join(exc.messages)))
            if progress is not None:
                progress(done, total, "decisions")
        if len(refused) in (0, len(waiting)):
            return done, refused
        waiting = [r for r, _why in refused]


@transaction.atomic
def cap_exception_record(*, actor, rnd: Round, unit: OrgUnit, decision) -> CapException:
    """The deciding committee's decision letting 25 % of its units rated tốt be rated xuất sắc."""
    found, _created = CapException.objects.get_or_create(round=rnd, unit=unit, defaults={"decision": decision})
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=rnd, unit_path=unit.path, alters_figures=False,
                 changes={"cap_exception": [None, decision.reference if hasattr(decision, "reference") else
                                            str(decision)]})
    return found


@transaction.atomic
def previous_comment_save(*, actor, rating: Rating, text: str) -> Rating:
    """The comment of the cell a member moved from in the period's last 3 months."""
    rating.previous_comment = text.strip()[:4000]
    rating.save(update_fields=["previous_comment"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=rating, unit_path=rating.unit.path,
                 alters_figures=False, changes={"previous_comment": [None, rating.previous_comment[:200]]})
    return rating


def decision_publish(*, actor, rnd: Round, decider: OrgUnit, members: bool, day: datetime.date | None = None):
    """The committee's decision (a QĐ in its register, numbered in its series) listing the
    members (or the organisations) whose level it decided in the round and that no earlier
    decision listed; returns the document. The register's rules apply: a symbol and a term."""
    from dangvu.documents.services import document_issue
    from dangvu.evaluation.documents import decision_docx

    day = day or timezone.localdate()
    whom = "đảng viên" if members else "tổ chức đảng"
    # the decision's file goes through the upload helper (a full disk refuses it, naming it) and is
    # deleted again if the transaction rolls back, wherever it fails
    with uploads.discard_on_failure(), transaction.atomic():
        Round.objects.select_for_update().filter(pk=rnd.pk).first()  # two clicks never issue two decisions
        listed = list(Rating.objects.filter(round=rnd, decider=decider, stage=Stage.DECIDED,
                                            member__isnull=not members)
                      .filter(decisions__replaced=False, decisions__document__isnull=True)
                      .select_related("member", "subject_unit", "unit")
                      .order_by("unit__path", "member__sort_key", "subject_unit__path", "id"))
        if not listed:
            raise ValidationError({"round": _("Every level decided here is already in a decision.")})
        doc = document_issue(actor=actor, unit=decider, doc_type="QĐ", issued_on=day,
                             summary=f"Về việc xếp loại chất lượng {whom} năm {rnd.end.year}", shared=False)
        data = decision_docx(rnd, decider, listed, f"Số {doc.reference}", day)
        doc.text = "\n".join(f"{r.subject}: {r.get_level_display()}" for r in listed)
        uploads.store(doc.file, f"quyet-dinh-xep-loai-{doc.number:02d}.docx", data)
        doc.save(update_fields=["file", "text"])
        Decision.objects.filter(rating__in=listed, replaced=False, document__isnull=True).update(document=doc)
    return doc
