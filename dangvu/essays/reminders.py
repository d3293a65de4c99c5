"""The essays' reminders (registered with dangvu.lib.reminders in EssaysConfig.ready): an essay
returned for rework, and one not yet submitted in the last week before its deadline."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from dangvu.essays.notebook import essays_to_remind
from dangvu.lib.reminders import Line
from dangvu.orgs.models import Member


def due_reminders(members: list[Member], today: datetime.date) -> dict[int, list[Line]]:
    found = {}
    for pk, pairs in essays_to_remind(members, today).items():
        found[pk] = lines = []
        for campaign, essay in pairs:
            url = reverse("essays:my_essay", args=[campaign.pk])
            if essay is not None:
                lines.append(Line(_("Your essay for “%(t)s” was returned: rework it and submit again.") % {
                    "t": campaign.title}, url))
            else:
                lines.append(Line(_("Your essay for “%(t)s” is due by %(d)s.") % {
                    "t": campaign.title, "d": campaign.essay_deadline.strftime("%d/%m/%Y")}, url))
    return found
