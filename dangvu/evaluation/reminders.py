"""The evaluation's reminders (registered with dangvu.lib.reminders in EvaluationConfig.ready).

In an open round: a member whose self-assessment is not submitted when the round's deadline is
7 days away or less (or has passed), or whose self-assessment was returned to correct; a cell's
secretary, while the cell has not proposed a level for some of its members and the deadline is
as near. A member who left the Party, died, or is exempted or suspended today is reminded of
nothing here."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangvu.evaluation.models import Rating, Round, Stage
from dangvu.lib.reminders import Line
from dangvu.orgs.history import exemptions_on
from dangvu.orgs.models import ACTIVE_STATUSES, Member, RoleKind, UnitKind, UnitRole

WITHIN_DAYS = 7
NOT_PROPOSED = (Stage.OPEN, Stage.RETURNED, Stage.SUBMITTED)  # no proposal of the cell yet


def _self_assessments(members: list[Member], today: datetime.date, found: dict) -> None:
    soon = today + datetime.timedelta(days=WITHIN_DAYS)
    due = (Rating.objects.filter(member__in=members, round__status=Round.Status.OPEN)
           .filter(Q(stage=Stage.RETURNED) | Q(stage=Stage.OPEN, round__deadline__lte=soon))
           .select_related("round").order_by("round__deadline", "pk"))
    for rating in due:
        values = {"t": rating.round.title, "d": rating.round.deadline.strftime("%d/%m/%Y"),
                  "r": rating.return_reason}
        if rating.stage == Stage.RETURNED:
            text = _("Your self-assessment for “%(t)s” was returned to correct (%(r)s): correct it and "
                     "submit it again by %(d)s.") % values
        else:
            text = _("Fill in and submit your self-assessment for “%(t)s” (to be finished by %(d)s).") % values
        found[rating.member_id].append(Line(text, reverse("evaluation:rating", args=[rating.pk])))


def _cell_proposals(members: list[Member], today: datetime.date, found: dict) -> None:
    secretaries = defaultdict(list)  # cell id -> its secretaries among the members
    for member_id, cell_id in (UnitRole.objects.filter(member__in=members, role=RoleKind.SECRETARY,
                                                       unit__kind=UnitKind.CELL, start__lte=today)
                               .filter(Q(end__isnull=True) | Q(end__gte=today)).values_list("member_id", "unit_id")):
        if member_id not in secretaries[cell_id]:  # two roles of one cell (a term beginning): one line
            secretaries[cell_id].append(member_id)
    if not secretaries:
        return
    waiting = (Rating.objects.filter(unit_id__in=list(secretaries), member__status__in=ACTIVE_STATUSES,
                                     stage__in=NOT_PROPOSED, round__status=Round.Status.OPEN,
                                     round__deadline__lte=today + datetime.timedelta(days=WITHIN_DAYS))
               .values("round_id", "round__title", "round__deadline", "unit_id", "unit__name")
               .annotate(n=Count("pk")).order_by("round__deadline", "round_id", "unit_id"))
    for row in waiting:
        n = row["n"]
        text = ngettext(
            "“%(t)s”: %(cell)s has not yet proposed a level for %(n)s member (to be finished by %(d)s).",
            "“%(t)s”: %(cell)s has not yet proposed a level for %(n)s members (to be finished by %(d)s).",
            n) % {"t": row["round__title"], "cell": row["unit__name"], "n": n,
                  "d": row["round__deadline"].strftime("%d/%m/%Y")}
        url = reverse("evaluation:round", args=[row["round_id"]]) + f"?unit={row['unit_id']}"
        for member_id in secretaries[row["unit_id"]]:
            found[member_id].append(Line(text, url))


def evaluation_reminders(members: list[Member], today: datetime.date) -> dict[int, list[Line]]:
    exempted = exemptions_on([m.pk for m in members], today)
    reminded = [m for m in members if m.status in ACTIVE_STATUSES and m.pk not in exempted]
    found = defaultdict(list)
    if reminded:
        _self_assessments(reminded, today, found)  # a member's own lines first, then their cell's
        _cell_proposals(reminded, today, found)
    return found
