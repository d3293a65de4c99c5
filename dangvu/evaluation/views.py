"""The evaluation pages: a unit's rounds (and opening one), a round as a unit sees it (who is
late at each stage, the subjects with their stage and points, the deciding table with the cap
counter), one rating (the self-assessment, the proposal, the decision and its history), and
the member's own on the sổ tay."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.evaluation import services
from dangvu.evaluation.access import (
    ASSESS,
    DECIDE,
    PROPOSE,
    comments_as_previous_cell,
    details_checker,
    get_rating_for_user,
    get_round_for_user,
    get_vote_for_proposal,
    may,
    own_ratings,
    ratings_readable,
    reads_cell_votes,
    sees_details,
)
from dangvu.evaluation.ballots import candidate_votes, voting_unit_id, window
from dangvu.evaluation.forms import (
    TASK_RESULTS,
    TASK_ROWS,
    AssessmentForm,
    CommentForm,
    DecisionForm,
    ProposalForm,
    ReturnForm,
    RoundForm,
)
from dangvu.evaluation.models import CapException, Level, NotRated, Rating, Round, Stage
from dangvu.evaluation.streaks import streak_of
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.ids import parse_ids
from dangvu.lib.keys import EVALUATION_DECIDE, EVALUATION_READ, MEETINGS_WRITE
from dangvu.lib.partydoc import docx_response
from dangvu.lib.xlsx import xlsx_response
from dangvu.meetings.models import Meeting, Vote
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.models import OrgUnit, path_prefixes
from dangvu.orgs.scope import scope_for
from dangvu.orgs.views import breadcrumbs

SHOWN = 2000  # rows of one table; the rest under the units below
WAITING = (Stage.OPEN, Stage.RETURNED, Stage.SUBMITTED, Stage.PROPOSED)


def unit_evaluation(request, pk):
    """The rounds that rate the unit (its own and those of the committees above), and opening one."""
    unit = get_unit_for_user(request, pk, EVALUATION_READ)
    can_open = scope_for(request).can(EVALUATION_DECIDE, unit.path) and unit.kind != "cell"
    form = RoundForm(request.POST or None) if can_open else None
    if request.method == "POST":
        get_unit_for_user(request, pk, EVALUATION_DECIDE)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                rnd = services.round_open(actor=request.user, unit=unit, title=data["title"], kind=data["kind"],
                                          start=data["start"], end=data["end"], deadline=data["deadline"],
                                          rates_later=data["rates_later"])
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The round was opened: %(n)s subjects.") % {"n": rnd.ratings.count()})
                return redirect(f"{reverse('evaluation:round', args=[rnd.pk])}?unit={unit.pk}")
    rounds = Round.objects.filter(Q(unit__path__in=path_prefixes(unit.path)) | Q(unit=unit)).select_related(
        "unit").order_by("-end", "-id")[:30]
    return render(request, "evaluation/unit_evaluation.html", {
        "unit": unit, "rounds": rounds, "form": form, "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def _where(request, rnd: Round) -> OrgUnit:
    """The unit the round is looked at from: ?unit= (in the round and the caller's reach), else
    the round's own unit if the caller reads it, else the caller's topmost unit under it."""
    asked = request.GET.get("unit")
    if asked:
        try:
            [unit_id] = parse_ids([asked], "unit")
        except ValidationError:
            raise Http404 from None
        unit = get_unit_for_user(request, unit_id, EVALUATION_READ)
        if not unit.path.startswith(rnd.unit.path):
            raise PermissionDenied
        return unit
    scope = scope_for(request)
    if scope.can(EVALUATION_READ, rnd.unit.path):
        return rnd.unit
    roots = [r for r in scope.roots(EVALUATION_READ) if r.startswith(rnd.unit.path)]
    found = OrgUnit.objects.filter(path__in=roots).order_by("path").first()
    if found is None:  # a member with no reading rights: their own rating is what they have here
        raise _OwnRating
    return found


class _OwnRating(Exception):
    pass


def _counts(ratings, unit: OrgUnit) -> dict[str, dict]:
    """{path of each unit directly under `unit` (or the unit's own): {(stage, level): n}} in one
    grouped query, the prefix cut in the database."""
    depth = len(unit.path) + OrgUnit.steplen
    counts: dict[str, dict] = {}
    rows = (ratings.order_by().annotate(branch=Substr("unit__path", 1, depth))
            .values_list("branch", "stage", "level").annotate(n=Count("id")))
    for branch, stage, level, n in rows:
        counts.setdefault(branch, {})[(stage, level)] = n
    return counts


def _late_by_unit(rnd: Round, counts: dict, today) -> list[dict]:
    """For each unit directly under the one looked from (or itself for a cell): how many
    subjects wait at each stage, and whether the round's deadline has passed."""
    units = {u.path: u for u in OrgUnit.objects.filter(path__in=list(counts))}
    rows = []
    for path in sorted(counts):
        c: dict[str, int] = {}
        for (stage, _level), n in counts[path].items():
            c[stage] = c.get(stage, 0) + n
        rows.append({"unit": units.get(path), "open": c.get(Stage.OPEN, 0) + c.get(Stage.RETURNED, 0),
                     "submitted": c.get(Stage.SUBMITTED, 0), "proposed": c.get(Stage.PROPOSED, 0),
                     "decided": c.get(Stage.DECIDED, 0), "not_rated": c.get(Stage.NOT_RATED, 0),
                     "late": today > rnd.deadline and any(c.get(s, 0) for s in WAITING)})
    return rows


class _Labels:
    """The choices' labels in the request's language, looked up once (a lazy label costs
    tens of microseconds each time it is read, and a table reads 8,000 of them)."""

    def __init__(self):
        self.stage = {k: str(v) for k, v in Stage.choices}
        self.level = {k: str(v) for k, v in Level.choices}
        self.not_rated = {k: str(v).lower() for k, v in NotRated.choices}
        self.rating_url = reverse("evaluation:rating", args=[0])[:-2]  # …/ratings/ + id + /


def _row(r: Rating, details: bool, unit: OrgUnit, deciding: bool, labels: _Labels) -> dict:
    """What the table shows of one subject, as plain values (the page renders 2,000 of them)."""
    decided = r.stage == Stage.DECIDED
    return {"pk": r.pk, "stage": r.stage, "name": str(r.subject),
            "url": f"{labels.rating_url}{r.pk}/" if details or decided else "",
            "cell": r.unit.name if r.member_id and r.unit_id != unit.pk else "", "paper": r.on_behalf,
            "form": r.form, "stage_label": labels.stage.get(r.stage, ""), "not_rated": labels.not_rated.get(r.not_rated, ""),
            "points": r.points if details else None,
            "allowed": labels.level.get(r.allowed_level, "") if details else "",
            "because": r.allowed_because if details else "",
            "proposed": labels.level.get(r.proposed_level, "") if details else "",
            "votes": f"{r.votes_for}/{r.votes_against or 0}" if details and r.votes_for is not None else "",
            "level": labels.level.get(r.level, "") if decided else "", "choose": deciding and r.stage == Stage.PROPOSED,
            "refused": r.refused_because if details and r.stage == Stage.PROPOSED else "",
            "queued": r.decide_queued}


def round_detail(request, pk):
    rnd = get_round_for_user(request, pk)
    try:
        unit = _where(request, rnd)
    except _OwnRating:
        mine = own_ratings(request).filter(round=rnd).first()
        if mine is None:
            raise PermissionDenied from None
        return redirect("evaluation:rating", pk=mine.pk)
    if rnd.status == Round.Status.PREPARING or request.GET.get("status"):
        return _preparing(request, rnd, unit)
    scope = scope_for(request)
    today = timezone.localdate()
    ratings = ratings_readable(request, rnd).filter(unit__path__startswith=unit.path)
    deciding = scope.can(EVALUATION_DECIDE, unit.path) and Rating.objects.filter(round=rnd, decider=unit).exists()
    if request.method == "POST" and request.POST.get("form") == "decide":
        return _decide_bulk(request, rnd, unit)
    if request.method == "POST" and request.POST.get("form") == "publish":
        return _publish(request, rnd, unit)
    if request.method == "POST" and request.POST.get("form") in ("close", "exception"):
        return _round_action(request, rnd, unit, request.POST["form"])
    counts = _counts(ratings, unit)
    stages, levels = {}, {}
    for branch in counts.values():
        for (stage, level), n in branch.items():
            stages[stage] = stages.get(stage, 0) + n
            if stage == Stage.DECIDED:
                levels[level] = levels.get(level, 0) + n
    listed = ratings.filter(unit=unit) if unit.kind == "cell" else ratings.none()
    if deciding:
        listed = ratings.filter(decider=unit)
    listed = listed.select_related(None).select_related("unit", "decider", "member", "subject_unit").order_by(
        "subject_unit__path", "unit__path", "member__sort_key", "id")
    if request.GET.get("format") == "xlsx":
        return _xlsx(request, rnd, unit, listed)
    sees = details_checker(request)
    shown = list(listed[:SHOWN + 1])
    labels = _Labels()
    rows = [_row(r, sees(r), unit, deciding, labels) for r in shown[:SHOWN]]
    return render(request, "evaluation/round_detail.html", {
        "round": rnd, "unit": unit, "deciding": deciding, "stages": [(s, stages.get(s.value, 0)) for s in Stage],
        "levels": [(lv, levels.get(lv.value, 0)) for lv in Level], "late": _late_by_unit(rnd, counts, today),
        "rows": rows, "more": len(shown) > SHOWN, "peer": _cap_summary(rnd, unit) if deciding else None,
        "past_deadline": today > rnd.deadline, "breadcrumbs": breadcrumbs(request, unit) + [unit],
        "dossier_by": datetime.date(rnd.end.year + 1, 2, 1) if rnd.kind == Round.Kind.YEAR else None,
        "can_close": rnd.status == Round.Status.OPEN and scope.can(EVALUATION_DECIDE, rnd.unit.path),
        "exception_decisions": _exception_choices(rnd, unit) if deciding else [],
        "exception": CapException.objects.filter(round=rnd, unit=unit).select_related("decision").first(),
        "deciding_job": _deciding_job(rnd) if deciding else None})


def _deciding_job(rnd: Round) -> dict | None:
    """The bulk decision the worker is making for this round, if any: its progress."""
    from dangvu.evaluation.tasks import DECIDE as DECIDE_JOB
    from dangvu.jobs import runner

    job = runner.active(DECIDE_JOB, rnd.pk)
    return {"job": job, "progress": runner.progress_of(job)} if job else None


def _preparing(request, rnd: Round, unit: OrgUnit):
    """The worker lists the subjects of a large round: its progress, until the round opens."""
    from dangvu.evaluation.tasks import SUBJECTS
    from dangvu.jobs import runner

    if rnd.status != Round.Status.PREPARING:  # done meanwhile: the page polling for it reloads
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    job = runner.latest(SUBJECTS, rnd.pk)
    context = {"round": rnd, "unit": unit, "job": job, "progress": runner.progress_of(job),
               "breadcrumbs": breadcrumbs(request, unit) + [unit]}
    if request.GET.get("status"):
        return render(request, "evaluation/_preparing.html", context)
    return render(request, "evaluation/round_preparing.html", context)


def _cap_summary(rnd: Round, decider: OrgUnit) -> list[dict]:
    """Per peer group the unit decides: decided xuất sắc and tốt, proposals waiting, places left."""
    out = []
    groups = [("member", _("Members"), Q(member__isnull=False))]
    kinds = (Rating.objects.filter(round=rnd, decider=decider, subject_unit__isnull=False).order_by()
             .values_list("subject_unit__kind", flat=True).distinct())
    for kind in sorted(set(kinds)):
        groups.append((kind, OrgUnit(kind=kind).get_kind_display(), Q(subject_unit__kind=kind)))
    for _key, label, q in groups:
        peers = Rating.objects.filter(q, round=rnd, decider=decider).order_by()
        # any one of the group (no order: an ORDER BY here walks the whole round on PostgreSQL)
        sample = Rating.objects.select_related("subject_unit").filter(
            pk__in=list(peers.values_list("pk", flat=True)[:1])).first()
        counts = services.cap_counts(sample) if sample else None
        if counts is None:
            continue
        out.append({"label": label, "excellent": counts["excellent"], "good": counts["good"],
                    "rate": f"{counts['rate'] * 100:g}", "left": counts["left"],
                    "proposed_excellent": peers.filter(stage=Stage.PROPOSED, proposed_level=Level.EXCELLENT).count(),
                    "proposed": peers.filter(stage=Stage.PROPOSED).count()})
    return out


def _xlsx(request, rnd: Round, unit: OrgUnit, listed):
    headers = [_("subject"), _("Unit"), _("self-assessment form"), _("stage"), _("score"), _("proposed level"), _("rating level")]
    rows = []
    sees = details_checker(request)
    for r in listed.iterator(chunk_size=2000):
        details = sees(r)
        rows.append([str(r.subject), r.unit.name, r.form, r.get_stage_display(),
                     float(r.points) if details and r.points is not None else "",
                     r.get_proposed_level_display() if details else "",
                     r.get_level_display() if r.stage == Stage.DECIDED else ""])
    return xlsx_response(f"xep-loai-{rnd.pk}-{unit.pk}.xlsx", rnd.title, headers, rows)


def _exception_choices(rnd: Round, unit: OrgUnit):
    """The committee's own decisions (QĐ) of the round's year or after, to cite for the 25 %."""
    from dangvu.documents.models import Document

    return list(Document.objects.filter(unit=unit, direction="issued", doc_type="QĐ",
                                        issued_on__gte=rnd.start, withdrawn_on__isnull=True)
                .order_by("-issued_on", "-id")[:50])


def _round_action(request, rnd: Round, unit: OrgUnit, action: str):
    """Closing the round (its committee), or recording the deciding committee's exception
    decision that allows 25 % of its units rated xuất sắc."""
    back = f"{reverse('evaluation:round', args=[rnd.pk])}?unit={unit.pk}"
    if action == "close":
        get_unit_for_user(request, rnd.unit_id, EVALUATION_DECIDE)
        services.round_close(actor=request.user, rnd=rnd)
        messages.success(request, _("The round was closed."))
        return redirect(back)
    get_unit_for_user(request, unit.pk, EVALUATION_DECIDE)
    try:
        [doc_id] = parse_ids([request.POST.get("decision", "")], "decision")
    except ValidationError:
        doc_id = None
    decision = next((d for d in _exception_choices(rnd, unit) if d.pk == doc_id), None)
    if decision is None:
        messages.error(request, _("Choose the committee's decision from its register."))
    else:
        services.cap_exception_record(actor=request.user, rnd=rnd, unit=unit, decision=decision)
        messages.success(request, _("The exception was recorded: up to %(share)s of the units rated well may be "
                                    "rated excellent.") % {"share": "25%"})
    return redirect(back)


def _publish(request, rnd: Round, unit: OrgUnit):
    """The committee's decision listing the levels it decided, issued in its register."""
    get_unit_for_user(request, unit.pk, EVALUATION_DECIDE)
    try:
        doc = services.decision_publish(actor=request.user, rnd=rnd, decider=unit,
                                        members=request.POST.get("subjects") != "units")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('evaluation:round', args=[rnd.pk])}?unit={unit.pk}")
    messages.success(request, _("Decision %(ref)s was issued and filed in the register.") % {"ref": doc.reference})
    return redirect("documents:detail", pk=doc.pk)


def _decide_bulk(request, rnd: Round, unit: OrgUnit):
    """The chosen proposals decided at their proposed levels: at once when they are few, by
    the worker (with its progress here) when many."""
    from django.conf import settings

    try:
        ids = parse_ids(request.POST.getlist("rating"), "rating")
    except ValidationError:
        ids = []
    back = redirect(f"{reverse('evaluation:round', args=[rnd.pk])}?unit={unit.pk}")
    chosen = [get_rating_for_user(request, i, DECIDE) for i in ids[:SHOWN]]
    chosen = [r for r in chosen if r.round_id == rnd.pk and r.stage == Stage.PROPOSED]
    if not chosen:
        messages.error(request, _("Choose the proposals to decide."))
        return back
    if len(chosen) > settings.EVALUATION_INLINE_DECISIONS:
        from dangvu.evaluation.tasks import DECIDE as DECIDE_JOB
        from dangvu.jobs import runner

        with transaction.atomic():
            Rating.objects.filter(pk__in=[r.pk for r in chosen]).update(decide_queued=True, refused_because="")
            runner.enqueue(DECIDE_JOB, rnd.pk, user=request.user)
        messages.success(request, _("%(n)s proposals are being decided; the progress shows on this page.") % {
            "n": len(chosen)})
        return back
    done, refused = services.decide_all(actor=request.user, ratings=chosen)
    if done:
        messages.success(request, _("%(n)s levels were decided.") % {"n": done})
    for rating, why in refused[:20]:
        messages.error(request, f"{rating.subject}: {why}")
    return back


def rating_detail(request, pk):
    rating = get_rating_for_user(request, pk)
    details = sees_details(request, rating)
    can_comment = comments_as_previous_cell(request, rating)
    if not details and rating.stage != Stage.DECIDED and not can_comment:
        raise PermissionDenied
    if request.GET.get("format") == "docx" and details and rating.points is not None:
        from dangvu.evaluation.documents import form_docx

        return docx_response(form_docx(rating), f"kiem-diem-{rating.form}-{rating.pk}.docx")
    which = request.POST.get("form") if request.method == "POST" else None
    can = {a: may(request, rating, a) for a in (ASSESS, PROPOSE, DECIDE)}
    tasks = list(rating.tasks.all())
    initial = {f: getattr(rating, f) for f in ("general_points", "task_points", "strengths", "weaknesses",
                                               "remedies", "remedied", "direction")}
    assessment = AssessmentForm(request.POST if which == "assess" else None, initial=initial)
    return_form = ReturnForm(request.POST if which == "return" else None)
    proposing = can[PROPOSE] and rating.stage in (Stage.SUBMITTED, Stage.PROPOSED)
    reads_votes = proposing and reads_cell_votes(request, rating)
    typed = rating.vote_id is None  # counts copied from a vote are not offered to retype
    votes = candidate_votes(rating) if reads_votes else []
    if reads_votes and rating.vote is not None and rating.vote not in votes:
        votes.append(rating.vote)  # the vote taken stays offered, whatever became of its meeting since
    proposal = ProposalForm(request.POST if which == "propose" else None, votes=votes,
                            initial={"level": rating.proposed_level or rating.allowed_level,
                                     "vote_id": rating.vote_id if reads_votes else None,
                                     "votes_for": rating.votes_for if typed else None,
                                     "votes_against": rating.votes_against if typed else None})
    decision = DecisionForm(request.POST if which == "decide" else None,
                            initial={"level": rating.level or rating.proposed_level})
    comment = CommentForm(request.POST if which == "comment" else None,
                          initial={"previous_comment": rating.previous_comment})
    if which:
        action = {"assess": ASSESS, "return": PROPOSE, "propose": PROPOSE, "decide": DECIDE}.get(which)
        if which == "comment":
            if not can_comment:
                raise PermissionDenied
        elif action is None or not can[action]:
            raise PermissionDenied
        form = {"assess": assessment, "return": return_form, "propose": proposal, "decide": decision,
                "comment": comment}[which]
        if form.is_valid():
            data = form.cleaned_data
            try:
                _act(request, rating, which, data)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                return redirect(request.path)
        if which == "assess":
            tasks = AssessmentForm.tasks_from(request.POST)
    task_rows = [(n, t) for n, t in enumerate(_as_rows(tasks), 1)]
    return render(request, "evaluation/rating_detail.html", {
        "rating": rating, "details": details, "can": can, "tasks": list(rating.tasks.all()),
        "task_rows": task_rows, "task_results": TASK_RESULTS, "assessment": assessment,
        "return_form": return_form, "proposal": proposal, "decision": decision, "comment": comment,
        "can_comment": can_comment, "vote": _vote_shown(request, rating) if details else None,
        "meetings_to_vote": _meetings_to_vote(request, rating) if reads_votes else [],
        "vote_question": _vote_question(rating) if reads_votes else "",
        "editable": rating.stage in (Stage.OPEN, Stage.RETURNED) and rating.round.status == Round.Status.OPEN,
        "decisions": rating.decisions.select_related("decided_by").order_by("created", "id"),
        "criteria": rating.framework.criteria if rating.framework_id else [],
        "streak": streak_of(rating) if rating.level == Level.EXCELLENT else 0,
        "quarters": _quarters_of(rating) if details and rating.round.kind == Round.Kind.YEAR else [],
        "unit": rating.unit, "breadcrumbs": breadcrumbs(request, rating.unit) + [rating.unit]})


def _vote_shown(request, rating: Rating):
    """The vote the proposal's counts came from, if the caller reads the cell's meetings."""
    if rating.vote_id is None or not reads_cell_votes(request, rating):
        return None
    return Vote.objects.select_related("meeting").filter(pk=rating.vote_id).first()


def _meetings_to_vote(request, rating: Rating) -> list:
    """The cell's meetings in the round's window (not cancelled), latest first: where the
    secretary opens the vote on the proposed level (with meetings:write over the cell)."""
    cell = rating.unit if rating.member_id else rating.subject_unit
    if not scope_for(request).can(MEETINGS_WRITE, cell.path):
        return []
    first, last = window(rating.round)
    return list(Meeting.objects.filter(unit_id=voting_unit_id(rating), date__range=(first, last))
                .exclude(status=Meeting.Status.CANCELLED).order_by("-date", "-start")[:5])


def _vote_question(rating: Rating) -> str:
    """The question the meeting's vote page is opened with, naming the subject and the level."""
    level = rating.proposed_level or rating.allowed_level
    values = {"name": rating.subject, "level": Level(level).label if level else "…", "round": rating.round.title}
    if rating.member_id:
        text = _("The level proposed for comrade %(name)s: %(level)s (%(round)s)") % values
    else:
        text = _("The level proposed for %(name)s as a collective: %(level)s (%(round)s)") % values
    return text[:500]


def _quarters_of(rating: Rating) -> list[Rating]:
    """The subject's decided quarterly ratings of the same year: the rules weigh them into the
    year's allowed level (rules._quarters_cap)."""
    from dangvu.evaluation.facts import quarter_ratings

    return list(quarter_ratings(rating).select_related("round"))


def _as_rows(tasks) -> list[dict]:
    rows = [{"title": t.title, "result": t.result} if hasattr(t, "title") else t for t in tasks]
    return rows + [{"title": "", "result": ""}] * max(0, TASK_ROWS - len(rows))


def _act(request, rating: Rating, which: str, data: dict) -> None:
    actor = request.user
    if which == "assess":
        own = rating.member is not None and rating.member.user_id == actor.id
        services.assessment_save(
            actor=actor, rating=rating, general_points=data["general_points"], task_points=data["task_points"],
            tasks=AssessmentForm.tasks_from(request.POST), strengths=data["strengths"],
            weaknesses=data["weaknesses"], remedies=data["remedies"], remedied=data["remedied"],
            direction=data["direction"], submit="submit" in request.POST, on_behalf=not own)
        messages.success(request, _("The self-assessment was submitted.") if "submit" in request.POST
                         else _("The self-assessment was saved; submit it when it is complete."))
    elif which == "return":
        services.assessment_return(actor=actor, rating=rating, reason=data["reason"])
        messages.success(request, _("The self-assessment was returned to be corrected."))
    elif which == "propose":
        vote = None
        if data.get("vote_id"):  # the field is offered only to those who read the cell's votes
            vote = get_vote_for_proposal(request, rating, data["vote_id"])
            if vote is None:  # another cell's, or one the caller does not read: named nowhere
                raise ValidationError({"vote_id": _("Not found: %(ids)s.") % {"ids": data["vote_id"]}})
        services.proposal_make(actor=actor, rating=rating, level=data["level"], votes_for=data["votes_for"],
                               votes_against=data["votes_against"], reason=data["reason"], vote=vote)
        messages.success(request, _("The proposal was recorded."))
    elif which == "decide":
        services.decision_make(actor=actor, rating=rating, level=data["level"], reason=data["reason"])
        messages.success(request, _("The level was decided."))
    elif which == "comment":
        services.previous_comment_save(actor=actor, rating=rating, text=data["previous_comment"])
        messages.success(request, _("The comment was saved."))


def my_evaluation(request):
    """The logged-in member's ratings: what to fill in, and the levels decided."""
    return render(request, "evaluation/my_evaluation.html", {"ratings": own_ratings(request)[:20]})


GROUP_WORDS = {"general": "chung", "tasks": "nhiệm vụ"}


def _criteria_text(framework) -> str:
    return "\n".join(f"{GROUP_WORDS[c['group']]} | {c['title']} | {c['points']:g}" for c in framework.criteria)


def _criteria_from(text: str) -> tuple[list[dict], dict]:
    """The lines "chung | title | points" or "nhiệm vụ | title | points", one criterion each."""
    groups = {v: k for k, v in GROUP_WORDS.items()}
    rows, bad = [], []
    for n, line in enumerate((line for line in text.splitlines() if line.strip()), 1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or parts[0].lower() not in groups:
            bad.append(n)
            continue
        rows.append({"group": groups[parts[0].lower()], "title": parts[1], "points": parts[2].replace(",", ".")})
    if bad:
        return [], {"criteria": _("Lines %(lines)s: write “chung | criterion | points” or “nhiệm vụ | criterion | "
                                  "points”.") % {"lines": ", ".join(map(str, bad[:10]))}}
    return rows, {}


def unit_criteria(request, pk):
    """The criteria of each form in force for the unit's subtree, and the committee's own
    version of them (only the totals, 30 and 70, are central)."""
    from dangvu.evaluation.frameworks import framework_for, framework_set
    from dangvu.evaluation.models import Form

    unit = get_unit_for_user(request, pk, EVALUATION_READ)
    can_edit = scope_for(request).can(EVALUATION_DECIDE, unit.path) and unit.kind != "cell"
    errors, posted = {}, {}
    if request.method == "POST":
        get_unit_for_user(request, pk, EVALUATION_DECIDE)
        form = request.POST.get("form_kind", "")
        posted = {form: request.POST.get("criteria", "")}
        rows, errors = _criteria_from(posted[form])
        if not errors:
            try:
                framework = framework_set(actor=request.user, unit=unit, form=form, criteria=rows)
            except ValidationError as exc:
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
            else:
                messages.success(request, _("Version %(n)s of the criteria was saved; ratings made earlier keep "
                                            "theirs.") % {"n": framework.version})
                return redirect("evaluation:criteria", pk=unit.pk)
    forms_ = []
    for value, label in Form.choices:
        framework = framework_for(unit, value)
        forms_.append({"value": value, "label": label, "framework": framework,
                       "text": posted.get(value, _criteria_text(framework)),
                       "errors": errors.get("criteria") or errors.get("form") if value in posted else ""})
    return render(request, "evaluation/unit_criteria.html", {
        "unit": unit, "forms": forms_, "can_edit": can_edit, "breadcrumbs": breadcrumbs(request, unit) + [unit]})
