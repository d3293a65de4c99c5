"""What evaluation holds about a member, for their own download (dangvu/audit/personal.py).

The member sees all of their own ratings (evaluation/access.py: points, forms, comments and
the proposal stay with the member, the cell's leaders and the deciding committee), so all of it
is here, as their rating page shows it: the level only once decided; the meeting's proposal with
its counts of votes (no ballot is stored). The worker's bookkeeping stays out."""

from django.utils.translation import gettext_lazy as _

from dangvu.audit.personal import section
from dangvu.evaluation.models import Decision, Rating, Stage, Task


def _criteria(rating: Rating) -> list[str]:
    """The points given to each sub-criterion of the framework, with its title."""
    criteria = rating.framework.criteria if rating.framework_id else []
    return [f"{c.get('title', '')}: {p}" for c, p in zip(criteria, rating.criteria_points or [], strict=False)]


def _decided(rating: Rating, value):
    return value if rating.stage == Stage.DECIDED else None


def records_of(member) -> list:
    ratings = list(Rating.objects.filter(member=member).select_related("round", "unit", "framework", "moved_from")
                   .order_by("round__end", "id"))
    tasks = Task.objects.filter(rating__in=ratings).select_related("rating__round", "evidence").order_by(
        "rating__round__end", "order", "id")
    decisions = Decision.objects.filter(rating__in=ratings).select_related("rating__round", "document").order_by(
        "rating__round__end", "created", "id")
    return [
        section("evaluation.ratings", _("Evaluation and rating"), Rating, ratings, [
            ("round", _("evaluation round"), lambda r: r.round.title),
            ("from", _("from"), lambda r: r.round.start), ("until", _("until"), lambda r: r.round.end),
            ("unit", _("cell"), lambda r: r.unit.name), "form", "stage", "not_rated",
            "general_points", "task_points", ("criteria_points", _("criteria"), _criteria),
            "strengths", "weaknesses", "remedies", "remedied", "direction", "on_behalf",
            ("submitted_at", _("submitted")),
            "return_reason", ("allowed_level", _("the rules allow")),
            ("allowed_because", _("not higher because")), "proposed_level", "votes_for", "votes_against",
            "proposal_reason", ("level", None, lambda r: _decided(r, r.get_level_display())),
            ("decided_on", None, lambda r: _decided(r, r.decided_on)),
            ("moved_from", _("moved in"), lambda r: r.moved_from.name if r.moved_from else None),
            ("moved_on", _("moved in on")), "previous_comment"]),
        section("evaluation.tasks", _("Tasks"), Task, tasks, [
            ("round", _("evaluation round"), lambda t: t.rating.round.title), "title", "result", "note",
            ("evidence", None, lambda t: t.evidence.reference if t.evidence else None)]),
        section("evaluation.decisions", _("Decisions"), Decision, decisions, [
            ("round", _("evaluation round"), lambda d: d.rating.round.title), "level", "reason", "decided_on",
            "rerating", ("replaced", _("replaced")),
            ("document", None, lambda d: d.document.reference if d.document else None)]),
    ]
