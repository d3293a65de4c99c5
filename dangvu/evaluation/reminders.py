"""The evaluation's reminders (registered with dangvu.lib.reminders in EvaluationConfig.ready).

In an open round: a member whose self-assessment is not submitted when the round's deadline is
7 days away or less (or has passed), or whose self-assessment was returned to correct; a cell's
secretary, while the cell has not proposed a level for some of its members and the deadline is
as near. A member who left the Party, died, or is exempted or suspended today is reminded of
nothing here."""

import datetime

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


def _self_assessment(member: Member, today: datetime.date) -> list[Line]:
    lines = []
    soon = today + datetime.timedelta(days=WITHIN_DAYS)
    due = (Rating.objects.filter(member=member, round__status=Round.Status.OPEN)
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
        lines.append(Line(text, reverse("evaluation:rating", args=[rating.pk])))
    return lines


def _cell_proposals(member: Member, today: datetime.date) -> list[Line]:
    cells = (UnitRole.objects.filter(member=member, role=RoleKind.SECRETARY, unit__kind=UnitKind.CELL,
                                     start__lte=today).filter(Q(end__isnull=True) | Q(end__gte=today))
             .values_list("unit_id", flat=True))
    waiting = (Rating.objects.filter(unit_id__in=list(cells), member__status__in=ACTIVE_STATUSES,
                                     stage__in=NOT_PROPOSED, round__status=Round.Status.OPEN,
                                     round__deadline__lte=today + datetime.timedelta(days=WITHIN_DAYS))
               .values("round_id", "round__title", "round__deadline", "unit_id", "unit__name")
               .annotate(n=Count("pk")).order_by("round__deadline", "round_id", "unit_id"))
    lines = []
    for row in waiting:
        n = row["n"]
        text = ngettext(
            "“%(t)s”: %(cell)s has not yet proposed a level for %(n)s member (to be finished by %(d)s).",
            "“%(t)s”: %(cell)s has not yet proposed a level for %(n)s members (to be finished by %(d)s).",
            n) % {"t": row["round__title"], "cell": row["unit__name"], "n": n,
                  "d": row["round__deadline"].strftime("%d/%m/%Y")}
        url = reverse("evaluation:round", args=[row["round_id"]]) + f"?unit={row['unit_id']}"
        lines.append(Line(text, url))
    return lines


def evaluation_reminders(member: Member, today: datetime.date) -> list[Line]:
    if member.status not in ACTIVE_STATUSES or exemptions_on([member.pk], today):
        return []
    return _self_assessment(member, today) + _cell_proposals(member, today)
