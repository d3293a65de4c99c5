"""The reminders registry: what a member has to do soon, in every area, as Vietnamese lines.

Each app registers one function per area in its AppConfig.ready(): `register(area, fn)`, where
`fn(members, today)` returns {member id: the lines to remind that member of today} (a `Line`
where there is a page to act on it, else a plain str) for a whole batch of members in a few
queries: the daily mail reads every member of the Party. The sổ tay shows `lines_for(member,
today)`, the same rule asked for one, and `dangvu send_reminders` (dangvu/notebook/reminders.py)
e-mails the same lines, one mail per member per day. Nothing here knows the apps."""

import datetime
from collections.abc import Callable


class Line(str):
    """One reminder: its sentence, and the page where the member acts on it (the sổ tay links
    it; the mail carries the sentence only)."""

    url: str

    def __new__(cls, text: str, url: str = "") -> "Line":
        line = super().__new__(cls, text)
        line.url = url
        return line


Rule = Callable[[list, datetime.date], dict[int, list[str]]]

_RULES: dict[str, Rule] = {}


def register(area: str, fn: Rule) -> None:
    """One function per area; registering an area again replaces its function."""
    _RULES[area] = fn


def areas() -> list[str]:
    return list(_RULES)


def lines_for_many(members: list, today: datetime.date) -> dict[int, list[Line]]:
    """{member id: every area's lines for that member, in the order the areas registered}."""
    found = {member.pk: [] for member in members}
    for fn in _RULES.values():
        for pk, lines in fn(members, today).items():
            found[pk].extend(line if isinstance(line, Line) else Line(line) for line in lines)
    return found


def lines_for(member, today: datetime.date) -> list[Line]:
    return lines_for_many([member], today)[member.pk]
